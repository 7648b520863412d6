import { Decimal } from "decimal.js";
import { csvLine } from "@/lib/reports/csv";
import type { SavingsAmounts, SavingsData } from "@/lib/db/savings";

/**
 * The rows the Savings tables show, in the order shown, with exact amounts (the page rounds only
 * for display, with the exact value in the title; percentages to 1 decimal). The page and the CSV
 * route both build from this one function, so the download holds exactly what is on screen.
 */

export type SavingsSection = "Organization and period" | "App" | "Total";

export interface ShownSavingsRow {
  section: SavingsSection;
  organization: string;
  /** A day or month of the reporting time zone; the range for the total. */
  period: string;
  app: string;
  baselineModel: string;
  calls: number;
  compared: number;
  withoutBaseline: number;
  actual: string;
  baseline: string;
  savings: string;
  /** "12.3" (percent of the baseline), or "" without a baseline amount. */
  savingsPct: string;
  currency: string;
  /** "yes" when the amounts are in their own currency because no rate converts them. */
  notConverted: string;
}

export function roundPct(pct: string | null): string {
  return pct === null ? "" : new Decimal(pct).toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toFixed(1);
}

function amounts(a: SavingsAmounts, currency: string, converted: boolean) {
  return {
    calls: a.calls,
    compared: a.compared,
    withoutBaseline: a.calls - a.compared,
    actual: a.actual,
    baseline: a.baseline,
    savings: a.savings,
    savingsPct: roundPct(a.pct),
    currency,
    notConverted: converted ? "" : "yes",
  };
}

export function shownSavingsRows(data: SavingsData): ShownSavingsRow[] {
  return [
    ...data.rows.map((r): ShownSavingsRow => ({
      section: "Organization and period",
      organization: r.organization,
      period: r.period,
      app: "",
      baselineModel: "",
      ...amounts(r, r.currency, r.converted),
    })),
    ...data.apps.map((r): ShownSavingsRow => ({
      section: "App",
      organization: "",
      period: "",
      app: r.app,
      baselineModel: r.baselineModel ?? "(none)",
      ...amounts(r, r.currency, r.converted),
    })),
    ...data.totals.map((r): ShownSavingsRow => ({
      section: "Total",
      organization: "",
      period: `${data.filters.from} to ${data.filters.to}`,
      app: "",
      baselineModel: "",
      ...amounts(r, r.currency, r.converted),
    })),
  ];
}

export const SAVINGS_CSV_HEADER = [
  "section", "organization", "period", "app", "baseline_model", "calls", "calls_compared", "calls_without_baseline",
  "actual_cost", "baseline_cost", "savings", "savings_pct", "currency", "not_converted",
] as const;

export function savingsRowCells(r: ShownSavingsRow): (string | number)[] {
  return [
    r.section, r.organization, r.period, r.app, r.baselineModel, r.calls, r.compared, r.withoutBaseline,
    r.actual, r.baseline, r.savings, r.savingsPct, r.currency, r.notConverted,
  ];
}

export function savingsToCsv(data: SavingsData): string {
  const lines = [SAVINGS_CSV_HEADER.join(",")];
  for (const r of shownSavingsRows(data)) lines.push(csvLine(savingsRowCells(r)));
  return `${lines.join("\r\n")}\r\n`;
}
