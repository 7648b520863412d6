import { readBool } from "@/lib/engine/settings";
import { resolveRoute } from "@/lib/engine/resolve";
import type { ConfigSnapshot } from "@/lib/engine/snapshot";
import type { RouteDecision, RouteTarget } from "@/lib/engine/types";
import { ProviderError, type ChatRequest, type ProviderTarget } from "@/lib/providers/types";
import { raiseBudgetAlerts } from "./budget-alerts";
import { attemptRecord, usageForFailure, type AttemptOutcome, type RouteInfo } from "./attempt-record";
import type { CallContext } from "./context";
import { GatewayError } from "./errors";
import { metrics } from "./metrics";
import type { GatewayRuntime } from "./runtime";

/**
 * The hot path after authentication: route, then call the primary with retries (exponential
 * backoff with jitter on retryable errors), then each fallback, skipping providers whose circuit
 * is open. Every attempt is handed to the recorder (off the response path).
 */
export type RoutedDecision = Extract<RouteDecision, { ok: true }>;

export interface RetryPolicy {
  baseMs: number;
  capMs: number;
  /** Longest Retry-After we honour before moving on to the next target instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 200, capMs: 4_000, maxRetryAfterMs: 10_000 };

/** Errors caused by the request itself: another provider would refuse it too. */
const CALLER_ERRORS = new Set(["bad_request", "content_filter"]);
const NOT_PROVIDER_FAULT = new Set(["bad_request", "content_filter", "missing_key", "cancelled"]);

export function route(rt: GatewayRuntime, snapshot: ConfigSnapshot, ctx: CallContext, queryText: string): RoutedDecision {
  const org = ctx.organization;
  const spent = org ? rt.config.monthToDateSpend(org.id) : null;
  const decision = resolveRoute(snapshot, {
    appId: ctx.app.id,
    organizationId: org?.id ?? null,
    actionType: ctx.actionType,
    queryText,
    explicitModel: ctx.explicitModel,
    budget: spent !== null ? { spent, estimate: null } : null,
  });
  if (decision.ok) {
    if (org && decision.budgetAlerts.length > 0) raiseBudgetAlerts(org, decision.budgetAlerts, spent);
    return decision;
  }
  switch (decision.error) {
    case "budget_exceeded":
      if (org) raiseBudgetAlerts(org, [80, 100], spent);
      throw new GatewayError(429, "budget_exceeded", decision.message);
    case "no_route":
      throw new GatewayError(400, "invalid_request_error", decision.message, "metadata.action");
    default:
      throw new GatewayError(503, "service_unavailable", decision.message);
  }
}

export function routeInfo(decision: RoutedDecision): RouteInfo {
  return { configId: decision.configId, queryPattern: decision.queryPattern, trace: decision.trace };
}

/** The provider call target for a routed model; the key comes from the env var the provider names. */
export function providerTarget(t: RouteTarget): ProviderTarget {
  const envVar = t.provider.apiKeyEnvVar;
  const apiKey = envVar ? (process.env[envVar] ?? "").trim() || null : null;
  if (envVar && !apiKey) {
    throw new ProviderError("missing_key", `The provider "${t.provider.code}" needs ${envVar}, which is not set on this server.`, null, false);
  }
  return { kind: t.provider.kind, baseUrl: t.provider.baseUrl, apiKey, modelCode: t.model.modelCode, timeoutMs: t.provider.timeoutMs };
}

/** The request sent upstream: the rule's params fill in what the caller did not set. */
export function upstreamRequest(body: ChatRequest, params: Record<string, unknown>): ChatRequest {
  const out: ChatRequest = { ...body };
  for (const [k, v] of Object.entries(params)) if (out[k] === undefined || out[k] === null) out[k] = v;
  delete out.model;
  delete out.metadata;
  delete out.stream;
  delete out.stream_options;
  return out;
}

export function backoffMs(policy: RetryPolicy, retry: number, retryAfterMs: number | null): number {
  if (retryAfterMs !== null) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** retry);
  return exp / 2 + Math.random() * (exp / 2);
}

export function storePrompts(snapshot: ConfigSnapshot, ctx: CallContext): boolean {
  return readBool(snapshot, "logging.store_prompts", { appId: ctx.app.id, organizationId: ctx.organization?.id ?? null }).value;
}

export interface Attempt {
  target: RouteTarget;
  attempt: number;
  retry: number;
}

/**
 * Yields the attempts to make, in order: each target's tries, skipping open circuits. `report`
 * tells the planner how an attempt ended so it can retry, move on, or stop.
 */
export function* attemptPlan(rt: GatewayRuntime, decision: RoutedDecision): Generator<Attempt, void, { error: ProviderError | null }> {
  let attempt = 0;
  const targets = [decision.primary, ...decision.fallbacks];
  for (const target of targets) {
    if (!rt.circuits.allow(target.provider.code)) {
      decision.trace.push({ rule: "fallbacks", outcome: "skipped", detail: `circuit open for provider ${target.provider.code}`, modelId: target.model.id });
      continue;
    }
    const tries = target.provider.maxRetries + 1;
    for (let retry = 0; retry < tries; retry++) {
      attempt += 1;
      const { error } = yield { target, attempt, retry };
      if (!error) return;
      if (CALLER_ERRORS.has(error.code) || error.code === "cancelled") return;
      if (!error.retryable) break;
    }
  }
}

