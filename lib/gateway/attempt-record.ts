import { appBaselineCost, priceCall } from "@/lib/engine/price";
import type { ConfigSnapshot } from "@/lib/engine/snapshot";
import type { QueryPattern, RouteTarget, Usage } from "@/lib/engine/types";
import type { ErrorOrigin, ProviderErrorCode } from "@/lib/providers/types";
import type { CallContext } from "./context";
import type { CallRecord } from "./recorder/recorder";

/**
 * One llm_calls row per attempt. Pricing uses the price row in force when the attempt started.
 * An error answered before any output (429, 5xx, 4xx) is not billed by providers: usage 0, priced
 * (so the record is complete and the cost honestly 0). When we cannot know what was billed
 * (timeout, network loss, a cut stream without usage) usage stays null: cost null, incomplete.
 */
const UNBILLED: ReadonlySet<ProviderErrorCode> = new Set([
  "rate_limited", "upstream_5xx", "overloaded", "bad_request", "auth", "not_found", "content_filter", "missing_key",
  // Refused by our own code before anything was sent.
  "local_invalid_request",
]);

export const ZERO_USAGE: Usage = {
  promptTokens: 0, completionTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, totalTokens: 0,
};

export interface AttemptOutcome {
  attempt: number;
  createdAt: Date;
  latencyMs: number;
  ttftMs: number | null;
  streamed: boolean;
  usage: Usage | null;
  /** The usage is a stream's partial report (it ended before the final one): a lower bound. */
  usagePartial?: boolean;
  modelVersion: string | null;
  /** origin: who failed (lib/providers/types.ts); absent = local, never counted against a circuit. */
  error: { code: ProviderErrorCode; status: number | null; origin?: ErrorOrigin } | null;
  completion: string | null;
}

export interface RouteInfo {
  configId: string | null;
  queryPattern: QueryPattern;
  trace: unknown;
}

export function usageForFailure(code: ProviderErrorCode, partial: Usage | null): Usage | null {
  if (partial) return partial;
  return UNBILLED.has(code) ? ZERO_USAGE : null;
}

/** One attempt to put in the ledger: where it went, on which route, how it ended. */
export interface AttemptFacts {
  snapshot: ConfigSnapshot;
  ctx: CallContext;
  target: RouteTarget;
  route: RouteInfo;
  outcome: AttemptOutcome;
  /** The messages when prompts are stored, else null. */
  prompt: unknown | null;
}

export function attemptRecord({ snapshot, ctx, target, route, outcome, prompt }: AttemptFacts): {
  record: CallRecord;
  cost: string | null;
  currency: string | null;
  pricingSource: "database" | "fallback" | null;
} {
  const usage = outcome.usage;
  const at = outcome.createdAt.getTime();
  const pricing = usage
    ? priceCall({ snapshot, modelId: target.model.id, modelCode: target.model.modelCode, providerCode: target.provider.code, usage, at })
    : null;
  const cost = pricing?.cost ?? null;
  const currency = cost !== null ? (pricing?.currency ?? null) : null;
  const source = cost !== null ? (pricing?.source ?? null) : null;
  const baseline = usage && currency ? appBaselineCost(snapshot, { appId: ctx.app.id, usage, at, currency }) : null;
  const m = ctx.metadata;
  const record: CallRecord = {
    request_id: ctx.requestId,
    attempt: outcome.attempt,
    created_at: outcome.createdAt,
    app_id: ctx.app.id,
    organization_id: ctx.organization?.id ?? null,
    api_key_id: ctx.key.id,
    user_ref: m.user_id ?? null,
    action_type: ctx.actionType,
    request_type: m.request_type ?? null,
    pipeline_stage: m.pipeline_stage ?? null,
    purpose: m.purpose ?? null,
    query_pattern: route.queryPattern,
    related_entity_type: m.related_entity_type ?? null,
    related_entity_id: m.related_entity_id ?? null,
    provider_id: target.provider.id,
    provider_code: target.provider.code,
    model_id: target.model.id,
    model_code: target.model.modelCode,
    model_version: outcome.modelVersion,
    prompt_tokens: usage?.promptTokens ?? null,
    completion_tokens: usage?.completionTokens ?? null,
    cached_tokens: usage?.cachedTokens ?? null,
    cache_write_tokens: usage?.cacheWriteTokens ?? null,
    cache_write_1h_tokens: usage?.cacheWrite1hTokens ?? null,
    usage_partial: usage !== null && outcome.usagePartial === true,
    reasoning_tokens: usage?.reasoningTokens ?? null,
    total_tokens: usage ? (usage.totalTokens ?? sumTokens(usage)) : null,
    input_price_per_mtok: cost !== null ? (pricing?.unit?.input ?? null) : null,
    output_price_per_mtok: cost !== null ? (pricing?.unit?.output ?? null) : null,
    cached_input_price_per_mtok: cost !== null ? (pricing?.unit?.cachedInput ?? null) : null,
    cache_write_price_per_mtok: cost !== null ? (pricing?.unit?.cacheWrite ?? null) : null,
    // Only beside 1-hour writes: on other calls no 1-hour price took part in the cost.
    cache_write_1h_price_per_mtok: cost !== null && (usage?.cacheWrite1hTokens ?? 0) > 0 ? (pricing?.unit?.cacheWrite1h ?? null) : null,
    cost,
    currency,
    price_id: cost !== null ? (pricing?.priceId ?? null) : null,
    pricing_source: source,
    baseline_model_id: baseline !== null ? ctx.app.baselineModelId : null,
    baseline_cost: baseline,
    latency_ms: Math.max(0, Math.round(outcome.latencyMs)),
    ttft_ms: outcome.ttftMs === null ? null : Math.max(0, Math.round(outcome.ttftMs)),
    status: outcome.error ? "failed" : "ok",
    error_type: outcome.error?.code ?? null,
    http_status: outcome.error?.status ?? null,
    routing_source: target.source,
    config_id: route.configId,
    is_fallback: target.source === "fallback" || target.source === "global_fallback",
    streamed: outcome.streamed,
    trace: outcome.attempt === 1 ? JSON.stringify(route.trace) : null,
    prompt: prompt === null ? null : JSON.stringify(prompt),
    completion: prompt === null ? null : outcome.completion,
  };
  return { record, cost, currency, pricingSource: source };
}

function sumTokens(u: Usage): number | null {
  if (u.promptTokens === null || u.completionTokens === null) return null;
  return u.promptTokens + u.completionTokens;
}
