import type { Metadata } from "next";
import { Download } from "lucide-react";
import { CostsView } from "@/components/costs/costs-view";
import { RangeFilters } from "@/components/costs/range-filters";
import { PageHeader } from "@/components/dashboard/page-header";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { requireSessionUser } from "@/lib/auth/session";
import { loadCosts } from "@/lib/db/costs";
import { getDb } from "@/lib/db/instance";
import type { JwtClaims } from "@/lib/db/rls";
import { getNavItem } from "@/lib/nav";
import { costFiltersToSearch, parseCostFilters } from "@/lib/schemas/cost-filters";

const item = getNavItem("/costs");

export const metadata: Metadata = { title: item.title, description: item.description };

interface CostsPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function CostsPage({ searchParams }: CostsPageProps) {
  const user = await requireSessionUser();
  const parsed = parseCostFilters(await searchParams);
  const data = await loadCosts(await getDb(), user.claims as JwtClaims, parsed.filters);

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={item.title}
        description="Daily cost per organization and by model, provider, pipeline stage and request type, from the daily rollups of the calls you may see."
        actions={
          <Button asChild variant="outline">
            <a href={`/api/dashboard/costs?${costFiltersToSearch(parsed.filters)}`} download>
              <Download aria-hidden />
              Export CSV
            </a>
          </Button>
        }
      />
      <RangeFilters
        key={costFiltersToSearch(parsed.filters)}
        filters={parsed.filters}
        organizations={data.organizations}
        errors={parsed.ok ? undefined : parsed.errors}
      />
      {!parsed.ok && (
        <Alert variant="destructive">
          <AlertTitle>Those filters are not valid</AlertTitle>
          <AlertDescription>Showing the last 30 days instead. Fix the highlighted fields and apply again.</AlertDescription>
        </Alert>
      )}
      <CostsView data={data} />
    </div>
  );
}
