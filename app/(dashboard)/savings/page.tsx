import type { Metadata } from "next";
import { Download } from "lucide-react";
import { PageHeader } from "@/components/dashboard/page-header";
import { MonthFilters } from "@/components/savings/month-filters";
import { SavingsView } from "@/components/savings/savings-view";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { requireSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/instance";
import type { JwtClaims } from "@/lib/db/rls";
import { loadSavings } from "@/lib/db/savings";
import { getNavItem } from "@/lib/nav";
import { parseSavingsFilters, savingsFiltersToSearch } from "@/lib/schemas/savings-filters";

const item = getNavItem("/savings");

export const metadata: Metadata = { title: item.title, description: item.description };

interface SavingsPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function SavingsPage({ searchParams }: SavingsPageProps) {
  const user = await requireSessionUser();
  const parsed = parseSavingsFilters(await searchParams);
  const data = await loadSavings(await getDb(), user.claims as JwtClaims, parsed.filters);

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={item.title}
        description="What the calls you may see cost, against what the same tokens would have cost on each app's baseline model, per organization and month, from the daily rollups."
        actions={
          <Button asChild variant="outline">
            <a href={`/api/dashboard/savings?${savingsFiltersToSearch(parsed.filters)}`} download>
              <Download aria-hidden />
              Export CSV
            </a>
          </Button>
        }
      />
      <MonthFilters
        key={savingsFiltersToSearch(parsed.filters)}
        filters={parsed.filters}
        organizations={data.organizations}
        errors={parsed.ok ? undefined : parsed.errors}
      />
      {!parsed.ok && (
        <Alert variant="destructive">
          <AlertTitle>Those filters are not valid</AlertTitle>
          <AlertDescription>Showing the last 6 months instead. Fix the highlighted fields and apply again.</AlertDescription>
        </Alert>
      )}
      <SavingsView data={data} />
    </div>
  );
}
