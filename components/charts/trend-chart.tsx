"use client";

import { useMemo, useState } from "react";
import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount, formatDay, formatMoney, formatMoneyTick } from "@/components/format";
import { AXIS, CHART_GRID, DAY_AXIS, TOOLTIP_BOX } from "./chart-style";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";

export interface TrendPoint {
  /** Calendar day, YYYY-MM-DD. */
  day: string;
  /** Decimal string in `currency`. */
  cost: string;
  calls: number;
}

type Metric = "cost" | "calls";

interface TrendChartProps {
  data: readonly TrendPoint[];
  currency: string;
  /** Chart height in pixels. */
  height?: number;
}

const METRICS: readonly Metric[] = ["cost", "calls"];

const SERIES: Record<Metric, { label: string; color: string }> = {
  cost: { label: "Cost", color: "var(--chart-1)" },
  calls: { label: "Calls", color: "var(--chart-2)" },
};

/** Daily cost or call count as an area chart, switched with tabs. Presentational only: no fetching. */
export function TrendChart({ data, currency, height = 240 }: TrendChartProps) {
  const [metric, setMetric] = useState<Metric>("cost");
  const byDay = useMemo(() => new Map(data.map((p) => [p.day, p])), [data]);
  // Plotting needs numbers; the exact decimal string is what the tooltip prints.
  const points = useMemo(() => data.map((p) => ({ day: p.day, cost: Number(p.cost), calls: p.calls })), [data]);
  const range =
    data.length > 0 ? `${formatDay(data[0]?.day ?? "", "long")} to ${formatDay(data.at(-1)?.day ?? "", "long")}` : "";

  return (
    <Tabs value={metric} onValueChange={(v) => setMetric(v === "calls" ? "calls" : "cost")} className="gap-4">
      <TabsList aria-label="Metric" className="self-end">
        <TabsTrigger value="cost">Cost ({currency})</TabsTrigger>
        <TabsTrigger value="calls">Calls</TabsTrigger>
      </TabsList>
      {METRICS.map((key) => (
        <TabsContent key={key} value={key}>
          <figure aria-label={`Daily ${SERIES[key].label.toLowerCase()}, ${range}`} className="m-0">
            <AreaChart
              responsive
              data={points}
              style={{ width: "100%", height }}
              margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
            >
              <defs>
                <linearGradient id={`trend-fill-${key}`} x1="0" y1="0" x2="0" y2="1">
                  <stop offset="0%" stopColor={SERIES[key].color} stopOpacity={0.3} />
                  <stop offset="100%" stopColor={SERIES[key].color} stopOpacity={0.02} />
                </linearGradient>
              </defs>
              <CartesianGrid {...CHART_GRID} />
              <XAxis {...DAY_AXIS} />
              <YAxis
                {...AXIS}
                width={56}
                allowDecimals={key === "cost"}
                tickFormatter={(value: number) =>
                  key === "cost"
                    ? formatMoneyTick(value, currency)
                    : formatCount(value, { compact: true })
                }
              />
              <Tooltip
                cursor={{ stroke: "var(--border)" }}
                content={({ active, label }) => {
                  const point = active && typeof label === "string" ? byDay.get(label) : undefined;
                  if (!point) return null;
                  return (
                    <div className={TOOLTIP_BOX}>
                      <p className="mb-1 font-medium">{formatDay(point.day, "long")}</p>
                      <p>Cost: {formatMoney(point.cost, currency)}</p>
                      <p>Calls: {formatCount(point.calls)}</p>
                    </div>
                  );
                }}
              />
              <Area
                type="monotone"
                dataKey={key}
                name={SERIES[key].label}
                stroke={SERIES[key].color}
                strokeWidth={2}
                fill={`url(#trend-fill-${key})`}
                isAnimationActive={false}
              />
            </AreaChart>
          </figure>
        </TabsContent>
      ))}
    </Tabs>
  );
}
