import { errorDetail } from "@/lib/errors";
import { readBool } from "@/lib/engine/settings";
import { resolveRoute } from "@/lib/engine/resolve";
import type { ConfigSnapshot } from "@/lib/engine/snapshot";
import type { BudgetState, ModelKind, RouteDecision, RouteTarget } from "@/lib/engine/types";
import { isProviderFault, scrubSecrets } from "@/lib/providers/errors";
import { ProviderError, type ChatRequest, type ProviderTarget } from "@/lib/providers/types";
import { raiseBudgetAlerts } from "./budget-alerts";
import { cancelledError } from "./cancel";
import { admitWithinBudget } from "./budget-admission";
import { combineLeases } from "./budget-scoped";
import { attemptRecord, usageForFailure, type AttemptOutcome, type RouteInfo } from "./attempt-record";
import type { CircuitPass } from "./circuit";
import type { CallContext } from "./context";
import { GatewayError } from "./errors";
import { metrics } from "./metrics";
import { checkRequestFields } from "./request-fields";
import type { GatewayRuntime } from "./runtime";

/**
 * The hot path after authentication: route, then call the primary with retries (exponential
 * backoff with jitter on retryable errors), then each fallback, skipping providers whose circuit
 * is open. Every attempt is handed to the recorder (off the response path).
 */
export type RoutedDecision = Extract<RouteDecision, { ok: true }>;

/** A routed call: the runtime, the configuration it was routed on, the caller's context and the route. */
/** A provider call that answered: which target, after how many attempts, at what exact cost. */
export interface Answered {
  target: RouteTarget;
  attempts: number;
  cost: string | null;
  currency: string | null;
  pricingSource: "database" | "fallback" | "cache" | null;
  /** Time spent upstream, failed attempts included: the gateway's own overhead is the rest. */
  upstreamMs: number;
}

export interface RoutedCall {
  rt: GatewayRuntime;
  snapshot: ConfigSnapshot;
  ctx: CallContext;
  decision: RoutedDecision;
}

