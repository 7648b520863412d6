import { rateFor, reportingCurrencyFrom, FX_RATES_KEY, REPORTING_CURRENCY_KEY, type ReportingCurrency } from "@/lib/engine/currency";
import { Dec, effectivePriceRow, formatCost, priceUsage } from "@/lib/engine/price";
import { readJson, readNumber, type SettingContext } from "@/lib/engine/settings";
import { usableModel, type ConfigSnapshot, type UsableModel } from "@/lib/engine/snapshot";
import type { BudgetState, ModelKind, PriceRow, SnapshotOrganization, TraceStep } from "@/lib/engine/types";

/**
 * The budget step of routing: month-to-date spend plus the calls in flight (reserved) plus this
 * call's estimate against the organization's monthly budget. Pure: the gateway computes the
 * spend and reservations (lib/gateway/budget-reservations.ts) and passes them in the budget's
 * currency. Also the estimate of a call before it is made and the conversion of amounts into
 * the budget's currency with reporting.fx_rates, the Costs page's rule.
 */

export const DEFAULT_ALERT_THRESHOLDS = [80, 100] as const;

export interface BudgetEvaluation {
  /** Alert thresholds (percent) the spend after this call reaches. */
  alerts: number[];
  /** The budget is exhausted, or this call would take the spend past it. */
  over: boolean;
  policy: SnapshotOrganization["budgetPolicy"];
  /** Human-readable amounts, for the 429 message and the trace. */
  summary: string;
}

/** The thresholds setting, validated; anything malformed falls back to 80 / 100. */
export function alertThresholds(snapshot: ConfigSnapshot, ctx: SettingContext): number[] {
  const raw = readJson(snapshot, "budget.alert_thresholds", ctx).value;
  if (!Array.isArray(raw) || raw.length === 0) return [...DEFAULT_ALERT_THRESHOLDS];
  const valid = raw.every((t): t is number => typeof t === "number" && Number.isFinite(t) && t > 0);
  if (!valid) return [...DEFAULT_ALERT_THRESHOLDS];
  return [...new Set(raw as number[])].sort((a, b) => a - b);
}

function parse(value: string | null): Dec | null {
  if (value === null) return null;
  try {
    const d = new Dec(value);
    return d.isFinite() ? d : null;
  } catch {
    return null;
  }
}

/**
 * Null when there is nothing to enforce (no organization, no budget, no spend figure); the trace
 * says which. A missing spend figure fails open: the gateway could not read the counters, and
 * refusing every call of a client for that would be the worse failure.
 */
export interface BudgetEvaluationInput {
  org: SnapshotOrganization | null;
  state: BudgetState | null | undefined;
  /** Where the budget settings are read (app and organization scope). */
  ctx: SettingContext;
  /** The routing trace: the evaluation says what it found. */
  trace: TraceStep[];
}

export function evaluateBudget(snapshot: ConfigSnapshot, { org, state, ctx, trace }: BudgetEvaluationInput): BudgetEvaluation | null {
  if (!org || org.monthlyBudget === null) {
    trace.push({ rule: "budget", outcome: "info", detail: org ? `${org.slug} has no monthly budget` : "no organization: no budget" });
    return null;
  }
  const budget = parse(org.monthlyBudget);
  const spent = state ? parse(state.spent) : null;
  if (!budget || !state || !spent) {
    trace.push({ rule: "budget", outcome: "skipped", detail: `${org.slug}: month-to-date spend unknown, budget not enforced` });
    return null;
  }
  const estimate = parse(state.estimate) ?? new Dec(0);
  const reserved = parse(state.reserved ?? null) ?? new Dec(0);
  const committed = spent.plus(reserved.isNegative() ? 0 : reserved);
  const projected = committed.plus(estimate.isNegative() ? 0 : estimate);
  const alerts = crossedThresholds(snapshot, ctx, budget, projected);
  // Exhausted (spent + in flight >= budget) blocks even a call whose estimate is unknown;
  // otherwise a call that fits exactly within the budget is still allowed.
  const over = committed.gte(budget) || projected.gt(budget);
  const cur = org.budgetCurrency;
  const inFlight = state.reserved !== undefined && state.reserved !== null ? ` + in flight ${formatCost(reserved)} ${cur}` : "";
  const summary =
    `month-to-date ${formatCost(spent)} ${cur}${inFlight} + estimate ${state.estimate === null ? "unknown" : `${formatCost(estimate)} ${cur}`}` +
    ` against a monthly budget of ${formatCost(budget)} ${cur}`;
  trace.push({
    rule: "budget",
    outcome: over || alerts.length > 0 ? "applied" : "info",
    detail: `${org.slug}: ${summary}${alerts.length ? `; alerts at ${alerts.join("%, ")}%` : ""}${over ? `; over budget, policy ${org.budgetPolicy}` : ""}`,
  });
  return { alerts, over, policy: org.budgetPolicy, summary };
}

