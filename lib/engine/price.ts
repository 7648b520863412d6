import Decimal from "decimal.js";
import { fallbackPrice } from "@/lib/engine/fallback-prices";
import { findModelByCode, key2, type ConfigSnapshot } from "@/lib/engine/snapshot";
import type { PriceRow, Pricing, SnapshotPrice, Usage } from "@/lib/engine/types";

/**
 * Cost is a pure function of usage and a price row. Exact decimal arithmetic throughout: a float
 * would drift on sums of millions of calls, and finance reconciles these figures to invoices.
 */

/**
 * A private Decimal: 50 significant digits (a million-token call at a four-digit price still has
 * all 12 decimals), half-up like Postgres numeric, and never exponent notation. Cloned so the
 * global Decimal other modules may configure is left alone.
 */
export const Dec = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -100, toExpPos: 100 });
export type Dec = InstanceType<typeof Dec>;

const MTOK = new Dec(1_000_000);
/** llm_calls.cost is numeric(24, 12). */
export const COST_DECIMALS = 12;

/** Fixed point with up to 12 decimals, trailing zeros trimmed: "0.18518505", "3", never "1e-7". */
export function formatCost(value: Decimal.Value): string {
  const fixed = (value instanceof Dec ? value : new Dec(value)).toFixed(COST_DECIMALS);
  const trimmed = fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
  return trimmed === "-0" ? "0" : trimmed;
}

/**
 * The price row in force at `at` (epoch ms): the latest effective_from <= at. A row effective in
 * the future is never used, so a scheduled price change takes effect on its date. Accepts a
 * snapshot (binary search over its sorted index) or a plain list (any order).
 */