export interface RetryPolicy {
  baseMs: number;
  capMs: number;
  /** Longest Retry-After we honour before moving on to the next target instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 200, capMs: 4_000, maxRetryAfterMs: 10_000 };

/** Errors caused by the request itself: another provider would refuse it too. */
const CALLER_ERRORS = new Set(["bad_request", "content_filter"]);
/** Errors after which no other attempt is made: the caller's, and our own code's. */
const STOP_ERRORS = new Set([...CALLER_ERRORS, "local_invalid_request", "local_error", "cancelled"]);

/**
 * Routes the call and, for an organization with a budget, reserves its estimated cost in the
 * shared store (budget-admission.ts); the lease goes on ctx.budget for complete/stream to settle.
 * The first pass checks the last known month-to-date spend only (it never shrinks within a
 * month, so an exhausted budget is refused without a round trip); the store decides the rest.
 *
 * `peek` (the chat routes, cache.ts) is asked before any budget is admitted: a call the response
 * cache answers spends nothing, so it reserves nothing and no budget refuses it. When the known
 * spend already refuses the route, the route without a budget is peeked, so a client over its
 * budget still gets its cached answers (and nothing else).
 */
export async function route({ rt, snapshot, ctx, queryText, request, modelKind = "chat", peek }: {
  rt: GatewayRuntime;
  snapshot: ConfigSnapshot;
  ctx: CallContext;
  queryText: string;
  /** What the budget estimate is made from (a chat request, or one shaped like it). */
  request: ChatRequest;
  /** The kind of model the call needs: routing skips models of the other kind. */
  modelKind?: ModelKind;
  /** Whether the response cache answers the call on this route (then no budget is admitted). */
  peek?: (decision: RoutedDecision) => Promise<boolean>;
}): Promise<RoutedDecision> {
  const org = ctx.organization;
  const at = Date.now();
  const known = org?.monthlyBudget != null ? rt.budgets.view(org, at) : null;
  const resolve = (budget: BudgetState | null) => resolveRoute(snapshot, {
    appId: ctx.app.id,
    organizationId: org?.id ?? null,
    actionType: ctx.actionType,
    queryText,
    explicitModel: ctx.explicitModel,
    budget,
    at,
    modelKind,
  });
  const first = resolve(known ? { spent: known.spent, estimate: null } : null);
  if (peek) {
    const unbudgeted = first.ok ? first : first.error === "budget_exceeded" ? resolve(null) : null;
    if (unbudgeted?.ok && (await peek(unbudgeted))) return unbudgeted;
  }
  // Per-app, per-key and daily budgets first (budget-scoped.ts; no round trip without any), then
  // the organization's monthly budget as before; one combined lease settles them all.
  const scoped = first.ok ? await rt.scopedBudgets.admit({ snapshot, ctx, decision: first, request, at }) : null;
  if (scoped && !scoped.ok) {
    const status = scoped.error === "budget_exceeded" ? 429 : 422;
    throw new GatewayError(status, scoped.error, scoped.message, { refusal: scoped.error });
  }
  const routed = scoped?.ok ? scoped.decision : first;
  const decision = routed.ok ? await admitWithinBudget({ budgets: rt.budgets, snapshot, ctx, decision: routed, request, reroute: resolve, at }) : routed;
  const spent = "spent" in decision ? decision.spent : (known?.spent ?? null);
  if (!decision.ok) for (const lease of scoped?.ok ? scoped.leases : []) lease.settle();
  if (decision.ok) {
    ctx.budget = combineLeases([decision.lease, ...(scoped?.ok ? scoped.leases : [])]);
    if (org && decision.alerts.length > 0) raiseBudgetAlerts(org, decision.alerts, spent);
    return decision.decision;
  }
  switch (decision.error) {
    case "budget_exceeded":
      if (org) raiseBudgetAlerts(org, [80, 100], spent);
      throw new GatewayError(429, "budget_exceeded", decision.message, { refusal: "budget_exceeded" });
    case "budget_unconvertible":
      // 422, not 5xx: nothing failed and a retry cannot succeed until a platform admin adds the
      // rate (SDKs retry 5xx and 429 on their own); flagged in budget-admission (log + metric).
      throw new GatewayError(422, "budget_unconvertible", decision.message, { refusal: "budget_unconvertible" });
    case "no_route":
      throw new GatewayError(400, "invalid_request_error", decision.message, { param: "metadata.action" });
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
    throw new ProviderError("missing_key", `The provider "${t.provider.code}" needs ${envVar}, which is not set on this server.`, { retryable: false });
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
  /** The circuit's pass for this attempt; recordAttempt settles it (runAttempts on any throw). */
  pass: CircuitPass;
}

/**
 * Yields the attempts to make, in order: each target's tries, skipping open circuits (checked
 * before every try: a retry does not go to a provider whose circuit opened meanwhile). `report`
 * tells the planner how an attempt ended so it can retry, move on, or stop.
 */
export async function* attemptPlan(
  rt: GatewayRuntime,
  decision: RoutedDecision,
  policy: RetryPolicy = DEFAULT_RETRY,
): AsyncGenerator<Attempt, void, { error: ProviderError | null }> {
  let attempt = 0;
  const targets = [decision.primary, ...decision.fallbacks];
  for (const target of targets) {
    const tries = target.provider.maxRetries + 1;
    for (let retry = 0; retry < tries; retry++) {
      // Synchronous while the provider is healthy; the fleet's breakers wait on the shared store
      // only after a failure of this instance or to take a half-open trial (shared-circuits.ts).
      const pass = await rt.circuits.allow(target.provider.code, Date.now(), target.provider.timeoutMs);
      if (!pass) {
        decision.trace.push({ rule: "fallbacks", outcome: "skipped", detail: `circuit open for provider ${target.provider.code}`, modelId: target.model.id });
        break;
      }
      attempt += 1;
      const { error } = yield { target, attempt, retry, pass };
      if (!error) return;
      if (STOP_ERRORS.has(error.code)) return;
      if (!error.retryable) break;
      // A provider asking for a longer pause than we wait: the next target answers sooner.
      if (error.retryAfterMs !== null && error.retryAfterMs > policy.maxRetryAfterMs) break;
    }
  }
}

/** One attempt of a routed call, as it ended; `prompt` is null unless prompts are stored. */
export interface AttemptReport extends RoutedCall {
  a: Attempt;
  outcome: AttemptOutcome;
  prompt: unknown | null;
}

export function recordAttempt({ rt, snapshot, ctx, decision, a, outcome, prompt }: AttemptReport): {
  cost: string | null;
  currency: string | null;
  pricingSource: "database" | "fallback" | "cache" | null;
} {
  // First, before anything that could throw: only the provider's own failures count against it.
  a.pass.settle(!outcome.error ? "success" : isProviderFault(outcome.error) ? "failure" : "neutral");
  const { record, cost, currency, pricingSource } = attemptRecord({ snapshot, ctx, target: a.target, route: routeInfo(decision), outcome, prompt });
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
    ctx.budget?.add(currency, cost);
  }
  else if (!outcome.error) m.unpriced.inc({ provider: a.target.provider.code, model: a.target.model.modelCode });
  return { cost, currency, pricingSource };
}

export function failureOutcome(a: Attempt, err: ProviderError, { createdAt, started, streamed }: { createdAt: Date; started: number; streamed: boolean }): AttemptOutcome {
  return {
    attempt: a.attempt,
    createdAt,
    latencyMs: performance.now() - started,
    ttftMs: null,
    streamed,
    usage: usageForFailure(err.code, err.billed?.usage ?? null),
    usagePartial: err.billed?.partial === true,
    modelVersion: null,
    error: { code: err.code, status: err.status, origin: err.origin },
    completion: null,
  };
}

/**
 * A thrown value as a ProviderError. Anything that is not one already was thrown by our own code
 * (request mapping, serialisation, a bug): a local error, logged here with its stack (scrubbed),
 * never the provider's fault and never retried.
 */
export function asProviderError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  // A cancelled call (the client went away) is neither a bug nor the provider's fault.
  if (err instanceof Error && err.name === "AbortError") return cancelledError("the call was cancelled");
  const detail = errorDetail(err);
  console.error(`[gateway] local error while calling a provider: ${scrubSecrets(detail).slice(0, 2000)}`);
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new ProviderError("local_error", scrubSecrets(message).slice(0, 500), { retryable: false });
}

