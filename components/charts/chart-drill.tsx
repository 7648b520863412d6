import Link from "next/link";
import { callsHref, monthRange, type CallsLink } from "@/lib/schemas/calls-href";

/**
 * How a chart's bars lead to the calls behind them: `base` filters (organization…) plus, per
 * series, the filters that select that series (null = that series has no Calls filter). A bar
 * of one day is `from = to = day`; a series over the whole chart is `from..to`.
 */
export interface ChartDrill {
  base: CallsLink;
  series: Record<string, CallsLink | null>;
  from: string;
  to: string;
}

export function drillHref(drill: ChartDrill, seriesKey: string, day?: string): string | null {
  const series = drill.series[seriesKey];
  if (series === null || series === undefined) return null;
  if (!day) return callsHref({ ...drill.base, ...series, from: drill.from, to: drill.to });
  // A month bucket (`yyyy-mm`, ranges past 93 days) opens its days within the chart's range.
  const bucket = day.length === 7 ? monthRange(day) : { from: day, to: day };
  return callsHref({ ...drill.base, ...series, from: bucket.from < drill.from ? drill.from : bucket.from, to: bucket.to > drill.to ? drill.to : bucket.to });
}

/**
 * The keyboard (and screen reader) way into the same calls a click on a bar opens: one link per
 * series for the whole range, and per day a disclosure listing that day's non-empty segments.
 */
export function ChartDrillLinks({
  drill,
  series,
  days,
  format,
}: {
  drill: ChartDrill;
  series: readonly { key: string; label: string }[];
  days: readonly { day: string; values: Record<string, string | number>; label: string }[];
  format: (value: string | number) => string;
}) {
  const linked = series.filter((s) => drillHref(drill, s.key) !== null);
  if (linked.length === 0) return null;
  const nonEmpty = days.filter((d) => linked.some((s) => Number(d.values[s.key] ?? 0) !== 0));
  return (
    <div className="mt-3 space-y-2 text-sm">
      <nav aria-label="Calls behind this chart" className="flex flex-wrap gap-x-4 gap-y-1">
        <span className="text-muted-foreground">Calls:</span>
        {linked.map((s) => (
          <Link key={s.key} href={drillHref(drill, s.key) ?? "/calls"} className="underline underline-offset-4">
            {s.label}
          </Link>
        ))}
      </nav>
      {nonEmpty.length > 0 && (
        <details>
          <summary className="cursor-pointer text-muted-foreground">Calls behind each bar</summary>
          <ul className="mt-2 grid max-h-64 gap-1 overflow-y-auto sm:grid-cols-2 lg:grid-cols-3" tabIndex={0} aria-label="Calls per day">
            {nonEmpty.map((d) => (
              <li key={d.day} className="flex flex-wrap gap-x-2">
                <span className="font-medium">{d.label}:</span>
                {linked
                  .filter((s) => Number(d.values[s.key] ?? 0) !== 0)
                  .map((s) => (
                    <Link key={s.key} href={drillHref(drill, s.key, d.day) ?? "/calls"} className="underline underline-offset-4">
                      {s.label} {format(d.values[s.key] ?? 0)}
                    </Link>
                  ))}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