export function recordAttempt(
  rt: GatewayRuntime,
  snapshot: ConfigSnapshot,
  ctx: CallContext,
  decision: RoutedDecision,
  a: Attempt,
  outcome: AttemptOutcome,
  prompt: unknown | null,
): { cost: string | null; currency: string | null; pricingSource: "database" | "fallback" | null } {
  const { record, cost, currency, pricingSource } = attemptRecord(snapshot, ctx, a.target, routeInfo(decision), outcome, prompt);
  rt.recorder.record(record);
  const m = metrics();
  const labels = { app: ctx.app.code, provider: a.target.provider.code, model: a.target.model.modelCode };
  m.calls.inc({ ...labels, status: outcome.error ? "failed" : "ok" });
  m.upstreamLatency.observe({ provider: a.target.provider.code }, outcome.latencyMs);
  const u = outcome.usage;
  if (u) {
    if (u.promptTokens) m.tokens.inc({ ...labels, kind: "prompt" }, u.promptTokens);
    if (u.completionTokens) m.tokens.inc({ ...labels, kind: "completion" }, u.completionTokens);
    if (u.cachedTokens) m.tokens.inc({ ...labels, kind: "cached" }, u.cachedTokens);
    if (u.cacheWriteTokens) m.tokens.inc({ ...labels, kind: "cache_write" }, u.cacheWriteTokens);
    if (u.reasoningTokens) m.tokens.inc({ ...labels, kind: "reasoning" }, u.reasoningTokens);
  }
  if (cost !== null && currency) {
    m.cost.inc({ organization: ctx.organization?.slug ?? "none", currency }, Number(cost));
    if (ctx.organization) rt.config.addSpend(ctx.organization.id, currency, cost);
  }
  else if (!outcome.error) m.unpriced.inc({ provider: a.target.provider.code, model: a.target.model.modelCode });
  if (outcome.error) {
    // The provider is not at fault for a bad request or for our missing key.
    if (!NOT_PROVIDER_FAULT.has(outcome.error.code)) rt.circuits.failure(a.target.provider.code);
  } else {
    rt.circuits.success(a.target.provider.code);
  }
  return { cost, currency, pricingSource };
}

export function failureOutcome(a: Attempt, createdAt: Date, started: number, err: ProviderError, streamed: boolean): AttemptOutcome {
  return {
    attempt: a.attempt,
    createdAt,
    latencyMs: performance.now() - started,
    ttftMs: null,
    streamed,
    usage: usageForFailure(err.code, null),
    modelVersion: null,
    error: { code: err.code, status: err.status },
    completion: null,
  };
}

export function asProviderError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ProviderError("invalid_response", message.slice(0, 500), null, true);
}

/** The error returned when every attempt failed: the caller's fault (4xx) or the upstreams' (502). */
export function exhausted(last: ProviderError | null, attempts: number): GatewayError {
  if (!last) return new GatewayError(503, "service_unavailable", "No provider is available for this route (all circuits open).");
  if (CALLER_ERRORS.has(last.code)) {
    return new GatewayError(last.status === 422 ? 422 : 400, "invalid_request_error", `The provider refused the request: ${last.message}`);
  }
  return new GatewayError(502, "upstream_error", `All ${attempts} attempt(s) failed; last error (${last.code}): ${last.message}`);
}

export function isCallerError(err: ProviderError): boolean {
  return CALLER_ERRORS.has(err.code);
}

export interface AttemptRun {
  a: Attempt;
  target: ProviderTarget;
  upstream: ChatRequest;
  createdAt: Date;
  started: number;
  prompt: unknown | null;
  /** Milliseconds spent in the attempts that failed before this one. */
  failedMs: number;
}

/**
 * Runs the route's attempts in order (retries with backoff, then fallbacks) until `tryOne`
 * succeeds. Each failed attempt is recorded here; when all fail, the right GatewayError is thrown.
 */
export async function runAttempts<T>(
  rt: GatewayRuntime,
  snapshot: ConfigSnapshot,
  ctx: CallContext,
  decision: RoutedDecision,
  request: ChatRequest,
  opts: { streamed: boolean; policy: RetryPolicy },
  tryOne: (run: AttemptRun) => Promise<T>,
): Promise<T> {
  const prompt = storePrompts(snapshot, ctx) ? request.messages : null;
  const upstream = upstreamRequest(request, decision.params);
  const plan = attemptPlan(rt, decision);
  let last: ProviderError | null = null;
  let attempts = 0;
  let failedMs = 0;
  for (let step = plan.next({ error: null }); !step.done; ) {
    const a = step.value;
    attempts = a.attempt;
    if (a.retry > 0 && last) await sleep(backoffMs(opts.policy, a.retry - 1, last.retryAfterMs));
    // The client left (while we backed off): no further attempt is made, so none is recorded.
    if (ctx.signal?.aborted) throw clientClosed();
    const createdAt = new Date();
    const started = performance.now();
    try {
      return await tryOne({ a, target: providerTarget(a.target), upstream, createdAt, started, prompt, failedMs });
    } catch (err) {
      last = asProviderError(err);
      failedMs += performance.now() - started;
      recordAttempt(rt, snapshot, ctx, decision, a, failureOutcome(a, createdAt, started, last, opts.streamed), prompt);
      if (last.code === "cancelled") throw clientClosed();
      step = plan.next({ error: last });
    }
  }
  throw exhausted(last, attempts);
}

/** Nobody reads this answer; 499 (the client closed the request) for logs and metrics. */
function clientClosed(): GatewayError {
  return new GatewayError(499, "invalid_request_error", "The client closed the request.");
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
