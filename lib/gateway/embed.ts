import { embeddingRefusal } from "@/lib/providers/embeddings-shape";
import { getAdapter } from "@/lib/providers/registry";
import { ProviderError, type EmbeddingRequest, type EmbeddingResult } from "@/lib/providers/types";
import { cancelledIfClientGone } from "./cancel";
import { GatewayError } from "./errors";
import { DEFAULT_RETRY, recordAttempt, runAttempts, type Answered, type RetryPolicy, type RoutedCall } from "./execute";
import { metrics } from "./metrics";

/**
 * An embeddings call through the route's targets, as complete() is for chat: retries, fallbacks,
 * circuits, one llm_calls row per attempt (input tokens priced at the model's input price,
 * completion 0) and the budget reservation settled at the end. Before anything is sent, the
 * primary must be able to take the request (a kind without embeddings, or a field it cannot take,
 * is a 400 naming it); fallbacks that cannot are skipped with a trace step.
 */
export interface Embedded extends Answered {
  result: EmbeddingResult;
}

/** Routing-rule params that mean something for embeddings (they fill in what the caller left out). */
const EMBEDDING_PARAMS: ReadonlySet<string> = new Set(["dimensions", "encoding_format"]);

export async function embed(call: RoutedCall & { request: EmbeddingRequest; policy?: RetryPolicy }): Promise<Embedded> {
  try {
    return await embedAttempts(call, call.policy ?? DEFAULT_RETRY);
  } finally {
    call.ctx.budget?.settle(); // the reservation becomes the attempts' actual cost (or is released)
  }
}

/** The request as it goes upstream (the rule's params fill in), checked against the route's kinds. */
export function prepareEmbedding({ decision }: Pick<RoutedCall, "decision">, request: EmbeddingRequest): { upstream: EmbeddingRequest; prompt: unknown } {
  const upstream: EmbeddingRequest = { ...request };
  for (const [field, value] of Object.entries(decision.params)) {
    if (!EMBEDDING_PARAMS.has(field)) {
      throw new GatewayError(400, "invalid_request_error", `The routing rule's params set "${field}", which embeddings do not take; the rule needs fixing.`, { param: field });
    }
    if (upstream[field] === undefined) upstream[field] = value;
  }
  const primary = decision.primary;
  const refused = embeddingRefusal(primary.provider.kind, upstream);
  if (refused) {
    const where = `model "${primary.model.modelCode}" of provider "${primary.provider.code}"`;
    throw new GatewayError(400, "invalid_request_error", `The request cannot be sent: ${refused.message} (${where}).`, { param: refused.field });
  }
  decision.fallbacks = decision.fallbacks.filter((target) => {
    const r = embeddingRefusal(target.provider.kind, upstream);
    if (r) decision.trace.push({ rule: "fallbacks", outcome: "skipped", detail: `provider ${target.provider.code}: ${r.message}`, modelId: target.model.id });
    return r === null;
  });
  return { upstream, prompt: request.input };
}

function embedAttempts(call: RoutedCall & { request: EmbeddingRequest }, policy: RetryPolicy): Promise<Embedded> {
  const { ctx, decision } = call;
  return runAttempts<Embedded, EmbeddingRequest>({
    ...call,
    streamed: false,
    policy,
    prepare: (request) => prepareEmbedding(call, request),
    tryOne: async (run) => {
      const { a, target, upstream, createdAt, started, prompt } = run;
      const adapter = getAdapter(target.kind);
      if (!adapter.embed) throw new ProviderError("local_invalid_request", `embeddings are not available for provider kind "${target.kind}"`, { retryable: false, status: 400 });
      const signal = ctx.signal ?? new AbortController().signal;
      let result: EmbeddingResult;
      try {
        result = await adapter.embed(target, upstream, signal);
      } catch (err) {
        throw cancelledIfClientGone(ctx, err);
      }
      const latencyMs = performance.now() - started;
      const outcome = {
        attempt: a.attempt, createdAt, latencyMs, ttftMs: null, streamed: false,
        usage: result.usage, modelVersion: result.modelVersion, error: null, completion: null,
      };
      const priced = recordAttempt({ ...call, a, outcome, prompt });
      if (a.target !== decision.primary) {
        metrics().fallbacks.inc({ app: ctx.app.code, from_provider: decision.primary.provider.code, to_provider: a.target.provider.code });
      }
      return { result, target: a.target, attempts: a.attempt, upstreamMs: run.failedMs + latencyMs, ...priced };
    },
  });
}
