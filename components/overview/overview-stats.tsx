import { Activity, CircleCheck, Coins, MessageSquareText } from "lucide-react";
import { formatCount, formatPercent } from "@/components/format";
import { Money, UnconvertedNote } from "@/components/money";
import { CacheSavedSummary } from "@/components/savings/cache-saved-summary";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { BudgetAlertList } from "./budget-alert-list";
import { BudgetList } from "./budget-list";
import { fillDailyGaps } from "./fill-daily-gaps";
import { SavingsList } from "./savings-list";
import { StatCard } from "./stat-card";
import { TrendCards } from "./trend-cards";
import type { OverviewStats as OverviewStatsData } from "@/lib/db/overview";

export function OverviewStats({ stats }: { stats: OverviewStatsData }) {
  const organizations = stats.monthToDate.length;
  const daily = fillDailyGaps(stats.daily);

  return (
    <section aria-label="Key figures" className="flex flex-col gap-4">
      {/* min-w-0 on grid items: a wide table scrolls inside its card instead of widening the page at 390 px. */}
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <StatCard
          title="Spend this month"
          icon={Coins}
          value={
            organizations === 0 ? (
              <span className="text-muted-foreground">—</span>
            ) : (
              <Money amount={stats.monthTotal.amount} currency={stats.currency} />
            )
          }
          hint={
            organizations === 0 ? (
              "No organizations visible to you"
            ) : (
              <>
                Month to date across {formatCount(organizations)} organization{organizations === 1 ? "" : "s"}, in {stats.currency}
                <UnconvertedNote unconverted={stats.monthTotal.unconverted} className="block" />
              </>
            )
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
        <Card className="min-w-0 lg:col-span-2">
          <CardHeader>
            <h2 className="leading-none font-semibold">Last 30 days</h2>
            <CardDescription>
              Daily calls, cost and error rate from the daily rollups. Cost in {stats.currency}, converted with reporting.fx_rates
              like every page.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <TrendCards daily={daily} currency={stats.currency} total={stats.cost30} />
          </CardContent>
        </Card>
        <Card className="min-w-0">
          <CardHeader>
            <h2 className="leading-none font-semibold">Budget this month</h2>
            <CardDescription>
              Month-to-date spend per organization in {stats.currency}, against its monthly budget (counted in the budget&apos;s
              currency, as the gateway enforces it).
            </CardDescription>
          </CardHeader>
          <CardContent>
            <BudgetList rows={stats.monthToDate} currency={stats.currency} month={stats.generatedAt.slice(0, 7)} />
          </CardContent>
        </Card>
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="min-w-0 lg:col-span-2">
          <CardHeader>
            <h2 className="leading-none font-semibold">Savings against baseline models</h2>
            <CardDescription>
              This month, per app: what the calls cost against what the app&apos;s baseline model would have cost for the same
              tokens, in {stats.currency} (a currency without a rate on rows of its own), and what the response cache saved.
            </CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-4">
            <CacheSavedSummary figure={stats.cacheSaved} currency={stats.currency} />
            <SavingsList rows={stats.savings} />
          </CardContent>
        </Card>
        <Card className="min-w-0">
          <CardHeader>
            <h2 className="leading-none font-semibold">Budget alerts</h2>
            <CardDescription>The most recent times an organization crossed 80 % or 100 % of its monthly budget.</CardDescription>
          </CardHeader>
          <CardContent>
            <BudgetAlertList alerts={stats.budgetAlerts} />
          </CardContent>
        </Card>
      </div>
    </section>
  );
}
