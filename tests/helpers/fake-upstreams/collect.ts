import type { Usage } from "@/lib/engine/types";
import { ProviderError, type ProviderTarget, type StreamEvent } from "@/lib/providers/types";

/** Drains an adapter stream: what a gateway would have forwarded, and how it ended. */
export interface Collected {
  events: StreamEvent[];
  chunks: Record<string, unknown>[];
  text: string;
  usage: Usage | null;
  /** The last partial_usage event (the usage shown before the final one), if any. */
  partialUsage: Usage | null;
  usageChunk: Record<string, unknown> | null;
  modelVersion: string | null;
  finishReason: string | null | undefined;
  error: ProviderError | null;
  ms: number;
}

export async function collect(stream: AsyncIterable<StreamEvent>): Promise<Collected> {
  const started = performance.now();
  const out: Collected = {
    events: [],
    chunks: [],
    text: "",
    usage: null,
    partialUsage: null,
    usageChunk: null,
    modelVersion: null,
    finishReason: undefined,
    error: null,
    ms: 0,
  };
  try {
    for await (const e of stream) {
      out.events.push(e);
      if (e.type === "chunk") {
        out.chunks.push(e.chunk);
        out.text += e.text;
      } else if (e.type === "usage") {
        out.usage = e.usage;
        out.usageChunk = e.chunk ?? null;
        out.modelVersion = e.modelVersion;
      } else if (e.type === "partial_usage") {
        out.partialUsage = e.usage;
      } else {
        out.finishReason = e.finishReason;
      }
    }
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    out.error = err;
  }
  out.ms = performance.now() - started;
  return out;
}

/** Runs a call that must fail and returns its ProviderError (with how long it took). */
export async function failure(call: () => Promise<unknown>): Promise<ProviderError & { ms: number }> {
  const started = performance.now();
  try {
    await call();
  } catch (err) {
    if (err instanceof ProviderError) return Object.assign(err, { ms: performance.now() - started });
    throw err;
  }
  throw new Error("expected the call to fail");
}

export const SECRET_KEY = "sk-test-SECRET-key-0123456789abcdef";

export function target(overrides: Partial<ProviderTarget> & Pick<ProviderTarget, "kind">): ProviderTarget {
  return { baseUrl: null, apiKey: SECRET_KEY, modelCode: "fake-model", timeoutMs: 5_000, ...overrides };
}

export const REQUEST = {
  messages: [
    { role: "system" as const, content: "You are terse." },
    { role: "user" as const, content: "Say hello." },
  ],
  temperature: 0.2,
  max_tokens: 64,
};
