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
import { parseCostFilters } from "@/lib/schemas/cost-filters";

const item = getNavItem("/feedback");

export const metadata: Metadata = { title: item.title, description: item.description };

interface FeedbackPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function FeedbackPage({ searchParams }: FeedbackPageProps) {
  const user = await requireSessionUser();
  const parsed = parseCostFilters(await searchParams);
  const data = await loadFeedback(await getDb(), user.claims, parsed.filters);
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
      // Read from UTC-day rollups only (README "Date ranges"): days here are UTC days.
      zone="UTC"
    >
      <FeedbackView data={data} retrain={defaults ? <RetrainPanel defaults={defaults} windowDays={DEFAULT_WINDOW_DAYS} /> : undefined} />
    </FilteredPage>
  );
}
