import { CheckCircle2, Hash, Star } from "lucide-react";
import type { ReactNode } from "react";
import { CategoryBarChart } from "@/components/charts/category-bar-chart";
import { formatCount, formatDay } from "@/components/format";
import { StatCard } from "@/components/overview/stat-card";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { FeedbackPageData } from "@/lib/db/feedback";
import { FeedbackGroupTable } from "./feedback-group-table";
import { formatRate, formatScore } from "./format";
import { LearningStatusCard } from "./learning-status-card";
import { OverridesTable } from "./overrides-table";
import { RetrainRunsTable } from "./retrain-runs-table";

// Red for 1 through green for 5, from the theme (both color schemes define them).
const SCORE_COLORS = ["var(--destructive)", "var(--chart-5)", "var(--warning)", "var(--chart-2)", "var(--success)"];

/** `retrain` is the platform admins' retrain panel, shown above the overrides it changes. */
export function FeedbackView({ data, retrain }: { data: FeedbackPageData; retrain?: ReactNode }) {
  const { summary, correctness } = data;
  const range = `${formatDay(data.filters.from, "long")} to ${formatDay(data.filters.to, "long")}`;
  return (
    <div className="flex flex-col gap-6">
      <section aria-label="Totals" className="grid gap-4 sm:grid-cols-3">
        <StatCard title="Ratings" icon={Hash} value={<span data-testid="feedback-total">{formatCount(summary.total)}</span>} hint={range} />
        <StatCard title="Average score" icon={Star} value={<span data-testid="feedback-avg">{formatScore(summary.avg_score)}</span>} hint="On a 1 to 5 scale" />
        <StatCard
          title="Correct"
          icon={CheckCircle2}
          value={<span data-testid="feedback-correct">{formatRate(correctness.rate)}</span>}
          hint={correctness.stated > 0 ? `Of ${formatCount(correctness.stated)} ratings that say whether the answer was correct` : "No rating says whether the answer was correct"}
        />
      </section>
      <div className="grid min-w-0 gap-4 xl:grid-cols-2">
        <Card className="min-w-0">
          <CardHeader>
            <CardTitle className="text-base">Score distribution</CardTitle>
            <CardDescription>Ratings per score, {range}.</CardDescription>
          </CardHeader>
          <CardContent>
            {summary.total === 0 ? (
              <p className="text-sm text-muted-foreground">No feedback in this range.</p>
            ) : (
              <CategoryBarChart
                data={data.distribution.map((b) => ({ label: String(b.score), title: `Score ${b.score}`, value: b.count }))}
                label={`Ratings per score from 1 to 5, ${range}`}
                unit="ratings"
                colors={SCORE_COLORS}
              />
            )}
          </CardContent>
        </Card>
        <LearningStatusCard status={data.status} learning={data.learning} />
      </div>
      <div className="grid min-w-0 gap-4 2xl:grid-cols-2">
        <FeedbackGroupTable title="Model" rows={summary.by_model} />
        <FeedbackGroupTable title="Query pattern" rows={summary.by_pattern} />
      </div>
      {retrain}
      <OverridesTable rows={data.overrides} />
      <RetrainRunsTable rows={data.runs} />
    </div>
  );
}
