"use client";

import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount } from "@/components/format";
import { AXIS, CHART_GRID, TOOLTIP_BOX } from "./chart-style";

export interface CategoryBar {
  /** Axis label, e.g. "1" … "5". */
  label: string;
  value: number;
  /** Tooltip heading; defaults to the label. */
  title?: string;
}

interface CategoryBarChartProps {
  data: readonly CategoryBar[];
  /** What the figure shows, for screen readers. */
  label: string;
  /** Unit in the tooltip, e.g. "ratings". */
  unit: string;
  height?: number;
  /** One color per bar (theme variables only); cycles. */
  colors?: readonly string[];
}

const PALETTE = ["var(--chart-1)"];

/** Counts per category (a score distribution, a histogram). Presentational only. */
export function CategoryBarChart({ data, label, unit, height = 240, colors = PALETTE }: CategoryBarChartProps) {
  const points = data.map((d) => ({ ...d }));
  return (
    <figure aria-label={label} className="m-0">
      <BarChart responsive data={points} style={{ width: "100%", height }} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid {...CHART_GRID} />
        <XAxis {...AXIS} dataKey="label" />
        <YAxis
          {...AXIS}
          width={48}
          allowDecimals={false}
          tickFormatter={(value: number) => formatCount(value, { compact: true })}
        />
        <Tooltip
          cursor={{ fill: "var(--muted)", opacity: 0.4 }}
          content={({ active, payload }) => {
            const point = active ? (payload?.[0]?.payload as CategoryBar | undefined) : undefined;
            if (!point) return null;
            return (
              <div className={TOOLTIP_BOX}>
                <p className="mb-1 font-medium">{point.title ?? point.label}</p>
                <p>
                  {formatCount(point.value)} {unit}
                </p>
              </div>
            );
          }}
        />
        <Bar dataKey="value" name={unit} isAnimationActive={false}>
          {points.map((p, i) => (
            <Cell key={p.label} fill={colors[i % colors.length]} />
          ))}
        </Bar>
      </BarChart>
    </figure>
  );
}
