import Link from "next/link";
import { CircleCheck, CircleDashed, Hash } from "lucide-react";
import { StackedBarChart, type StackedPoint } from "@/components/charts/stacked-bar-chart";
import { formatCount, formatDay, formatPercent } from "@/components/format";
import { StatCard } from "@/components/overview/stat-card";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { CompletenessData } from "@/lib/db/completeness";
import { bucketsOf } from "@/lib/engine/date-range";
import { callsHref, NOT_RECORDED } from "@/lib/schemas/calls-href";
import { CoverageList } from "./coverage-list";
import { IncompleteTable } from "./incomplete-table";
import { MissingPricesTable } from "./missing-prices-table";

const SERIES = [
  { key: "complete", label: "Complete" },
  { key: "incomplete", label: "Incomplete" },
];

function dailyPoints(data: CompletenessData): StackedPoint[] {
  const byDay = new Map(data.daily.map((d) => [d.day, d]));
  // Every day, or every month past 93 days, so gaps show as zero.
  return bucketsOf(data.filters).map((day) => {
    const d = byDay.get(day);
    return { day, values: { complete: d?.complete ?? 0, incomplete: d ? d.calls - d.complete : 0 } };
  });
}

export function CompletenessView({ data }: { data: CompletenessData }) {
  const range = `${formatDay(data.filters.from, "long")} to ${formatDay(data.filters.to, "long")}`;
  const incomplete = data.calls - data.complete;
  // Drill-down: each bucket opens the Calls page on the same range and organization.
  // `tz`: the days are the page's zone, so Calls selects exactly those days.
  const scope = { organization: data.filters.org ?? undefined, from: data.filters.from, to: data.filters.to, tz: data.filters.zone };
  return (
    <div className="flex flex-col gap-6">
      <section aria-label="Totals" className="grid gap-4 sm:grid-cols-3">
        <StatCard
          title="Complete records"
          icon={CircleCheck}
          value={data.calls > 0 ? formatPercent((100 * data.complete) / data.calls) : "—"}
          hint={data.calls > 0 ? `${formatCount(data.complete)} of ${formatCount(data.calls)} calls` : "No calls in this range"}
        />
        <StatCard
          title="Incomplete records"
          icon={CircleDashed}
          value={incomplete > 0 ? <Link href={callsHref({ ...scope, incomplete: true })} className="underline-offset-4 hover:underline">{formatCount(incomplete)}</Link> : formatCount(incomplete)}
          hint="Missing organization, stage, type, tokens or cost"
        />
        <StatCard title="Calls" icon={Hash} value={formatCount(data.calls)} hint={range} />
      </section>
      <Card>
        <CardHeader>
          <CardTitle className="text-base">Complete and incomplete records per day</CardTitle>
          <CardDescription>{range}. A record is complete when organization, stage, type, tokens and cost are all present.</CardDescription>
        </CardHeader>
        <CardContent>
          {data.calls === 0 ? (
            <p className="text-sm text-muted-foreground">No calls in this range.</p>
          ) : (
            <StackedBarChart
              data={dailyPoints(data)}
              series={SERIES}
              colors={["var(--chart-2)", "var(--chart-5)"]}
              label={`Complete and incomplete records per day, ${range}`}
              drill={{ base: scope, series: { complete: null, incomplete: { incomplete: true } }, from: data.filters.from, to: data.filters.to }}
            />
          )}
        </CardContent>
      </Card>
      {/* grid-cols-1 (minmax(0, 1fr)): a wide table scrolls inside its card instead of widening the page at 390 px. */}
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle className="text-base">Metadata coverage</CardTitle>
            <CardDescription>Share of calls carrying each field.</CardDescription>
          </CardHeader>
          <CardContent>
            <CoverageList
              coverage={data.coverage}
              calls={data.calls}
              missingLinks={{
                organization: callsHref({ ...scope, organization: NOT_RECORDED }),
                stage: callsHref({ ...scope, stage: null }),
                type: callsHref({ ...scope, request_type: null }),
                cost: callsHref({ ...scope, without_cost: true }),
              }}
            />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle className="text-base">Incomplete records by purpose and app</CardTitle>
            <CardDescription>The 50 largest groups in the range.</CardDescription>
          </CardHeader>
          <CardContent>
            <IncompleteTable rows={data.incomplete} />
          </CardContent>
        </Card>
      </div>
      <Card>
        <CardHeader>
          <CardTitle className="text-base">Models missing from pricing</CardTitle>
          <CardDescription>
            Calls that reported tokens but have no cost, or were priced from the built-in fallback table. Add a price, then
            recompute costs.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <MissingPricesTable rows={data.missingPrices} scope={scope} />
        </CardContent>
      </Card>
    </div>
  );
}
