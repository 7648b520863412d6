import { Decimal } from "decimal.js";
import { Activity, CircleCheck, Coins, MessageSquareText } from "lucide-react";
import { TrendChart } from "@/components/charts/trend-chart";
import { formatCount, formatMoney, formatPercent } from "@/components/format";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { BudgetList } from "./budget-list";
import { fillDailyGaps } from "./fill-daily-gaps";
import { StatCard } from "./stat-card";
import type { OverviewStats as OverviewStatsData } from "./types";

/** Month-to-date totals per currency, summed exactly; amounts in different currencies are never added. */
function totalsByCurrency(rows: OverviewStatsData["monthToDate"]): { currency: string; total: string }[] {
  const totals = new Map<string, Decimal>();
  for (const row of rows) totals.set(row.currency, (totals.get(row.currency) ?? new Decimal(0)).plus(row.spend));
  return [...totals].map(([currency, total]) => ({ currency, total: total.toFixed() }));
}

export function OverviewStats({ stats }: { stats: OverviewStatsData }) {
  const totals = totalsByCurrency(stats.monthToDate);
  const organizations = new Set(stats.monthToDate.map((r) => r.organizationId)).size;
  const daily = fillDailyGaps(stats.daily);

  return (
    <section aria-label="Key figures" className="flex flex-col gap-4">
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <StatCard
          title="Spend this month"
          icon={Coins}
          value={
            totals.length === 0 ? (
              <span className="text-muted-foreground">—</span>
            ) : (
              <span className="flex flex-col">
                {totals.map((t) => (
                  <span key={t.currency}>{formatMoney(t.total, t.currency)}</span>
                ))}
              </span>
            )
          }
          hint={
            organizations === 0
              ? "No organizations visible to you"
              : `Month to date across ${formatCount(organizations)} organization${organizations === 1 ? "" : "s"}`
          }
        />
        <StatCard
          title="Calls today"
          icon={Activity}
          value={formatCount(stats.callsToday)}
          hint={
            stats.errorRateToday === null
              ? "No calls yet today (UTC)"
              : `${formatPercent(stats.errorRateToday * 100)} failed today (UTC)`
          }
        />
        <StatCard
          title="Complete records"
          icon={CircleCheck}
          value={
            stats.completenessPct === null ? (
              <span className="text-muted-foreground">—</span>
            ) : (
              formatPercent(stats.completenessPct)
            )
          }
          hint={stats.completenessPct === null ? "No calls in the last 30 days" : "Of calls in the last 30 days"}
        />
        <StatCard
          title="Average feedback"
          icon={MessageSquareText}
          value={
            stats.avgFeedbackScore === null ? (
              <span className="text-muted-foreground">—</span>
            ) : (
              <>
                {stats.avgFeedbackScore.toFixed(2)}
                <span className="text-base font-normal text-muted-foreground"> / 5</span>
              </>
            )
          }
          hint={stats.avgFeedbackScore === null ? "No feedback in the last 30 days" : "Quality score, last 30 days"}
        />
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader>
            <h2 className="leading-none font-semibold">Daily usage</h2>
            <CardDescription>Last 30 days, from the daily rollups. Cost in {stats.currency}.</CardDescription>
          </CardHeader>
          <CardContent>
            {daily.length === 0 ? (
              <p className="py-16 text-center text-sm text-muted-foreground">No calls recorded in the last 30 days.</p>
            ) : (
              <TrendChart data={daily} currency={stats.currency} />
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <h2 className="leading-none font-semibold">Budget this month</h2>
            <CardDescription>Month-to-date spend per organization against its monthly budget.</CardDescription>
          </CardHeader>
          <CardContent>
            <BudgetList rows={stats.monthToDate} />
          </CardContent>
        </Card>
      </div>
    </section>
  );
}