/**
 * The answer when the last attempt failed in our own code: the request's fault (400), the
 * server's configuration (503, e.g. a missing key) or a bug (500); never a 502 "upstream" error,
 * and no internals in the message.
 */
export function localFailure(last: ProviderError): GatewayError {
  switch (last.code) {
    case "local_invalid_request":
    case "bad_request":
      return new GatewayError(400, "invalid_request_error", `The request cannot be sent: ${last.message}`);
    case "missing_key":
    case "not_found":
      return new GatewayError(503, "service_unavailable", "The provider for this route is not configured on this server.");
    default:
      return new GatewayError(500, "service_unavailable", "The gateway failed to handle this request (logged).");
  }
}

/** Provider answers that mean "not now, later": rate limited (429) or overloaded (529). */
const BACK_OFF = new Set(["rate_limited", "overloaded"]);

/** What the failed attempts of one call had in common, for the error the caller gets. */
export interface FailureSummary {
  /** Every failed attempt was a provider 429/529. */
  allBackOff: boolean;
  /** The longest Retry-After a provider sent, in ms (null when none sent one). */
  longestRetryAfterMs: number | null;
}

export function summarizeFailures(errors: readonly ProviderError[]): FailureSummary {
  let longest: number | null = null;
  for (const e of errors) if (e.retryAfterMs !== null) longest = Math.max(longest ?? 0, e.retryAfterMs);
  return { allBackOff: errors.length > 0 && errors.every((e) => BACK_OFF.has(e.code)), longestRetryAfterMs: longest };
}

