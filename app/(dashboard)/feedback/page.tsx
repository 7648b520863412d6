import type { Metadata } from "next";
import { RangeFilters } from "@/components/costs/range-filters";
import { PageHeader } from "@/components/dashboard/page-header";
import { FeedbackView } from "@/components/feedback/feedback-view";
import { RetrainPanel } from "@/components/feedback/retrain-panel";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { requireSessionUser } from "@/lib/auth/session";
import { loadFeedback } from "@/lib/db/feedback";
import { getDb } from "@/lib/db/instance";
import type { JwtClaims } from "@/lib/db/rls";
import { DEFAULT_WINDOW_DAYS } from "@/lib/learning/retrain";
import { retrainDefaults } from "@/lib/learning/retrain-defaults";
import { getNavItem } from "@/lib/nav";
import { costFiltersToSearch, parseCostFilters } from "@/lib/schemas/cost-filters";

const item = getNavItem("/feedback");

export const metadata: Metadata = { title: item.title, description: item.description };

interface FeedbackPageProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function FeedbackPage({ searchParams }: FeedbackPageProps) {
  const user = await requireSessionUser();
  const parsed = parseCostFilters(await searchParams);
  const data = await loadFeedback(await getDb(), user.claims as JwtClaims, parsed.filters);
  // Only platform admins may retrain; the action checks again on the server.
  const defaults = user.isPlatformAdmin ? await retrainDefaults() : null;

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={item.title}
        description="Quality scores (1 to 5) and correctness the apps report per request, by model and query pattern, and the learned routing overrides they produce."
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
      <FeedbackView data={data} retrain={defaults ? <RetrainPanel defaults={defaults} windowDays={DEFAULT_WINDOW_DAYS} /> : undefined} />
    </div>
  );
}
