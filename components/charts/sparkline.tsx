"use client";

import { useId, useMemo } from "react";
import { Area, AreaChart, Tooltip, YAxis } from "recharts";
import { formatDay } from "@/components/format";

export interface SparklinePoint {
  /** Calendar day, YYYY-MM-DD. */
  day: string;
  /** Plotted value; null draws a gap (e.g. an error rate on a day without calls). */
  value: number | null;
  /** What the tooltip prints for this day, e.g. the exact decimal amount. */
  label: string;
}

interface SparklineProps {
  data: readonly SparklinePoint[];
  /** Accessible name of the chart, e.g. "Daily calls, last 30 days". */
  name: string;
  color?: string;
  height?: number;
}

/** A small area chart without axes for trends beside a figure. Presentational only: no fetching. */
export function Sparkline({ data, name, color = "var(--chart-1)", height = 180 }: SparklineProps) {
  const gradientId = `spark-${useId().replace(/:/g, "")}`;
  const byDay = useMemo(() => new Map(data.map((p) => [p.day, p])), [data]);
  return (
    <figure aria-label={name} className="m-0">
      <AreaChart responsive data={[...data]} style={{ width: "100%", height }} margin={{ top: 4, right: 2, bottom: 2, left: 2 }}>
        <defs>
          <linearGradient id={gradientId} x1="0" y1="0" x2="0" y2="1">
            <stop offset="0%" stopColor={color} stopOpacity={0.3} />
            <stop offset="100%" stopColor={color} stopOpacity={0.02} />
          </linearGradient>
        </defs>
        <YAxis hide domain={[0, "auto"]} />
        <Tooltip
          cursor={{ stroke: "var(--border)" }}
          content={({ active, payload }) => {
            const day = active ? (payload?.[0]?.payload as SparklinePoint | undefined)?.day : undefined;
            const point = day ? byDay.get(day) : undefined;
            if (!point) return null;
            return (
              <div className="rounded-md border bg-popover px-2 py-1 text-xs text-popover-foreground shadow-md">
                <span className="font-medium">{formatDay(point.day)}</span> · {point.label}
              </div>
            );
          }}
        />
        <Area type="monotone" dataKey="value" stroke={color} strokeWidth={1.5} fill={`url(#${gradientId})`} isAnimationActive={false} connectNulls={false} />
      </AreaChart>
    </figure>
  );
}
