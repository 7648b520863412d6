import { Decimal } from "decimal.js";
import { Exact, rateFor, type ReportingCurrency } from "@/lib/engine/currency";

/**
 * A client statement's arithmetic (issue 13, "Client statements"), pure: usage groups from the
 * statement rollup become priced lines (app × provider × model × action × provider currency ×
 * client price row), subtotals per app and a total in the organization's billing currency.
 *
 * Client price: the client price list row in force for the model (priced from the tokens by kind)
 * if there is one, else provider cost × (1 + markup / 100). Conversion into the billing currency,
 * the ONE rule: rate(from → billing) = rate(from → reporting) / rate(billing → reporting) from
 * `reporting.fx_rates` (1 for the billing currency itself; the reporting rate itself when billing in
 * the reporting currency), rounded half-up to 12 decimals; that rate is shown on the statement and
 * the amount is source amount × rate, exactly (decimal.js at 60 digits, stored as unconstrained
 * numeric). An amount in a currency without a rate is never converted, zeroed or dropped: the line
 * keeps its source amount and is summed apart per currency.
 */

export const RATE_DECIMALS = 12;
const MTOK = new Exact(1_000_000);

export interface TokenCounts {
  prompt: number;
  completion: number;
  cached: number;
  reasoning: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
}

export interface ClientPrice {
  id: string;
  inputPerMtok: string;
  outputPerMtok: string;
  cachedInputPerMtok: string | null;
  cacheWritePerMtok: string | null;
  cacheWrite1hPerMtok: string | null;
  currency: string;
}

/** One aggregated group of the statement rollup, with the client price row in force for it. */
export interface UsageGroup {
  appId: string | null;
  appName: string | null;
  providerCode: string | null;
  modelCode: string | null;
  actionType: string | null;
  /** Provider cost currency; null for calls never priced. */
  currency: string | null;
  clientPrice: ClientPrice | null;
  calls: number;
  callsWithoutCost: number;
  tokens: TokenCounts;
  providerCost: string;
}

export interface StatementTerms {
  billingCurrency: string;
  markupPct: string;
  /** Source currency → rate into the billing currency (decimal strings); see billingRates. */
  rates: Record<string, string>;
}

export type LineKind = "usage" | "adjustment";

export interface StatementLine {
  kind: LineKind;
  appId: string | null;
  appName: string | null;
  providerCode: string | null;
  modelCode: string | null;
  actionType: string | null;
  currency: string | null;
  clientPriceId: string | null;
  pricing: "markup" | "price_list";
  calls: number;
  callsWithoutCost: number;
  tokens: TokenCounts;
  providerCost: string;
  /** The client's price before conversion, in sourceCurrency; null when nothing could be priced. */
  sourceAmount: string | null;
  sourceCurrency: string | null;
  /** sourceCurrency → billing currency; null = no rate (the amount is listed apart). */
  rate: string | null;
  /** In the billing currency; null when not converted. */
  amount: string | null;
  /** Adjustments: the month (YYYY-MM-01) and closed statement they correct. */
  correctsMonth: string | null;
  correctsStatementId: string | null;
}

/** The rates into `billingCurrency` for every currency the reporting settings can convert. */
export function billingRates(reporting: ReportingCurrency, billingCurrency: string): Record<string, string> {
  const billing = rateFor(reporting, billingCurrency);
  const out: Record<string, string> = { [billingCurrency]: "1" };
  if (!billing) return out;
  for (const currency of new Set([reporting.currency, ...Object.keys(reporting.rates)])) {
    if (currency === billingCurrency) continue;
    const r = rateFor(reporting, currency);
    if (r) out[currency] = trim(r.div(billing).toDecimalPlaces(RATE_DECIMALS, Decimal.ROUND_HALF_UP));
  }
  return out;
}

function trim(d: Decimal): string {
  const s = d.toFixed();
  return s === "-0" ? "0" : s;
}

/** The client price-list amount of some tokens (reasoning tokens are output tokens). */
export function priceListAmount(tokens: TokenCounts, price: ClientPrice): string {
  const input = new Exact(price.inputPerMtok);
  const writes = tokens.cacheWrite5m + tokens.cacheWrite1h;
  const uncached = Math.max(tokens.prompt - tokens.cached - writes, 0);
  const total = input
    .times(uncached)
    .plus(new Exact(price.cachedInputPerMtok ?? input).times(tokens.cached))
    .plus(new Exact(price.cacheWritePerMtok ?? input).times(tokens.cacheWrite5m))
    .plus((price.cacheWrite1hPerMtok !== null ? new Exact(price.cacheWrite1hPerMtok) : input.times(2)).times(tokens.cacheWrite1h))
    .plus(new Exact(price.outputPerMtok).times(tokens.completion));
  return trim(total.div(MTOK));
}

