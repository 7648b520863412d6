import type { Metadata } from "next";
import { CostsView } from "@/components/costs/costs-view";
import { FilteredPage } from "@/components/dashboard/filtered-page";
import { requireSessionUser } from "@/lib/auth/session";
import { loadCosts } from "@/lib/db/costs";
import { getDb } from "@/lib/db/instance";
import { getNavItem } from "@/lib/auth/navigation";
import { orgParam, parseCostFilters } from "@/lib/schemas/cost-filters";
import { loadTimeZone } from "@/lib/db/time-zone";

const item = getNavItem("/costs");

export const metadata: Metadata = { title: item.title, description: item.description };

interface CostsPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function CostsPage({ searchParams }: CostsPageProps) {
  const user = await requireSessionUser();
  const params = await searchParams;
  const db = await getDb();
  const zone = await loadTimeZone(db, user.claims, orgParam(params));
  const parsed = parseCostFilters(params, new Date(), zone);
  const data = await loadCosts(db, user.claims, parsed.filters);
  return (
    <FilteredPage
      title={item.title}
      description="Daily cost per organization and by model, provider, pipeline stage and request type, from the daily rollups of the calls you may see."
      unit="day"
      parsed={parsed}
      organizations={data.organizations}
      fallback="the last 30 days"
      zone={zone}
      csvRoute="/api/dashboard/costs"
    >
      <CostsView data={data} />
    </FilteredPage>
  );
}
