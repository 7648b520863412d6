import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";
import { Card, CardContent, CardHeader } from "@/components/ui/card";

interface StatCardProps {
  title: string;
  icon: LucideIcon;
  value: ReactNode;
  /** One line of context under the value: period, comparison or why there is no value. */
  hint: ReactNode;
}

export function StatCard({ title, icon: Icon, value, hint }: StatCardProps) {
  return (
    <Card className="gap-3" data-stat={title}>
      <CardHeader className="flex flex-row items-center justify-between gap-2">
        <h2 className="text-sm font-medium text-muted-foreground">{title}</h2>
        <Icon className="size-4 text-muted-foreground" aria-hidden />
      </CardHeader>
      <CardContent className="space-y-1">
        <div className="text-2xl font-semibold tracking-tight tabular-nums" data-testid="stat-value">
          {value}
        </div>
        <p className="text-xs text-muted-foreground">{hint}</p>
      </CardContent>
    </Card>
  );
}
