import { isRecord } from "@/lib/providers/json";
import type { RouteTarget, Usage } from "@/lib/engine/types";
import { isProviderFault, timeoutError } from "@/lib/providers/errors";
import { getAdapter } from "@/lib/providers/registry";
import { ProviderError, type ChatRequest, type StreamEvent } from "@/lib/providers/types";
import {
  DEFAULT_RETRY,
  asProviderError,
  recordAttempt,
  runAttempts,
  type Attempt,
  type RetryPolicy,
  type RoutedCall,
} from "./execute";
import { usageForFailure } from "./attempt-record";
import { cancelledError, cancelledIfClientGone } from "./cancel";

/**
 * A streamed call. Until the first chunk arrives nothing has reached the client, so a failure
 * falls back like a non-streamed call and an all-failed route still gets a JSON error with the
 * right status. After that, a cut ends the stream with an error event and is recorded as a
 * failed attempt: a half answer is never reported as a success.
 */
export type StreamFrame =
  /** raw: the upstream's SSE data as received, forwarded without re-serialising when present. */
  | { kind: "chunk"; data: Record<string, unknown>; text: string; raw: string | null }
  | { kind: "error"; data: Record<string, unknown> }
  /** The last frame of a complete answer; data is OpenAI's usage chunk when usage is known. */
  | { kind: "end"; data: Record<string, unknown> | null; usage: Usage | null; pricing: Priced };

type Priced = ReturnType<typeof recordAttempt>;

export interface Streaming {
  target: RouteTarget;
  attempts: number;
  /** The frames to send, in order, ending after the last one (or an error frame). */
  frames: AsyncGenerator<StreamFrame>;
}

export async function openStream(call: RoutedCall & { request: ChatRequest; policy?: RetryPolicy }): Promise<Streaming> {
  // Every attempt failed before a first chunk: release the reservation (pump settles otherwise).
  return openAttempts(call, call.policy ?? DEFAULT_RETRY).catch((err: unknown) => {
    call.ctx.budget?.settle();
    throw err;
  });
}

function openAttempts(call: RoutedCall & { request: ChatRequest }, policy: RetryPolicy): Promise<Streaming> {
  const { ctx } = call;
  return runAttempts({
    ...call,
    streamed: true,
    policy,
    tryOne: async (run) => {
      const { a, target, upstream, createdAt, started, prompt } = run;
      // The client leaving stops the upstream, also while the upstream is silent (before the first
      // chunk, or mid-stream, when no cancel of the body would reach a pump blocked on the upstream).
      const abort = new AbortController();
      const onClientGone = () => abort.abort();
      ctx.signal?.addEventListener("abort", onClientGone, { once: true });
      const release = () => ctx.signal?.removeEventListener("abort", onClientGone);
      try {
        const events = getAdapter(target.kind).stream(target, upstream, abort.signal)[Symbol.asyncIterator]();
        const first = await withTimeout(events.next(), target.timeoutMs, abort);
        const ttftMs = performance.now() - started;
        return {
          target: a.target,
          attempts: a.attempt,
          frames: pump({ call, a, start: { createdAt, started, ttftMs, prompt }, first, events, abort, release }),
        };
      } catch (err) {
        release();
        abort.abort();
        throw cancelledIfClientGone(ctx, err);
      }
    },
  });
}

async function withTimeout<T>(p: Promise<T>, ms: number, abort: AbortController): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(timeoutError(ms));
    }, ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** An attempt whose first event arrived: what pump() streams on and records at the end. */
interface OpenedAttempt {
  call: RoutedCall;
  a: Attempt;
  start: { createdAt: Date; started: number; ttftMs: number; prompt: unknown | null };
  first: IteratorResult<StreamEvent>;
  events: AsyncIterator<StreamEvent>;
  /** Stops the upstream call. */
  abort: AbortController;
  /** Drops the listener on the client's signal. */
  release: () => void;
}

