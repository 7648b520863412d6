import Link from "next/link";
import type { ReactNode } from "react";
import { Sparkline, type SparklinePoint } from "@/components/charts/sparkline";
import { formatCount, formatDay, formatMoney, formatPercent } from "@/components/format";
import { Money, UnconvertedNote } from "@/components/money";
import type { OverviewStats } from "@/lib/db/overview";
import type { Spend } from "@/lib/db/money";
import { callsHref, type CallsLink } from "@/lib/schemas/calls-href";

type Day = OverviewStats["daily"][number];

interface Trend {
  title: string;
  total: ReactNode;
  points: SparklinePoint[];
  color: string;
  /** The Calls filter behind the total (drill-down). */
  link: CallsLink;
}

function trends(daily: readonly Day[], currency: string, spend: Spend): Trend[] {
  const calls = daily.reduce((n, d) => n + d.calls, 0);
  const failed = daily.reduce((n, d) => n + d.failed, 0);
  return [
    {
      title: "Calls",
      total: formatCount(calls),
      color: "var(--chart-2)",
      link: {},
      points: daily.map((d) => ({ day: d.day, value: d.calls, label: `${formatCount(d.calls)} calls` })),
    },
    {
      title: `Cost (${currency})`,
      // The server's converted total (the figure Costs shows for the same 30 days), not a re-sum here.
      total: (
        <>
          <Money amount={spend.amount} currency={currency} className="block" />
          <UnconvertedNote unconverted={spend.unconverted} className="block text-xs font-normal text-muted-foreground" />
        </>
      ),
      color: "var(--chart-1)",
      link: { sort: "cost" },
      // Plotting needs numbers; the exact decimal string is what the tooltip prints.
      points: daily.map((d) => ({ day: d.day, value: Number(d.cost), label: formatMoney(d.cost, currency) })),
    },
    {
      title: "Error rate",
      total: calls > 0 ? formatPercent((100 * failed) / calls) : "—",
      color: "var(--destructive)",
      link: { status: "failed" },
      points: daily.map((d) => {
        const pct = d.calls > 0 ? (100 * d.failed) / d.calls : null;
        return { day: d.day, value: pct, label: pct === null ? "no calls" : `${formatPercent(pct)} failed` };
      }),
    },
  ];
}

/** Calls, cost and error rate over the last 30 days as small trend charts with their totals. */
export function TrendCards({ daily, currency, total }: { daily: readonly Day[]; currency: string; total: Spend }) {
  if (daily.length === 0) {
    return <p className="py-10 text-center text-sm text-muted-foreground">No calls recorded in the last 30 days.</p>;
  }
  const range = `${formatDay(daily[0]?.day ?? "")} – ${formatDay(daily.at(-1)?.day ?? "")}`;
  return (
    <div className="grid gap-6 sm:grid-cols-3">
      {trends(daily, currency, total).map((t) => (
        <div key={t.title} className="flex min-w-0 flex-col gap-1">
          <h3 className="text-sm font-medium text-muted-foreground">{t.title}</h3>
          <div className="text-xl font-semibold tracking-tight tabular-nums" data-trend-total={t.title}>
            {/* The trend's days are UTC days (llm_call_daily): the link names the zone, so Calls reads the same ones. */}
            <Link href={callsHref({ ...t.link, from: daily[0]?.day, to: daily.at(-1)?.day, tz: "UTC" })} className="underline-offset-4 hover:underline" data-drill="calls">
              {t.total}
            </Link>
          </div>
          <Sparkline data={t.points} name={`Daily ${t.title.toLowerCase()}, ${range}`} color={t.color} />
        </div>
      ))}
    </div>
  );
}
