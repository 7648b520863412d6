import type { Usage } from "@/lib/engine/types";
import { ProviderError } from "@/lib/providers/types";

/**
 * `n` > 1 for providers without it (Anthropic, Gemini): the adapter makes n calls in parallel
 * and merges them into one chat.completion with choices 0..n-1. Each call bills its own prompt
 * and output, so the attempt's usage is the sum of the n usages (one ledger row, priced from the
 * summed tokens). A count some call did not report is unknown in the sum (null), never a
 * partial figure passed off as the whole. The answer is whole or a failure: one failed call fails
 * the attempt (retried or falling back as a whole), recorded with what the others billed.
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
 * Runs `one` n times in parallel and waits for all of them (each is bounded by its own deadline
 * and the caller's signal). When any failed, the call fails with the first failure, carrying the
 * summed usage of the calls that finished (the provider billed them): exact when every failure
 * was an error answer (status set, nothing generated), else a lower bound.
 */
export async function fanOut<T extends { usage: Usage | null }>(n: number, one: () => Promise<T>): Promise<T[]> {
  const settled = await Promise.allSettled(Array.from({ length: n }, () => one()));
  const done = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  if (done.length === n) return done;
  const failures = settled.flatMap((s) => (s.status === "rejected" ? [s.reason as unknown] : []));
  const first = failures[0];
  if (!(first instanceof ProviderError)) throw first;
  const billed = sumUsage(done.map((d) => d.usage));
  if (done.length === 0 || !billed) throw first;
  const partial = !failures.every((f) => f instanceof ProviderError && f.status !== null);
  throw new ProviderError(first.code, first.message, {
    retryable: first.retryable, status: first.status, retryAfterMs: first.retryAfterMs, origin: first.origin, cause: first.cause,
    billed: { usage: billed, partial },
  });
}
