import type { Usage } from "@/lib/engine/types";

/**
 * `n` > 1 for providers without it (Anthropic, Gemini): the adapter makes n calls in parallel
 * and merges them into one chat.completion with choices 0..n-1. Each call bills its own prompt
 * and output, so the attempt's usage is the sum of the n usages (one ledger row, priced from the
 * summed tokens). A count some call did not report is unknown in the sum (null), never a
 * partial figure passed off as the whole.
 */
type Count = "promptTokens" | "completionTokens" | "cachedTokens" | "cacheWriteTokens" | "cacheWrite1hTokens" | "reasoningTokens" | "totalTokens";

export function sumUsage(usages: readonly (Usage | null)[]): Usage | null {
  if (usages.length === 0 || usages.some((u) => u === null)) return null;
  const all = usages as readonly Usage[];
  const total = (key: Count): number | null => {
    let sum = 0;
    for (const u of all) {
      const v = u[key];
      if (typeof v !== "number") return null;
      sum += v;
    }
    return sum;
  };
  const out: Usage = {
    promptTokens: total("promptTokens"),
    completionTokens: total("completionTokens"),
    cachedTokens: total("cachedTokens"),
    reasoningTokens: total("reasoningTokens"),
    totalTokens: total("totalTokens"),
  };
  // Optional details: kept only where every call reported them (as a single call's usage has them).
  if (all.every((u) => u.cacheWriteTokens !== undefined)) out.cacheWriteTokens = total("cacheWriteTokens");
  if (all.every((u) => u.cacheWrite1hTokens !== undefined)) out.cacheWrite1hTokens = total("cacheWrite1hTokens");
  return out;
}

/**
 * Runs `one` n times in parallel under one signal: the first failure aborts the others and is
 * the call's failure (a fan-out is answered whole or not at all).
 */
export async function fanOut<T>(n: number, signal: AbortSignal, one: (signal: AbortSignal) => Promise<T>): Promise<T[]> {
  const group = new AbortController();
  const stop = () => group.abort(signal.reason);
  if (signal.aborted) stop();
  else signal.addEventListener("abort", stop, { once: true });
  try {
    return await Promise.all(
      Array.from({ length: n }, () =>
        one(group.signal).catch((err: unknown) => {
          if (!group.signal.aborted) group.abort(err);
          throw err;
        }),
      ),
    );
  } finally {
    signal.removeEventListener("abort", stop);
  }
}