/** provider cost × (1 + markup / 100), exactly. */
export function markupAmount(providerCost: string, markupPct: string): string {
  return trim(new Exact(providerCost).times(new Exact(markupPct).div(100).plus(1)));
}

/** Converts with the statement's rates: [rate, amount], both null without a rate. */
function convert(sourceAmount: string | null, sourceCurrency: string | null, terms: StatementTerms): [string | null, string | null] {
  if (sourceAmount === null || sourceCurrency === null) return [null, null];
  const rate = terms.rates[sourceCurrency];
  if (rate === undefined) return [null, null];
  return [rate, trim(new Exact(sourceAmount).times(rate))];
}

export function lineKey(l: Pick<StatementLine, "appId" | "providerCode" | "modelCode" | "actionType" | "currency" | "clientPriceId">): string {
  return JSON.stringify([l.appId, l.providerCode, l.modelCode, l.actionType, l.currency, l.clientPriceId]);
}

/** Prices usage groups into usage lines (groups with the same key are added first). */
export function priceLines(groups: readonly UsageGroup[], terms: StatementTerms): StatementLine[] {
  const merged = new Map<string, UsageGroup>();
  for (const g of groups) {
    const key = lineKey({ ...g, clientPriceId: g.clientPrice?.id ?? null });
    const prev = merged.get(key);
    merged.set(key, prev ? { ...prev, calls: prev.calls + g.calls, callsWithoutCost: prev.callsWithoutCost + g.callsWithoutCost, tokens: addTokens(prev.tokens, g.tokens, 1), providerCost: trim(new Exact(prev.providerCost).plus(g.providerCost)) } : g);
  }
  return [...merged.values()].map((g) => {
    const priceList = g.clientPrice;
    const sourceAmount = priceList ? priceListAmount(g.tokens, priceList) : g.currency ? markupAmount(g.providerCost, terms.markupPct) : null;
    const sourceCurrency = priceList ? priceList.currency : g.currency;
    const [rate, amount] = convert(sourceAmount, sourceCurrency, terms);
    return {
      kind: "usage",
      appId: g.appId,
      appName: g.appName,
      providerCode: g.providerCode,
      modelCode: g.modelCode,
      actionType: g.actionType,
      currency: g.currency,
      clientPriceId: priceList?.id ?? null,
      pricing: priceList ? "price_list" : "markup",
      calls: g.calls,
      callsWithoutCost: g.callsWithoutCost,
      tokens: g.tokens,
      providerCost: g.providerCost,
      sourceAmount,
      sourceCurrency,
      rate,
      amount,
      correctsMonth: null,
      correctsStatementId: null,
    } satisfies StatementLine;
  }).sort(compareLines);
}

export function compareLines(a: StatementLine, b: StatementLine): number {
  return (a.appName ?? "").localeCompare(b.appName ?? "") || lineKey(a).localeCompare(lineKey(b));
}

function addTokens(a: TokenCounts, b: TokenCounts, sign: 1 | -1): TokenCounts {
  return {
    prompt: a.prompt + sign * b.prompt,
    completion: a.completion + sign * b.completion,
    cached: a.cached + sign * b.cached,
    reasoning: a.reasoning + sign * b.reasoning,
    cacheWrite5m: a.cacheWrite5m + sign * b.cacheWrite5m,
    cacheWrite1h: a.cacheWrite1h + sign * b.cacheWrite1h,
  };
}

const ZERO_TOKENS: TokenCounts = { prompt: 0, completion: 0, cached: 0, reasoning: 0, cacheWrite5m: 0, cacheWrite1h: 0 };

/**
 * Adjustment lines for a closed month: its live lines (priced with the CLOSED statement's terms:
 * its markup and rates) − every line already frozen for it (its usage lines and the adjustments
 * later closed statements froze for it). Only keys where something differs produce a line.
 */
