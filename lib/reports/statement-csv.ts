import type { StatementView } from "@/lib/db/statements";
import type { StatementLine } from "@/lib/engine/statement";
import { csvLine } from "@/lib/reports/csv";

/**
 * A statement as CSV: one row per line in the order the page shows them (usage per app, then
 * adjustments), then a subtotal per app, the adjustments total and the total, with exact decimals.
 * Amounts without a rate keep their own currency on a row marked not_converted = yes.
 */

export const STATEMENT_CSV_HEADER = [
  "organization", "month", "status", "row", "app", "provider", "model", "action", "pricing", "corrects_month",
  "calls", "calls_without_cost", "prompt_tokens", "completion_tokens", "cached_tokens", "reasoning_tokens",
  "cache_write_5m_tokens", "cache_write_1h_tokens", "provider_cost", "provider_currency", "client_price",
  "client_price_currency", "rate", "amount", "billing_currency", "not_converted",
] as const;

function lineRow(v: StatementView, l: StatementLine): (string | number)[] {
  return [
    v.organization.name, v.month, v.status, l.kind, l.appName ?? "", l.providerCode ?? "", l.modelCode ?? "", l.actionType ?? "", l.pricing,
    l.correctsMonth?.slice(0, 7) ?? "", l.calls, l.callsWithoutCost, l.tokens.prompt, l.tokens.completion, l.tokens.cached, l.tokens.reasoning,
    l.tokens.cacheWrite5m, l.tokens.cacheWrite1h, l.providerCost, l.currency ?? "", l.sourceAmount ?? "", l.sourceCurrency ?? "", l.rate ?? "",
    l.amount ?? "", v.billingCurrency, l.amount === null && l.sourceAmount !== null ? "yes" : "",
  ];
}

function totalRows(v: StatementView, row: string, app: string, total: { amount: string; unconverted: Record<string, string> }): (string | number)[][] {
  const blank = (n: number) => Array<string>(n).fill("");
  const rows: (string | number)[][] = [[v.organization.name, v.month, v.status, row, app, ...blank(18), total.amount, v.billingCurrency, ""]];
  for (const [currency, amount] of Object.entries(total.unconverted)) {
    rows.push([v.organization.name, v.month, v.status, row, app, ...blank(15), amount, currency, "", "", v.billingCurrency, "yes"]);
  }
  return rows;
}

export function statementToCsv(v: StatementView): string {
  const rows: (string | number)[][] = [];
  for (const app of v.summary.apps) {
    for (const l of app.lines) rows.push(lineRow(v, l));
    rows.push(...totalRows(v, "subtotal", app.appName ?? "", app.subtotal));
  }
  for (const l of v.summary.adjustments) rows.push(lineRow(v, l));
  if (v.summary.adjustments.length) rows.push(...totalRows(v, "adjustments_total", "", v.summary.adjustmentsTotal));
  rows.push(...totalRows(v, "total", "", v.summary.total));
  return [csvLine(STATEMENT_CSV_HEADER), ...rows.map(csvLine)].join("\r\n") + "\r\n";
}
