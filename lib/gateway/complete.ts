import type { ConfigSnapshot } from "@/lib/engine/snapshot";
import type { RouteTarget } from "@/lib/engine/types";
import { getAdapter } from "@/lib/providers/registry";
import type { ChatRequest, CompletionResult, ProviderError } from "@/lib/providers/types";
import type { CallContext } from "./context";
import {
  DEFAULT_RETRY,
  asProviderError,
  attemptPlan,
  backoffMs,
  exhausted,
  failureOutcome,
  providerTarget,
  recordAttempt,
  sleep,
  storePrompts,
  upstreamRequest,
  type RetryPolicy,
  type RoutedDecision,
} from "./execute";
import { metrics } from "./metrics";
import type { GatewayRuntime } from "./runtime";

export interface Completed {
  result: CompletionResult;
  target: RouteTarget;
  attempts: number;
  cost: string | null;
  currency: string | null;
  pricingSource: "database" | "fallback" | null;
  upstreamMs: number;
}

/** A non-streamed call through the route's targets; throws a GatewayError when all fail. */
export async function complete(
  rt: GatewayRuntime,
  snapshot: ConfigSnapshot,
  ctx: CallContext,
  decision: RoutedDecision,
  request: ChatRequest,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<Completed> {
  const prompt = storePrompts(snapshot, ctx) ? request.messages : null;
  const upstream = upstreamRequest(request, decision.params);
  const plan = attemptPlan(rt, decision);
  let last: ProviderError | null = null;
  let attempts = 0;
  let upstreamMs = 0;
  for (let step = plan.next({ error: null }); !step.done; ) {
    const a = step.value;
    attempts = a.attempt;
    if (a.retry > 0 && last) await sleep(backoffMs(policy, a.retry - 1, last.retryAfterMs));
    const createdAt = new Date();
    const started = performance.now();
    try {
      const target = providerTarget(a.target);
      const result = await getAdapter(target.kind).complete(target, upstream, AbortSignal.timeout(target.timeoutMs));
      const latencyMs = performance.now() - started;
      upstreamMs += latencyMs;
      const priced = recordAttempt(rt, snapshot, ctx, decision, a, {
        attempt: a.attempt, createdAt, latencyMs, ttftMs: null, streamed: false,
        usage: result.usage, modelVersion: result.modelVersion, error: null, completion: result.text,
      }, prompt);
      if (a.target !== decision.primary) {
        metrics().fallbacks.inc({ app: ctx.app.code, from_provider: decision.primary.provider.code, to_provider: a.target.provider.code });
      }
      return { result, target: a.target, attempts, upstreamMs, ...priced };
    } catch (err) {
      last = asProviderError(err);
      upstreamMs += performance.now() - started;
      recordAttempt(rt, snapshot, ctx, decision, a, failureOutcome(a, createdAt, started, last, false), prompt);
      step = plan.next({ error: last });
    }
  }
  throw exhausted(last, attempts);
}
