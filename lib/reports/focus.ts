import { Exact } from "@/lib/engine/currency";
import type { StatementView } from "@/lib/db/statements";
import type { StatementLine } from "@/lib/engine/statement";
import { monthBounds } from "@/lib/engine/statement-period";
import { csvLine } from "@/lib/reports/csv";

/**
 * A statement as a FOCUS 1.x cost and usage dataset (FinOps Open Cost and Usage Specification,
 * focus.finops.org), one row per statement line, so finance tools read it like a cloud bill.
 * Mapping (README "Client statements"):
 * - BillingAccount = the client organization; SubAccount = the app; Resource = app × provider ×
 *   model × action; Provider and Publisher = the LLM provider; InvoiceIssuer = this platform.
 * - BilledCost = EffectiveCost = ContractedCost = the line's amount in the billing currency (what
 *   the client pays); ListCost = the provider cost converted by the same rate (before markup or
 *   price list). A line without a rate has no billing-currency amount: its cost columns are empty
 *   and x_UnconvertedAmount / x_UnconvertedCurrency carry it (never dropped or zeroed).
 * - ChargeCategory Usage; an adjustment of a closed month is ChargeCategory Adjustment with
 *   ChargeClass Correction and the corrected month as its ChargePeriod.
 * - Consumed/Pricing quantity: tokens (all kinds), priced per 1M tokens.
 * Custom columns use the spec's x_ prefix.
 */

export const FOCUS_VERSION = "1.2";
export const INVOICE_ISSUER = "LLM control plane";

export const FOCUS_COLUMNS = [
  "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodStart", "BillingPeriodEnd",
  "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargeFrequency", "ChargePeriodStart", "ChargePeriodEnd",
  "ConsumedQuantity", "ConsumedUnit", "ContractedCost", "EffectiveCost", "InvoiceIssuerName", "ListCost",
  "PricingCategory", "PricingCurrency", "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName",
  "ResourceId", "ResourceName", "ResourceType", "ServiceCategory", "ServiceName", "SkuId", "SkuPriceId",
  "SubAccountId", "SubAccountName", "Tags",
  "x_Calls", "x_CallsWithoutCost", "x_ProviderCost", "x_ProviderCurrency", "x_ExchangeRate", "x_Pricing",
  "x_UnconvertedAmount", "x_UnconvertedCurrency", "x_CorrectsStatementId",
] as const;
export type FocusColumn = (typeof FOCUS_COLUMNS)[number];
export type FocusRow = Record<FocusColumn, string>;

function tokensOf(l: StatementLine): number {
  return l.tokens.prompt + l.tokens.completion;
}

function trim(s: string): string {
  return s === "-0" ? "0" : s;
}

export function focusRows(v: StatementView): FocusRow[] {
  return v.lines.map((l) => {
    const adjustment = l.kind === "adjustment";
    const tokens = tokensOf(l);
    const list = l.currency && v.rates[l.currency] !== undefined ? trim(new Exact(l.providerCost).times(v.rates[l.currency] ?? "0").toFixed()) : "";
    const corrected = adjustment && l.correctsMonth ? monthBounds(l.correctsMonth.slice(0, 7), v.timeZone) : null;
    const chargeStart = corrected ? corrected.start.toISOString() : v.period.start;
    const chargeEnd = corrected ? corrected.end.toISOString() : v.period.end;
    const model = l.modelCode ?? "(none)";
    const tags: Record<string, string> = { app: l.appName ?? "", action: l.actionType ?? "", provider: l.providerCode ?? "", model, pricing: l.pricing };
    if (adjustment && l.correctsMonth) tags.corrects_month = l.correctsMonth.slice(0, 7);
    return {
      BilledCost: l.amount ?? "",
      BillingAccountId: v.organization.id,
      BillingAccountName: v.organization.name,
      BillingCurrency: v.billingCurrency,
      BillingPeriodStart: v.period.start,
      BillingPeriodEnd: v.period.end,
      ChargeCategory: adjustment ? "Adjustment" : "Usage",
      ChargeClass: adjustment ? "Correction" : "",
      ChargeDescription: `${adjustment ? `Correction of ${l.correctsMonth?.slice(0, 7) ?? ""}: ` : ""}${model} for ${l.appName ?? "no app"} / ${l.actionType ?? "no action"}, ${l.calls} calls, ${tokens} tokens${l.pricing === "price_list" ? " (client price list)" : ` (cost + ${v.markupPct} %)`}`,
      ChargeFrequency: "Usage-Based",
      ChargePeriodStart: chargeStart,
      ChargePeriodEnd: chargeEnd,
      ConsumedQuantity: String(tokens),
      ConsumedUnit: "Tokens",
      ContractedCost: l.amount ?? "",
      EffectiveCost: l.amount ?? "",
      InvoiceIssuerName: INVOICE_ISSUER,
      ListCost: list,
      PricingCategory: "Standard",
      PricingCurrency: l.sourceCurrency ?? "",
      PricingQuantity: trim(new Exact(tokens).div(1_000_000).toFixed()),
      PricingUnit: "1M Tokens",
      ProviderName: l.providerCode ?? "",
      PublisherName: l.providerCode ?? "",
      ResourceId: [l.appId ?? "", l.providerCode ?? "", model, l.actionType ?? ""].join("/"),
      ResourceName: `${l.appName ?? "no app"} · ${model} · ${l.actionType ?? "no action"}`,
      ResourceType: "LLM model usage",
      ServiceCategory: "AI and Machine Learning",
      ServiceName: "LLM gateway",
      SkuId: `${l.providerCode ?? ""}/${model}`,
      SkuPriceId: l.clientPriceId ?? `markup:${v.markupPct}`,
      SubAccountId: l.appId ?? "",
      SubAccountName: l.appName ?? "",
      Tags: JSON.stringify(tags),
      x_Calls: String(l.calls),
      x_CallsWithoutCost: String(l.callsWithoutCost),
      x_ProviderCost: l.providerCost,
      x_ProviderCurrency: l.currency ?? "",
      x_ExchangeRate: l.rate ?? "",
      x_Pricing: l.pricing,
      x_UnconvertedAmount: l.amount === null && l.sourceAmount !== null ? l.sourceAmount : "",
      x_UnconvertedCurrency: l.amount === null && l.sourceAmount !== null ? (l.sourceCurrency ?? "") : "",
      x_CorrectsStatementId: l.correctsStatementId ?? "",
    };
  });
}

export function focusToCsv(v: StatementView): string {
  return [csvLine(FOCUS_COLUMNS), ...focusRows(v).map((r) => csvLine(FOCUS_COLUMNS.map((c) => r[c])))].join("\r\n") + "\r\n";
}