async function* pump({ call, a, start, first, events, abort, release }: OpenedAttempt): AsyncGenerator<StreamFrame> {
  const { ctx } = call;
  let usage: Usage | null = null;
  let usageFrame: Record<string, unknown> | null = null;
  let lastChunk: Record<string, unknown> | null = null;
  let usagePartial = false;
  let modelVersion: string | null = null;
  let text = "";
  let error: ProviderError | null = null;
  let finished = false;
  let priced: Priced | null = null;
  try {
    for (let r = first; !r.done; r = await events.next()) {
      const e = r.value;
      if (e.type === "chunk") {
        text += e.text;
        lastChunk = e.chunk;
        yield { kind: "chunk", data: e.chunk, text: e.text, raw: e.raw ?? null };
      } else if (e.type === "usage" || e.type === "partial_usage") {
        usage = e.usage; // the final usage replaces what the partial ones said
        usagePartial = e.type === "partial_usage";
        modelVersion = e.modelVersion;
        if (e.type === "usage") usageFrame = e.chunk ?? null;
      }
    }
    finished = true;
  } catch (err) {
    if (ctx.signal?.aborted) {
      error = cancelledError("the client disconnected before the answer ended");
      return; // nobody is reading; the finally block records the attempt
    }
    error = asProviderError(err);
    // A cut counts against the provider only when what broke the stream was the provider's fault.
    if (error.code !== "stream_cut") error = new ProviderError("stream_cut", error.message, { status: error.status, retryable: true, origin: isProviderFault(error) ? "provider" : "local", cause: error });
    yield { kind: "error", data: { error: { type: "upstream_error", code: "stream_cut", message: `The provider's stream broke off: ${error.message}` } } };
  } finally {
    release();
    // The client went away (the consumer stopped early): stop the upstream too. Recorded as
    // `cancelled` with the usage known so far; not the provider's failure.
    if (!finished && !error) {
      abort.abort();
      error = cancelledError("the client disconnected before the answer ended");
    }
    const latencyMs = performance.now() - start.started;
    const outcome = {
      attempt: a.attempt, createdAt: start.createdAt, latencyMs, ttftMs: start.ttftMs, streamed: true,
      usage: error ? (usage ?? usageForFailure(error.code, null)) : usage, usagePartial: usage !== null && usagePartial, modelVersion,
      error: error ? { code: error.code, status: error.status, origin: error.origin } : null, completion: text,
    };
    priced = recordAttempt({ ...call, a, outcome, prompt: start.prompt });
    ctx.budget?.settle();
  }
  if (!error && priced) {
    const data = usage ? usageChunk(usage, modelVersion ?? a.target.model.modelCode, usageFrame ?? lastChunk) : null;
    yield { kind: "end", data, usage, pricing: priced };
  }
}

/**
 * The usage chunk sent to callers that asked for `stream_options.include_usage`: the stream's own
 * identity (`id`, `created`, `system_fingerprint`, from the provider's usage chunk or else its last
 * chunk), our token counts, and every token detail the provider reported besides cached and
 * reasoning tokens (audio, accepted and rejected prediction tokens…).
 */
function usageChunk(u: Usage, model: string, from: Record<string, unknown> | null): Record<string, unknown> {
  const reported = isRecord(from?.usage) ? from.usage : {};
  const identity: Record<string, unknown> = {};
  for (const key of ["id", "created", "system_fingerprint", "service_tier"] as const) if (from?.[key] !== undefined) identity[key] = from[key];
  return {
    ...identity,
    object: "chat.completion.chunk",
    model,
    choices: [],
    usage: {
      ...reported,
      prompt_tokens: u.promptTokens ?? 0,
      completion_tokens: u.completionTokens ?? 0,
      total_tokens: u.totalTokens ?? (u.promptTokens ?? 0) + (u.completionTokens ?? 0),
      prompt_tokens_details: { ...(isRecord(reported.prompt_tokens_details) ? reported.prompt_tokens_details : {}), cached_tokens: u.cachedTokens ?? 0 },
      completion_tokens_details: { ...(isRecord(reported.completion_tokens_details) ? reported.completion_tokens_details : {}), reasoning_tokens: u.reasoningTokens ?? 0 },
    },
  };
}