/** The alert thresholds (percent of the budget) that a projected spend reaches. */
export function crossedThresholds(snapshot: ConfigSnapshot, ctx: SettingContext, budget: Dec, projected: Dec): number[] {
  return alertThresholds(snapshot, ctx).filter((t) => projected.times(100).gte(budget.times(t)));
}

// ---- Estimating a call before it is made -------------------------------------------------

export const DEFAULT_OUTPUT_TOKENS = 1024;
/**
 * Conservative: tokenizers average about 4 bytes of English (and about 3 of CJK, 1 character)
 * per token, so 3 bytes a token overestimates nearly every prompt. JSON quoting and field names
 * are counted too, which errs the same way.
 */
const BYTES_PER_TOKEN = 3;
/** Role markers and separators each message costs on every provider. */
const TOKENS_PER_MESSAGE = 8;
/** An image part, whatever its size: above the largest per-image charge of the major providers. */
const TOKENS_PER_IMAGE = 2_000;
const IMAGE_PART_TYPES = new Set(["image_url", "image", "input_image"]);

export interface TokenEstimate {
  promptTokens: number;
  outputTokens: number;
}

function positiveInt(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : null;
}

/**
 * Tokens a call may use: the prompt estimated from the messages and tools (upper-leaning), the
 * output from max_completion_tokens / max_tokens (the caller's, else the rule's params), else
 * `defaultOutput` (setting budget.default_output_tokens). Null when the request cannot be
 * measured (it would not serialise upstream either).
 */
export function estimateTokens(
  request: Record<string, unknown>,
  params: Record<string, unknown>,
  defaultOutput: number,
): TokenEstimate | null {
  let images = 0;
  let text: string;
  try {
    text = JSON.stringify({ messages: request.messages, tools: request.tools }, (_key, value: unknown) => {
      if (value && typeof value === "object" && IMAGE_PART_TYPES.has(String((value as { type?: unknown }).type))) {
        images += 1;
        return null;
      }
      return value;
    });
  } catch {
    return null;
  }
  const messages = Array.isArray(request.messages) ? request.messages.length : 0;
  const bytes = new TextEncoder().encode(text).length;
  const promptTokens = Math.ceil(bytes / BYTES_PER_TOKEN) + messages * TOKENS_PER_MESSAGE + images * TOKENS_PER_IMAGE;
  const outputTokens =
    positiveInt(request.max_completion_tokens) ?? positiveInt(request.max_tokens) ??
    positiveInt(params.max_completion_tokens) ?? positiveInt(params.max_tokens) ?? defaultOutput;
  // n choices: OpenAI bills the prompt once and the output n times, a fan-out (Anthropic,
  // Gemini) the prompt n times too; the estimate takes the larger, n times both.
  const n = positiveInt(request.n) ?? positiveInt(params.n) ?? 1;
  return { promptTokens: promptTokens * n, outputTokens: outputTokens * n };
}

/** The typed setting budget.default_output_tokens, falling back to 1024 when not a positive integer. */
export function defaultOutputTokens(snapshot: ConfigSnapshot, ctx: SettingContext): number {
  return positiveInt(readNumber(snapshot, "budget.default_output_tokens", ctx).value) ?? DEFAULT_OUTPUT_TOKENS;
}

/**
 * A call's estimated cost on a model, in the currency of the price row in force at `at`
 * (database first, else the built-in table: the rows the call will be recorded with). Null when
 * the model has no price or the request cannot be measured.
 */
export function estimateCost(
  snapshot: ConfigSnapshot,
  modelId: string,
  tokens: TokenEstimate | null,
  at: number,
): { amount: Dec; currency: string } | null {
  if (!tokens) return null;
  const row = effectivePriceRow(snapshot, modelId, at);
  if (!row) return null;
  // Output at the dearer of the output and reasoning prices: the split is unknown in advance.
  const reasoningDearer = row.reasoningPerMtok !== null && new Dec(row.reasoningPerMtok).gt(row.outputPerMtok);
  const cost = priceUsage({
    promptTokens: tokens.promptTokens,
    completionTokens: tokens.outputTokens,
    cachedTokens: 0,
    reasoningTokens: reasoningDearer ? tokens.outputTokens : 0,
    totalTokens: null,
  }, row);
  return cost === null ? null : { amount: new Dec(cost), currency: row.currency };
}