/**
 * The error returned when every attempt failed: the caller's fault (4xx), every provider asking
 * to back off (429 with the longest Retry-After they sent, so clients pause instead of retrying
 * into a 502), no provider available (503, all circuits open) or the upstreams' fault (502).
 */
export function exhausted(last: ProviderError | null, attempts: number, summary?: FailureSummary): GatewayError {
  if (!last) {
    return new GatewayError(503, "service_unavailable", "No provider is available for this route (all circuits open).", { refusal: "circuit_open" });
  }
  if (last.origin === "local") return localFailure(last);
  if (CALLER_ERRORS.has(last.code)) {
    return new GatewayError(last.status === 422 ? 422 : 400, "invalid_request_error", `The provider refused the request: ${last.message}`);
  }
  if (summary?.allBackOff) {
    const seconds = Math.max(1, Math.ceil((summary.longestRetryAfterMs ?? 1000) / 1000));
    return new GatewayError(
      429,
      "rate_limit_error",
      `Every provider for this route is rate limiting or overloaded (${attempts} attempt(s)); retry after ${seconds} s.`,
      { headers: { "retry-after": String(seconds) } },
    );
  }
  return new GatewayError(502, "upstream_error", `All ${attempts} attempt(s) failed; last error (${last.code}): ${last.message}`);
}

export function isCallerError(err: ProviderError): boolean {
  return CALLER_ERRORS.has(err.code);
}

export interface AttemptRun<R = ChatRequest> {
  a: Attempt;
  target: ProviderTarget;
  upstream: R;
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
export async function runAttempts<T, R extends Record<string, unknown> = ChatRequest>(opts: RoutedCall & {
  request: R;
  streamed: boolean;
  policy: RetryPolicy;
  /**
   * The request as it goes upstream and what a stored prompt holds, after checking it against
   * the route (throws the 400). Default: chat's (rule params filled in, fields checked per kind).
   */
  prepare?: (request: R) => { upstream: R; prompt: unknown };
  tryOne: (run: AttemptRun<R>) => Promise<T>;
}): Promise<T> {
  const { rt, snapshot, ctx, decision, request, tryOne } = opts;
  const prepared = opts.prepare ? opts.prepare(request) : (prepareChat(opts, request as unknown as ChatRequest) as unknown as { upstream: R; prompt: unknown });
  const upstream = prepared.upstream;
  const prompt = storePrompts(snapshot, ctx) ? prepared.prompt : null;
  const plan = attemptPlan(rt, decision, opts.policy);
  const failures: ProviderError[] = [];
  let last: ProviderError | null = null;
  let attempts = 0;
  let failedMs = 0;
  for (let step = await plan.next({ error: null }); !step.done; ) {
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
      failures.push(last);
      failedMs += performance.now() - started;
      try {
        const outcome = failureOutcome(a, last, { createdAt, started, streamed: opts.streamed });
        recordAttempt({ rt, snapshot, ctx, decision, a, outcome, prompt });
      } finally {
        a.pass.settle("neutral"); // no-op when recordAttempt settled it
      }
      if (last.code === "cancelled") throw clientClosed();
      step = await plan.next({ error: last });
    }
  }
  throw exhausted(last, attempts, summarizeFailures(failures));
}

/** A chat call's upstream request (the rule's params fill in), checked against the route's kinds. */
function prepareChat(call: RoutedCall, request: ChatRequest): { upstream: ChatRequest; prompt: unknown } {
  const upstream = upstreamRequest(request, call.decision.params);
  checkRequestFields(call, { caller: request, upstream });
  return { upstream, prompt: request.messages };
}

/** Nobody reads this answer; 499 (the client closed the request) for logs and metrics. */
function clientClosed(): GatewayError {
  return new GatewayError(499, "invalid_request_error", "The client closed the request.");
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
