import type { Metadata } from "next";
import { CompletenessView } from "@/components/completeness/completeness-view";
import { RecomputeCostsButton } from "@/components/completeness/recompute-costs-button";
import { FilteredPage } from "@/components/dashboard/filtered-page";
import { requireSessionUser } from "@/lib/auth/session";
import { loadCompleteness } from "@/lib/db/completeness";
import { getDb } from "@/lib/db/instance";
import { loadLatestRepriceJob } from "@/lib/db/reprice-jobs";
import { withUser } from "@/lib/db/rls";
import { getNavItem } from "@/lib/auth/navigation";
import { orgParam, parseCostFilters } from "@/lib/schemas/cost-filters";
import { loadTimeZone } from "@/lib/db/time-zone";

const item = getNavItem("/completeness");

export const metadata: Metadata = { title: item.title, description: item.description };

interface CompletenessPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function CompletenessPage({ searchParams }: CompletenessPageProps) {
  const user = await requireSessionUser();
  const params = await searchParams;
  const db = await getDb();
  // Days of the reporting time zone (README "Date ranges"), like Costs.
  const parsed = parseCostFilters(params, new Date(), await loadTimeZone(db, user.claims, orgParam(params)));
  const data = await loadCompleteness(db, user.claims, parsed.filters);
  // A job already running (started here or by a price import) shows its progress on load; RLS
  // shows jobs to platform admins only.
  const latestJob = user.isPlatformAdmin ? await withUser(db, user.claims, (tx) => loadLatestRepriceJob(tx)) : null;

  return (
    <FilteredPage
      title={item.title}
      description="How many recorded calls are complete (organization, stage, type, tokens and cost), what is missing, and which models need a price."
      unit="day"
      parsed={parsed}
      organizations={data.organizations}
      fallback="the last 30 days"
      zone={parsed.filters.zone}
      // Only platform admins may reprice the ledger; the action checks again on the server.
      actions={user.isPlatformAdmin ? <RecomputeCostsButton initialJob={latestJob} /> : undefined}
    >
      <CompletenessView data={data} />
    </FilteredPage>
  );
}
