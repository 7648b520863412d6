import type { Metadata } from "next";
import { FilteredPage } from "@/components/dashboard/filtered-page";
import { FeedbackView } from "@/components/feedback/feedback-view";
import { RetrainPanel } from "@/components/feedback/retrain-panel";
import { requireSessionUser } from "@/lib/auth/session";
import { loadFeedback } from "@/lib/db/feedback";
import { getDb } from "@/lib/db/instance";
import { DEFAULT_WINDOW_DAYS } from "@/lib/engine/retrain";
import { retrainDefaults } from "@/lib/learning/retrain-defaults";
import { getNavItem } from "@/lib/auth/navigation";
import { orgParam, parseCostFilters } from "@/lib/schemas/cost-filters";
import { loadTimeZone } from "@/lib/db/time-zone";

const item = getNavItem("/feedback");

export const metadata: Metadata = { title: item.title, description: item.description };

interface FeedbackPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function FeedbackPage({ searchParams }: FeedbackPageProps) {
  const user = await requireSessionUser();
  const params = await searchParams;
  const db = await getDb();
  // Days of the reporting time zone (README "Date ranges"), like Costs.
  const parsed = parseCostFilters(params, new Date(), await loadTimeZone(db, user.claims, orgParam(params)));
  const data = await loadFeedback(db, user.claims, parsed.filters);
  // Only platform admins may retrain; the action checks again on the server.
  const defaults = user.isPlatformAdmin ? await retrainDefaults() : null;

  return (
    <FilteredPage
      title={item.title}
      description="Quality scores (1 to 5) and correctness the apps report per request, by model and query pattern, and the learned routing overrides they produce."
      unit="day"
      parsed={parsed}
      organizations={data.organizations}
      fallback="the last 30 days"
      zone={parsed.filters.zone}
    >
      <FeedbackView data={data} retrain={defaults ? <RetrainPanel defaults={defaults} windowDays={DEFAULT_WINDOW_DAYS} /> : undefined} />
    </FilteredPage>
  );
}
