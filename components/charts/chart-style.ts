import { formatDay } from "@/components/format";

/**
 * The look every dashboard chart shares, spread into Recharts elements (`<XAxis {...DAY_AXIS} />`)
 * so a chart states only what is its own: theme variables only, muted 12px ticks without tick or
 * axis lines, daily x axes thinned to fit, and one tooltip box.
 */

export const AXIS = {
  tickLine: false,
  axisLine: false,
  tick: { fill: "var(--muted-foreground)", fontSize: 12 },
};

/** The x axis of a chart with one point per calendar day (`day`, YYYY-MM-DD), labelled "Nov 24". */
export const DAY_AXIS = {
  ...AXIS,
  dataKey: "day",
  tickFormatter: (day: string) => formatDay(day),
  minTickGap: 24,
};

export const CHART_GRID = { vertical: false, stroke: "var(--border)" };

export const TOOLTIP_BOX = "rounded-md border bg-popover px-3 py-2 text-xs text-popover-foreground shadow-md";
