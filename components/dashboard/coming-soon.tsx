import { Construction } from "lucide-react";
import type { NavItem } from "@/lib/auth/navigation";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { PageHeader } from "./page-header";

/**
 * Placeholder for a dashboard area that is not built yet. It says what the page will do and
 * shows no sample data, so nobody mistakes a mock-up for real figures.
 */
export function ComingSoon({ item }: { item: Pick<NavItem, "title" | "description" | "icon"> }) {
  const { title, description, icon: Icon } = item;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={title} badge={<Badge variant="outline">Coming next</Badge>} />
      <Card className="border-dashed shadow-none">
        <CardHeader className="flex flex-row items-center gap-3">
          <span className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-muted">
            <Icon className="size-5 text-muted-foreground" aria-hidden />
          </span>
          <h2 className="text-base font-semibold">What this page will do</h2>
        </CardHeader>
        <CardContent className="space-y-4">
          <p className="max-w-3xl text-sm leading-relaxed">{description}</p>
          <p className="flex items-center gap-2 text-sm text-muted-foreground">
            <Construction className="size-4 shrink-0" aria-hidden />
            This page is being built. Until it can show real data, it shows none.
          </p>
        </CardContent>
      </Card>
    </div>
  );
}
