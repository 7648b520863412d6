"use client";

import { useMemo } from "react";
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount, formatDay, formatMoney, formatMoneyTick } from "@/components/format";
import { ChartDrillLinks, drillHref, type ChartDrill } from "./chart-drill";
import { AXIS, CHART_GRID, DAY_AXIS, TOOLTIP_BOX } from "./chart-style";

export interface StackedSeries {
  key: string;
  label: string;
}

export interface StackedPoint {
  /** Calendar day, YYYY-MM-DD. */
  day: string;
  /** Series key → value: a decimal string for money, a count for counts. */
  values: Record<string, string | number>;
}

interface StackedBarChartProps {
  data: readonly StackedPoint[];
  series: readonly StackedSeries[];
  /** Money in this currency; omitted = plain counts. */
  currency?: string;
  /** What the figure shows, for screen readers. */
  label: string;
  height?: number;
  /** Override the palette per series (theme variables only). */
  colors?: readonly string[];
  /** Bars open the calls behind them (click), with the same links listed for the keyboard. */
  drill?: ChartDrill;
}

const PALETTE = ["var(--chart-1)", "var(--chart-2)", "var(--chart-3)", "var(--chart-4)", "var(--chart-5)"];

/** Daily values stacked by series (organizations, complete vs incomplete). Presentational only. */
export function StackedBarChart({ data, series, currency, label, height = 280, colors = PALETTE, drill }: StackedBarChartProps) {
  const router = useRouter();
  const byDay = useMemo(() => new Map(data.map((p) => [p.day, p])), [data]);
  // Plotting needs numbers; the tooltip prints the exact values.
  const points = useMemo(
    () => data.map((p) => ({ day: p.day, ...Object.fromEntries(series.map((s) => [s.key, Number(p.values[s.key] ?? 0)])) })),
    [data, series],
  );
  const format = (value: string | number, compact = false) =>
    currency
      ? compact
        ? formatMoneyTick(Number(value), currency)
        : formatMoney(String(value), currency)
      : formatCount(Number(value), { compact });

  return (
    <figure aria-label={label} className="m-0">
      <BarChart responsive data={points} style={{ width: "100%", height }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid {...CHART_GRID} />
        <XAxis {...DAY_AXIS} />
        <YAxis
          {...AXIS}
          width={60}
          tickFormatter={(value: number) => format(value, true)}
        />
        <Tooltip
          cursor={{ fill: "var(--muted)", opacity: 0.4 }}
          content={({ active, label: day }) => {
            const point = active && typeof day === "string" ? byDay.get(day) : undefined;
            if (!point) return null;
            return (
              <div className={TOOLTIP_BOX}>
                <p className="mb-1 font-medium">{formatDay(point.day, "long")}</p>
                {series.map((s) => (
                  <p key={s.key}>
                    {s.label}: {format(point.values[s.key] ?? 0)}
                  </p>
                ))}
              </div>
            );
          }}
        />
        <Legend wrapperStyle={{ fontSize: 12, color: "var(--muted-foreground)" }} />
        {series.map((s, i) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            stackId="stack"
            fill={colors[i % colors.length]}
            isAnimationActive={false}
            cursor={drill && drillHref(drill, s.key) ? "pointer" : undefined}
            onClick={(entry: { payload?: { day?: unknown } }) => {
              const href = drill && typeof entry.payload?.day === "string" ? drillHref(drill, s.key, entry.payload.day) : null;
              if (href) router.push(href);
            }}
          />
        ))}
      </BarChart>
      {drill && (
        <ChartDrillLinks drill={drill} series={series} days={data.map((p) => ({ ...p, label: formatDay(p.day) }))} format={(v) => format(v)} />
      )}
    </figure>
  );
}