// ---- Currencies ---------------------------------------------------------------------------

/**
 * reporting.currency and reporting.fx_rates: the global rows' values read exactly as the Costs
 * page reads them (loadReportingCurrency: global scope, any value type, malformed = default).
 */
export function fxRates(snapshot: ConfigSnapshot): ReportingCurrency {
  const global = (key: string) => snapshot.settingsByKey.get(key)?.global?.value;
  return reportingCurrencyFrom(global(REPORTING_CURRENCY_KEY), global(FX_RATES_KEY));
}

/**
 * An amount converted into the budget's currency with the Costs page's rule (rateFor: 1 unit of
 * a currency = rate units of the reporting currency). Into the reporting currency that is
 * exactly amount x rate; into another budget currency it goes through the reporting currency
 * (amount x rate(from) / rate(to), 50 significant digits). Null when a rate is missing.
 */
export function toBudgetCurrency(amount: string | number | Dec, from: string, to: string, fx: ReportingCurrency): Dec | null {
  if (from === to) return new Dec(amount);
  const rateFrom = rateFor(fx, from);
  if (!rateFrom) return null;
  const inReporting = new Dec(amount).times(rateFrom);
  if (to === fx.currency) return inReporting;
  const rateTo = rateFor(fx, to);
  return rateTo ? inReporting.div(rateTo) : null;
}

/** Amounts per currency summed in the budget's currency, or the currencies without a rate. */
export function sumInBudgetCurrency(
  parts: readonly { currency: string; amount: string }[],
  to: string,
  fx: ReportingCurrency,
): { ok: true; amount: Dec } | { ok: false; unconvertible: string[] } {
  let total = new Dec(0);
  const missing: string[] = [];
  for (const p of parts) {
    const converted = toBudgetCurrency(p.amount, p.currency, to, fx);
    if (converted) total = total.plus(converted);
    else if (!new Dec(p.amount).isZero()) missing.push(p.currency);
  }
  return missing.length > 0 ? { ok: false, unconvertible: [...new Set(missing)].sort() } : { ok: true, amount: total };
}

export interface CheapestModel extends UsableModel {
  row: PriceRow;
  sameCurrency: boolean;
}

/**
 * The cheapest model configured for the app (primaries and fallbacks of its enabled rules that
 * the caller can see: defaults and its own organization's, never another client's pins), by the
 * price in force at `at`. Cheapest = lowest input + output list price per Mtok: the call's real
 * token mix is unknown before the call, and the sum ranks models the way their price pages do.
 * Models priced in the budget's currency are preferred, so the ranking does not compare EUR with
 * USD figures unless nothing else is priced.
 */
export function cheapestConfiguredModel(
  snapshot: ConfigSnapshot,
  { appId, organizationId, currency, at, kind = "chat" }: { appId: string; organizationId: string | null; currency: string; at: number; kind?: ModelKind },
): CheapestModel | null {
  const seen = new Set<string>();
  let best: { candidate: CheapestModel; score: Dec } | null = null;
  for (const rule of snapshot.configsByApp.get(appId) ?? []) {
    if (rule.organizationId !== null && rule.organizationId !== organizationId) continue;
    for (const modelId of [rule.modelId, ...rule.fallbackModelIds]) {
      if (seen.has(modelId)) continue;
      seen.add(modelId);
      const usable = usableModel(snapshot, modelId, kind);
      if (typeof usable === "string") continue;
      const row = effectivePriceRow(snapshot, modelId, at);
      if (!row) continue; // an unknown price is not "cheap"
      const score = new Dec(row.inputPerMtok).plus(row.outputPerMtok);
      const candidate: CheapestModel = { ...usable, row, sameCurrency: row.currency === currency };
      if (!best || better(candidate, score, best.candidate, best.score)) best = { candidate, score };
    }
  }
  return best?.candidate ?? null;
}

function better(a: CheapestModel, aScore: Dec, b: CheapestModel, bScore: Dec): boolean {
  if (a.sameCurrency !== b.sameCurrency) return a.sameCurrency;
  const cmp = aScore.comparedTo(bScore);
  if (cmp !== 0) return cmp < 0;
  // Deterministic on equal prices: the model code decides, not the order rows were loaded in.
  return a.model.modelCode < b.model.modelCode;
}