export function adjustmentLines(live: readonly StatementLine[], frozen: readonly StatementLine[], corrects: { month: string; statementId: string }, terms: StatementTerms): StatementLine[] {
  const acc = new Map<string, { line: StatementLine; source: Decimal | null }>();
  const add = (l: StatementLine, sign: 1 | -1) => {
    const key = lineKey(l);
    const prev = acc.get(key);
    const base = prev?.line ?? { ...l, calls: 0, callsWithoutCost: 0, tokens: ZERO_TOKENS, providerCost: "0" };
    const source = l.sourceAmount === null ? prev?.source ?? null : (prev?.source ?? new Exact(0)).plus(new Exact(l.sourceAmount).times(sign));
    acc.set(key, {
      source,
      line: {
        ...base,
        appName: base.appName ?? l.appName,
        sourceCurrency: base.sourceCurrency ?? l.sourceCurrency,
        calls: base.calls + sign * l.calls,
        callsWithoutCost: base.callsWithoutCost + sign * l.callsWithoutCost,
        tokens: addTokens(base.tokens, l.tokens, sign),
        providerCost: trim(new Exact(base.providerCost).plus(new Exact(l.providerCost).times(sign))),
      },
    });
  };
  for (const l of live) add(l, 1);
  for (const l of frozen) add(l, -1);
  const out: StatementLine[] = [];
  for (const { line, source } of acc.values()) {
    const sourceAmount = source === null ? null : trim(source);
    const changed =
      line.calls !== 0 || line.callsWithoutCost !== 0 || !new Exact(line.providerCost).isZero() || (source !== null && !source.isZero()) ||
      Object.values(line.tokens).some((n) => n !== 0);
    if (!changed) continue;
    const [rate, amount] = convert(sourceAmount, line.sourceCurrency, terms);
    out.push({ ...line, kind: "adjustment", sourceAmount, rate, amount, correctsMonth: corrects.month, correctsStatementId: corrects.statementId });
  }
  return out.sort(compareLines);
}

export interface MoneyTotal {
  /** In the billing currency. */
  amount: string;
  /** Source currency → amount that could not be converted (no rate). */
  unconverted: Record<string, string>;
}

export function totalOf(lines: readonly StatementLine[]): MoneyTotal {
  let amount: Decimal = new Exact(0);
  const unconverted = new Map<string, Decimal>();
  for (const l of lines) {
    if (l.amount !== null) amount = amount.plus(l.amount);
    else if (l.sourceAmount !== null && l.sourceCurrency !== null) {
      unconverted.set(l.sourceCurrency, (unconverted.get(l.sourceCurrency) ?? new Exact(0)).plus(l.sourceAmount));
    }
  }
  return { amount: trim(amount), unconverted: Object.fromEntries([...unconverted].sort(([a], [b]) => a.localeCompare(b)).map(([c, d]) => [c, trim(d)])) };
}

export interface AppSection {
  appId: string | null;
  appName: string | null;
  lines: StatementLine[];
  subtotal: MoneyTotal;
}

export interface StatementSummary {
  apps: AppSection[];
  adjustments: StatementLine[];
  adjustmentsTotal: MoneyTotal;
  total: MoneyTotal;
  calls: number;
  /** Calls without a provider cost and without a client price list: not billed, counted here. */
  callsWithoutCost: number;
}

/** Groups usage lines per app (subtotals), lists adjustments apart, and totals everything. */
export function summarize(lines: readonly StatementLine[]): StatementSummary {
  const usage = lines.filter((l) => l.kind === "usage");
  const adjustments = lines.filter((l) => l.kind === "adjustment");
  const byApp = new Map<string, StatementLine[]>();
  for (const l of usage) byApp.set(l.appId ?? "", [...(byApp.get(l.appId ?? "") ?? []), l]);
  const apps = [...byApp.values()]
    .map((ls) => ({ appId: ls[0]?.appId ?? null, appName: ls[0]?.appName ?? null, lines: ls, subtotal: totalOf(ls) }))
    .sort((a, b) => (a.appName ?? "").localeCompare(b.appName ?? ""));
  return {
    apps,
    adjustments,
    adjustmentsTotal: totalOf(adjustments),
    total: totalOf(lines),
    calls: usage.reduce((n, l) => n + l.calls, 0),
    callsWithoutCost: lines.filter((l) => l.pricing === "markup").reduce((n, l) => n + l.callsWithoutCost, 0),
  };
}

/**
 * Adjustments of a closed month billed in another currency than the statement that carries them:
 * priced in the closed statement's currency (its terms), then converted by the carrying statement's
 * rate for that currency; the line's rate is the product (exact), so rate × source amount = amount
 * still holds. Without a rate the amount is listed apart in its source currency.
 */
export function rebill(lines: readonly StatementLine[], fromCurrency: string, terms: StatementTerms): StatementLine[] {
  if (fromCurrency === terms.billingCurrency) return [...lines];
  const cross = terms.rates[fromCurrency];
  return lines.map((l) => {
    if (l.rate === null || l.sourceAmount === null) return l;
    if (cross === undefined) return { ...l, rate: null, amount: null };
    const rate = trim(new Exact(l.rate).times(cross));
    return { ...l, rate, amount: trim(new Exact(l.sourceAmount).times(rate)) };
  });
}
