"use client";

import { useMemo } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS, CHART_GRID, TOOLTIP_BOX } from "@/components/charts/chart-style";
import { formatMoney, formatMoneyTick } from "@/components/format";

export interface SavingsPoint {
  /** The bucket: a day (YYYY-MM-DD) or, past 93 days, a month (YYYY-MM). */
  period: string;
  /** Exact decimal strings in `currency`. */
  actual: string;
  baseline: string;
}

/** Actual cost beside the baseline (shadow) cost per day or month. Presentational only. */
export function SavingsChart({ data, currency, label, height = 260 }: { data: readonly SavingsPoint[]; currency: string; label: string; height?: number }) {
  const byPeriod = useMemo(() => new Map(data.map((p) => [p.period, p])), [data]);
  // Plotting needs numbers; the tooltip prints the exact values.
  const points = useMemo(() => data.map((p) => ({ period: p.period, actual: Number(p.actual), baseline: Number(p.baseline) })), [data]);
  return (
    <figure aria-label={label} className="m-0">
      <BarChart responsive data={points} style={{ width: "100%", height }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid {...CHART_GRID} />
        <XAxis {...AXIS} dataKey="period" />
        <YAxis
          {...AXIS}
          width={56}
          tickFormatter={(value: number) => formatMoneyTick(value, currency)}
        />
        <Tooltip
          cursor={{ fill: "var(--muted)", opacity: 0.4 }}
          content={({ active, label: period }) => {
            const point = active && typeof period === "string" ? byPeriod.get(period) : undefined;
            if (!point) return null;
            return (
              <div className={TOOLTIP_BOX}>
                <p className="mb-1 font-medium">{point.period}</p>
                <p>Actual: {formatMoney(point.actual, currency)}</p>
                <p>Baseline: {formatMoney(point.baseline, currency)}</p>
              </div>
            );
          }}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="baseline" name="Baseline model" fill="var(--chart-3)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
        <Bar dataKey="actual" name="Actual" fill="var(--chart-1)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
      </BarChart>
    </figure>
  );
}
