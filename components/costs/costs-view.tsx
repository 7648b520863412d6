import { Coins, Hash, HelpCircle } from "lucide-react";
import { StackedBarChart } from "@/components/charts/stacked-bar-chart";
import { formatCount, formatDay } from "@/components/format";
import { Money, UnconvertedNote } from "@/components/money";
import { StatCard } from "@/components/overview/stat-card";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { CostsData } from "@/lib/db/costs";
import { shownCostRows } from "@/lib/reports/costs-csv";
import { bucketsOf } from "@/lib/engine/date-range";
import { callsHref } from "@/lib/schemas/calls-href";
import { COST_DIMENSIONS, DIMENSION_LABELS, type CostDimension } from "@/lib/schemas/cost-filters";
import { CostBreakdownTable } from "./cost-breakdown-table";
import { CurrencyNote } from "./currency-note";

/** Every bucket (day or month) of the range, so the chart shows gaps as zero instead of skipping them. */
function fillBuckets(data: CostsData): CostsData["daily"] {
  const byBucket = new Map(data.daily.map((d) => [d.day, d]));
  return bucketsOf(data.filters, data.granularity).map((day) => byBucket.get(day) ?? { day, values: {} });
}

/** Drill-down: each breakdown row's label → the Calls page filtered to that row's calls. */
function breakdownLinks(data: CostsData, dimension: CostDimension): Record<string, string> {
  const { from, to, org } = data.filters;
  return Object.fromEntries(
    data.breakdowns[dimension].map((row) => [row.label, callsHref({ organization: org ?? undefined, [dimension]: row.key, from, to, tz: data.zone })]),
  );
}

export function CostsView({ data }: { data: CostsData }) {
  const currency = data.reporting.currency;
  const rows = shownCostRows(data);
  const total = rows.find((r) => r.breakdown === "Total");
  const range = `${formatDay(data.filters.from, "long")} to ${formatDay(data.filters.to, "long")} (${data.zone})`;
  const per = data.granularity === "day" ? "Daily" : "Monthly";

  return (
    <div className="flex flex-col gap-6">
      <CurrencyNote data={data} />
      <section aria-label="Totals" className="grid gap-4 sm:grid-cols-3">
        <StatCard
          title={`Total cost (${currency})`}
          icon={Coins}
          value={
            <span data-testid="cost-total">
              <Money amount={total?.cost ?? "0"} currency={currency} />
            </span>
          }
          hint={
            <>
              {range}
              <UnconvertedNote unconverted={data.total.unconverted} className="block" />
            </>
          }
        />
        <StatCard title="Calls" icon={Hash} value={formatCount(data.total.calls)} hint={range} />
        <StatCard
          title="Calls without a cost"
          icon={HelpCircle}
          value={formatCount(data.unpricedCalls)}
          hint="Unknown price or tokens: in no amount here (see Completeness)"
        />
      </section>
      <Card>
        <CardHeader>
          <CardTitle className="text-base">{per} cost per organization</CardTitle>
          <CardDescription>
            {range}, in {currency}, stacked by organization. Amounts without a conversion rate are not plotted.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {data.series.length === 0 ? (
            <p className="text-sm text-muted-foreground">No calls in this range.</p>
          ) : (
            <StackedBarChart
              data={fillBuckets(data)}
              series={data.series}
              currency={currency}
              label={`${per} cost per organization in ${currency}, ${range}`}
              drill={{
                // The days of each bar are the page's zone: Calls selects exactly that day.
                base: { tz: data.zone },
                series: Object.fromEntries(data.series.map((s) => [s.key, { organization: s.key === "none" ? null : s.key }])),
                from: data.filters.from,
                to: data.filters.to,
              }}
            />
          )}
        </CardContent>
      </Card>
      <div className="grid min-w-0 gap-4 2xl:grid-cols-2">
        {COST_DIMENSIONS.map((d) => (
          <CostBreakdownTable
            key={d}
            title={DIMENSION_LABELS[d]}
            currency={currency}
            rows={rows.filter((r) => r.breakdown === DIMENSION_LABELS[d])}
            links={breakdownLinks(data, d)}
          />
        ))}
      </div>
    </div>
  );
}
