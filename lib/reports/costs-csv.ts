import { csvLine } from "@/lib/reports/csv";
import type { CostRow, CostsData } from "@/lib/db/costs";
import { COST_DIMENSIONS, DIMENSION_LABELS } from "@/lib/schemas/cost-filters";

/**
 * The rows the Costs tables show, in the order shown, with the exact amounts (no rounding: the
 * page rounds only when it displays, with the exact value in the title). The page and the CSV
 * route both build from this one function, so the download holds exactly what is on screen.
 *
 * CSV: one line per row in the reporting currency, and for an amount in a currency without a
 * rate a line of its own right after it (same breakdown and name, calls empty, that currency,
 * not_converted "yes"): never added to the reporting total, never dropped. After the breakdowns,
 * one line per period of the chart (breakdown "Day (<zone>)", or "Month (<zone>)" past 93 days;
 * name = the day or month in the reporting time zone), so the file holds the chart's figures too.
 */

export interface ShownCostRow {
  breakdown: string;
  name: string;
  calls: number;
  /** Exact decimal string in `currency`. */
  cost: string;
  currency: string;
  /** Currency → exact amount without a rate; empty when all were converted. */
  unconverted: Record<string, string>;
}

/** "0.63 USD; 1.2 GBP": exact amounts per currency without a rate, for a note. */
export function describeUnconverted(unconverted: Record<string, string>): string {
  return Object.entries(unconverted)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amount]) => `${amount} ${currency}`)
    .join("; ");
}

function shown(breakdown: string, row: CostRow, currency: string): ShownCostRow {
  return { breakdown, name: row.label, calls: row.calls, cost: row.amount, currency, unconverted: row.unconverted };
}

export function shownCostRows(data: CostsData): ShownCostRow[] {
  const currency = data.reporting.currency;
  return [
    ...COST_DIMENSIONS.flatMap((d) => data.breakdowns[d].map((row) => shown(DIMENSION_LABELS[d], row, currency))),
    shown("Total", data.total, currency),
  ];
}

/** The chart's buckets as CSV rows: every day (or month) of the range in the page's zone. */
export function periodCostRows(data: CostsData): ShownCostRow[] {
  const breakdown = `${data.granularity === "day" ? "Day" : "Month"} (${data.zone})`;
  return data.periods.map((row) => shown(breakdown, row, data.reporting.currency));
}

export const CSV_HEADER = ["breakdown", "name", "calls", "cost", "currency", "not_converted"] as const;

/** The CSV lines of one shown row: its reporting-currency line, then one per unconverted currency. */
export function costRowCells(r: ShownCostRow): (string | number)[][] {
  return [
    [r.breakdown, r.name, r.calls, r.cost, r.currency, ""],
    ...Object.entries(r.unconverted)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, amount]) => [r.breakdown, r.name, "", amount, currency, "yes"]),
  ];
}

export function costsToCsv(data: CostsData): string {
  const lines = [CSV_HEADER.join(",")];
  const rows = shownCostRows(data);
  // Breakdowns, then the periods, then the total last.
  const ordered = [...rows.filter((r) => r.breakdown !== "Total"), ...periodCostRows(data), ...rows.filter((r) => r.breakdown === "Total")];
  for (const r of ordered) for (const cells of costRowCells(r)) lines.push(csvLine(cells));
  return `${lines.join("\r\n")}\r\n`;
}