export function priceInForce(
  prices: ConfigSnapshot | readonly SnapshotPrice[],
  modelId: string,
  at: number,
): SnapshotPrice | null {
  if (isPriceList(prices)) {
    let best: SnapshotPrice | null = null;
    for (const p of prices) {
      if (p.modelId === modelId && p.effectiveFrom <= at && (!best || p.effectiveFrom > best.effectiveFrom)) best = p;
    }
    return best;
  }
  const list = prices.pricesByModel.get(modelId);
  if (!list) return null;
  let lo = 0;
  let hi = list.length - 1;
  let found: SnapshotPrice | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = list[mid];
    if (!p) break;
    if (p.effectiveFrom <= at) {
      found = p;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function isPriceList(value: ConfigSnapshot | readonly SnapshotPrice[]): value is readonly SnapshotPrice[] {
  return Array.isArray(value);
}

function validCount(n: number | null): n is number {
  return n !== null && Number.isFinite(n) && n >= 0;
}

/** A price row's per-million rates as decimals, with the missing ones resolved (see priceUsage). */
interface Rates {
  /** The row's price strings these were parsed from (a row changed in place is parsed again). */
  readonly source: Readonly<PriceRow>;
  readonly input: Dec;
  readonly output: Dec;
  readonly cachedInput: Dec;
  readonly cacheWrite: Dec;
  readonly cacheWrite1h: Dec;
  readonly reasoning: Dec;
}

/**
 * A 1-hour cache write costs the row's cache_write_1h_per_mtok, or 2x the input price when the row
 * has none: Anthropic's published rate (anthropic.com/pricing, "1h cache writes"), and Anthropic
 * is the only provider that reports 1-hour writes. Unlike the 5-minute price (whose absence means
 * "writes cost the input price", the meaning rows had before writes were priced) there is no
 * older meaning to keep, and the 5-minute price would under-cost every such write.
 */
const ONE_HOUR_WRITE_MULTIPLIER = 2;

/** The 1-hour cache-write price a row prices with, per million tokens (see ONE_HOUR_WRITE_MULTIPLIER). */
export function cacheWrite1hRate(row: PriceRow): string {
  return row.cacheWrite1hPerMtok ?? formatCost(new Dec(row.inputPerMtok).times(ONE_HOUR_WRITE_MULTIPLIER));
}

function sameRates(a: Readonly<PriceRow>, b: PriceRow): boolean {
  return (
    a.inputPerMtok === b.inputPerMtok && a.outputPerMtok === b.outputPerMtok && a.cachedInputPerMtok === b.cachedInputPerMtok &&
    a.cacheWritePerMtok === b.cacheWritePerMtok && a.cacheWrite1hPerMtok === b.cacheWrite1hPerMtok && a.reasoningPerMtok === b.reasoningPerMtok
  );
}

/** Parsed once per price row (every call of a model prices against the same snapshot row). */
const parsedRates = new WeakMap<PriceRow, Rates>();

function ratesOf(row: PriceRow): Rates {
  const hit = parsedRates.get(row);
  if (hit && sameRates(hit.source, row)) return hit;
  const source = { ...row };
  const input = new Dec(row.inputPerMtok);
  const output = new Dec(row.outputPerMtok);
  const rates: Rates = {
    source,
    input,
    output,
    cachedInput: row.cachedInputPerMtok !== null ? new Dec(row.cachedInputPerMtok) : input,
    cacheWrite: row.cacheWritePerMtok !== null ? new Dec(row.cacheWritePerMtok) : input,
    cacheWrite1h: new Dec(cacheWrite1hRate(row)),
    reasoning: row.reasoningPerMtok !== null ? new Dec(row.reasoningPerMtok) : output,
  };
  parsedRates.set(row, rates);
  return rates;
}

/**
 * cost = ((prompt - cached - written) x input + cached x (cached_input ?? input)
 *        + (written - written_1h) x (cache_write ?? input) + written_1h x (cache_write_1h ?? 2 x input)
 *        + (completion - reasoning) x output + reasoning x (reasoning ?? output)) / 1e6.
 * `written` = prompt tokens written to the provider's cache (Anthropic bills them at 1.25x input
 * for a 5-minute cache); without a cache-write price they cost the input price. `written_1h` =
 * the part of them written to a 1-hour cache (2x input at Anthropic; see cacheWrite1hRate).
 * Null when the provider did not report prompt or completion tokens: an unknown cost is recorded
 * as unknown (the record is then incomplete), never guessed and never 0.
 */
export function priceUsage(usage: Usage, row: PriceRow): string | null {
  const { promptTokens, completionTokens } = usage;
  if (!validCount(promptTokens) || !validCount(completionTokens)) return null;
  // The Usage contract makes cached and written disjoint subsets of prompt, and reasoning a subset
  // of completion; clamping keeps a provider's inconsistent report from producing a negative term.
  const cached = Math.min(validCount(usage.cachedTokens) ? usage.cachedTokens : 0, promptTokens);
  const writes = usage.cacheWriteTokens ?? null;
  const written = Math.min(validCount(writes) ? writes : 0, promptTokens - cached);
  const writes1h = usage.cacheWrite1hTokens ?? null;
  const written1h = Math.min(validCount(writes1h) ? writes1h : 0, written);
  const reasoning = Math.min(validCount(usage.reasoningTokens) ? usage.reasoningTokens : 0, completionTokens);
  try {
    const r = ratesOf(row);
    let total = r.input.times(promptTokens - cached - written).plus(r.output.times(completionTokens - reasoning));
    if (cached > 0) total = total.plus(r.cachedInput.times(cached));
    if (written > written1h) total = total.plus(r.cacheWrite.times(written - written1h));
    if (written1h > 0) total = total.plus(r.cacheWrite1h.times(written1h));
    if (reasoning > 0) total = total.plus(r.reasoning.times(reasoning));
    return formatCost(total.div(MTOK));
  } catch {
    // A malformed price string (impossible from numeric columns) must not fail a call.
    return null;
  }
}

export interface PriceCallInput {
  snapshot: ConfigSnapshot | null;
  /** The catalog id when known; else it is looked up by provider and model code. */
  modelId?: string | null;
  modelCode: string | null;
  providerCode?: string | null;
  usage: Usage;
  /** Time of the call, epoch ms: the price row in force then is used. */
  at: number;
}

const UNKNOWN: Pricing = { cost: null, currency: null, source: null, priceId: null, unit: null };

function unitOf(row: PriceRow): NonNullable<Pricing["unit"]> {
  return {
    input: row.inputPerMtok,
    output: row.outputPerMtok,
    cachedInput: row.cachedInputPerMtok,
    cacheWrite: row.cacheWritePerMtok,
    cacheWrite1h: cacheWrite1hRate(row),
    reasoning: row.reasoningPerMtok,
  };
}

function catalogModelId(input: PriceCallInput): string | null {
  if (input.modelId) return input.modelId;
  const { snapshot, modelCode, providerCode } = input;
  if (!snapshot || !modelCode) return null;
  if (providerCode) return snapshot.modelsByProviderCode.get(key2(providerCode, modelCode))?.id ?? null;
  return findModelByCode(snapshot, modelCode)?.id ?? null;
}

/**
 * Prices one attempt: the database row in force at the call's time, else the built-in table of
 * public list prices, else unknown (cost null, source null).
 */
export function priceCall(input: PriceCallInput): Pricing {
  const modelId = catalogModelId(input);
  const row = input.snapshot && modelId ? priceInForce(input.snapshot, modelId, input.at) : null;
  if (row) {
    return { cost: priceUsage(input.usage, row), currency: row.currency, source: "database", priceId: row.id, unit: unitOf(row) };
  }
  const code = input.modelCode ?? (modelId ? input.snapshot?.modelsById.get(modelId)?.modelCode : null) ?? null;
  const fallback = code ? fallbackPrice(code) : null;
  if (fallback) {
    return { cost: priceUsage(input.usage, fallback), currency: fallback.currency, source: "fallback", priceId: null, unit: unitOf(fallback) };
  }
  return UNKNOWN;
}

/**
 * The shadow cost of the same usage on the app's baseline model, for savings. Null when it cannot
 * be compared honestly: no baseline price, incomplete usage, or another currency than the call's
 * (never add EUR to USD).
 */
export function baselineCost(usage: Usage, baselinePriceRow: PriceRow | null, currency: string | null): string | null {
  if (!baselinePriceRow || !currency || baselinePriceRow.currency !== currency) return null;
  return priceUsage(usage, baselinePriceRow);
}

/** The price row for a catalog model at a time: database first, else the built-in table. */
export function effectivePriceRow(snapshot: ConfigSnapshot, modelId: string, at: number): PriceRow | null {
  const row = priceInForce(snapshot, modelId, at);
  if (row) return row;
  const model = snapshot.modelsById.get(modelId);
  return model ? fallbackPrice(model.modelCode) : null;
}

/** baselineCost against the app's configured baseline model, priced at the call's time. */
export function appBaselineCost(
  snapshot: ConfigSnapshot,
  { appId, usage, at, currency }: { appId: string; usage: Usage; at: number; currency: string | null },
): string | null {
  const baselineId = snapshot.appsById.get(appId)?.baselineModelId;
  if (!baselineId) return null;
  return baselineCost(usage, effectivePriceRow(snapshot, baselineId, at), currency);
}
