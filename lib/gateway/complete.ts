import { getAdapter } from "@/lib/providers/registry";
import type { ChatRequest, CompletionResult } from "@/lib/providers/types";
import { cancelledIfClientGone } from "./cancel";
import {
  DEFAULT_RETRY,
  recordAttempt,
  runAttempts,
  type RetryPolicy,
  type Answered,
  type RoutedCall,
} from "./execute";
import { metrics } from "./metrics";

export interface Completed extends Answered {
  result: CompletionResult;
}

/**
 * A non-streamed call through the route's targets; throws a GatewayError when all fail. The
 * upstream call ends at the provider's timeout or when the client disconnects (ctx.signal),
 * whichever comes first; a disconnect is recorded as `cancelled` and stops the route there.
 */
export async function complete(call: RoutedCall & { request: ChatRequest; policy?: RetryPolicy }): Promise<Completed> {
  try {
    return await completeAttempts(call, call.policy ?? DEFAULT_RETRY);
  } finally {
    call.ctx.budget?.settle(); // the reservation becomes the attempts' actual cost (or is released)
  }
}

function completeAttempts(call: RoutedCall & { request: ChatRequest }, policy: RetryPolicy): Promise<Completed> {
  const { ctx, decision } = call;
  return runAttempts({
    ...call,
    streamed: false,
    policy,
    tryOne: async (run) => {
      const { a, target, upstream, createdAt, started, prompt } = run;
      // The adapter bounds the call by target.timeoutMs itself (ProviderAdapter); this is the client's.
      const signal = ctx.signal ?? new AbortController().signal;
      let result: CompletionResult;
      try {
        result = await getAdapter(target.kind).complete(target, upstream, signal);
      } catch (err) {
        throw cancelledIfClientGone(ctx, err);
      }
      const latencyMs = performance.now() - started;
      const outcome = {
        attempt: a.attempt, createdAt, latencyMs, ttftMs: null, streamed: false,
        usage: result.usage, modelVersion: result.modelVersion, error: null, completion: result.text,
      };
      const priced = recordAttempt({ ...call, a, outcome, prompt });
      if (a.target !== decision.primary) {
        metrics().fallbacks.inc({ app: ctx.app.code, from_provider: decision.primary.provider.code, to_provider: a.target.provider.code });
      }
      return { result, target: a.target, attempts: a.attempt, upstreamMs: run.failedMs + latencyMs, ...priced };
    },
  });
}
