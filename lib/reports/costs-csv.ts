import { Decimal } from "decimal.js";
import { csvLine } from "@/lib/reports/csv";
import type { CostRow, CostsData } from "@/lib/db/costs";
import { COST_DIMENSIONS, DIMENSION_LABELS } from "@/lib/schemas/cost-filters";

/**
 * The rows the Costs tables show, in the order shown, with amounts rounded exactly as displayed
 * (2 decimals, half-up). The page and the CSV route both build from this one function, so the
 * download holds exactly what is on screen.
 */

export interface ShownCostRow {
  breakdown: string;
  name: string;
  calls: number;
  /** Rounded to 2 decimals in `currency`. */
  cost: string;
  currency: string;
  /** "12.34 USD" per currency without a rate, joined with "; ". Empty when all were converted. */
  notConverted: string;
}

export function roundShown(amount: string): string {
  return new Decimal(amount).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}

export function describeUnconverted(unconverted: Record<string, string>): string {
  return Object.entries(unconverted)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amount]) => `${roundShown(amount)} ${currency}`)
    .join("; ");
}

function shown(breakdown: string, row: CostRow, currency: string): ShownCostRow {
  return {
    breakdown,
    name: row.label,
    calls: row.calls,
    cost: roundShown(row.amount),
    currency,
    notConverted: describeUnconverted(row.unconverted),
  };
}

export function shownCostRows(data: CostsData): ShownCostRow[] {
  const currency = data.reporting.currency;
  return [
    ...COST_DIMENSIONS.flatMap((d) => data.breakdowns[d].map((row) => shown(DIMENSION_LABELS[d], row, currency))),
    shown("Total", data.total, currency),
  ];
}

export const CSV_HEADER = ["breakdown", "name", "calls", "cost", "currency", "not_converted"] as const;

export function costsToCsv(data: CostsData): string {
  const lines = [CSV_HEADER.join(",")];
  for (const r of shownCostRows(data)) {
    lines.push(csvLine([r.breakdown, r.name, r.calls, r.cost, r.currency, r.notConverted]));
  }
  return `${lines.join("\r\n")}\r\n`;
}
