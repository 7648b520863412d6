import type { ConfigSnapshot } from "@/lib/engine/snapshot";
import type { CallContext } from "./context";
import type { GatewayKey } from "./config-cache";
import type { GatewayError, RefusalCode } from "./errors";
import type { CallRecord } from "./recorder/recorder";
import type { GatewayRuntime } from "./runtime";

/**
 * The ledger row of a call refused after authentication, before any provider was called: key
 * rate limit, concurrency cap, budget block, every circuit open. One row (attempt 1, status
 * failed, error_type = why, http_status = what the client got) so error-rate dashboards see
 * refused traffic and a request id the client was given can always be found.
 *
 * No provider and no model: nothing was attempted, so usage is zero and cost null (no price
 * applies). "No provider on a failed row" is what marks a refusal in the daily rollups: the
 * completeness ratio leaves these rows out (they are not records missing a price or an
 * attribution; see 20261206011000_refused_calls.sql), the error rate counts them.
 */

export interface RefusedCall {
  requestId: string;
  /** When the request arrived (epoch ms): the row's created_at and the start of its latency. */
  receivedAt: number;
  key: GatewayKey;
  /** Known once the body was parsed; a rate-limited call only has the key's app and pinned organization. */
  ctx: CallContext | null;
  streamed: boolean;
  /** The routing trace when the call was routed (all circuits open). */
  trace: unknown;
}

export function refusalRecord(snapshot: ConfigSnapshot, call: RefusedCall, error: GatewayError & { refusal: RefusalCode }, now = Date.now()): CallRecord {
  const { ctx, key } = call;
  const m = ctx?.metadata;
  const organizationId = ctx ? (ctx.organization?.id ?? null) : key.organizationId;
  return {
    request_id: call.requestId,
    attempt: 1,
    created_at: new Date(call.receivedAt),
    app_id: snapshot.appsById.has(key.appId) ? key.appId : null,
    organization_id: organizationId,
    api_key_id: key.id,
    user_ref: m?.user_id ?? null,
    action_type: ctx?.actionType ?? null,
    request_type: m?.request_type ?? null,
    pipeline_stage: m?.pipeline_stage ?? null,
    purpose: m?.purpose ?? null,
    query_pattern: null,
    related_entity_type: m?.related_entity_type ?? null,
    related_entity_id: m?.related_entity_id ?? null,
    provider_id: null,
    provider_code: null,
    model_id: null,
    model_code: null,
    model_version: null,
    prompt_tokens: 0,
    completion_tokens: 0,
    cached_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    total_tokens: 0,
    cost: null,
    currency: null,
    price_id: null,
    pricing_source: null,
    latency_ms: Math.max(0, Math.round(now - call.receivedAt)),
    ttft_ms: null,
    status: "failed",
    error_type: error.refusal,
    http_status: error.status,
    routing_source: null,
    config_id: null,
    is_fallback: false,
    streamed: call.streamed,
    trace: refusalTrace(call.trace, error),
    prompt: null,
    completion: null,
  };
}

/** The routing trace, or for a budget refusal without one the step naming the budget that refused. */
function refusalTrace(trace: unknown, error: GatewayError & { refusal: RefusalCode }): string | null {
  if (trace !== null && trace !== undefined) return JSON.stringify(trace);
  return error.refusal === "budget_exceeded" ? JSON.stringify([{ rule: "budget", outcome: "applied", detail: error.message }]) : null;
}

/** Hands the refusal's row to the recorder (off the response path, like every attempt). */
export function recordRefusal(rt: GatewayRuntime, snapshot: ConfigSnapshot, call: RefusedCall, error: GatewayError): void {
  if (!error.refusal) return;
  rt.recorder.record(refusalRecord(snapshot, call, error as GatewayError & { refusal: RefusalCode }));
}
