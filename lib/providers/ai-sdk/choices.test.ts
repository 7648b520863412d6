import { describe, expect, it } from "vitest";
import { fanOut, sumUsage } from "@/lib/providers/ai-sdk/choices";

const usage = (p: number, c: number, cached: number | null = 1) => ({ promptTokens: p, completionTokens: c, cachedTokens: cached, reasoningTokens: null, totalTokens: p + c });

describe("sumUsage", () => {
  it("sums every count; a count one call did not report is unknown in the sum", () => {
    expect(sumUsage([usage(10, 2), usage(10, 3, 4)])).toEqual({ promptTokens: 20, completionTokens: 5, cachedTokens: 5, reasoningTokens: null, totalTokens: 25 });
    expect(sumUsage([usage(10, 2), usage(10, 3, null)])?.cachedTokens).toBeNull();
    expect(sumUsage([{ ...usage(1, 1), cacheWriteTokens: 3 }, { ...usage(1, 1), cacheWriteTokens: 2 }])?.cacheWriteTokens).toBe(5);
    expect(sumUsage([usage(1, 1), null])).toBeNull();
  });
});

describe("fanOut", () => {
  it("runs n calls and answers in order", async () => {
    let i = 0;
    expect(await fanOut(3, new AbortController().signal, async () => i++)).toEqual([0, 1, 2]);
  });
  it("fails whole on the first failure and aborts the others", async () => {
    const aborted: boolean[] = [];
    const run = fanOut(3, new AbortController().signal, (signal) =>
      new Promise<number>((resolve, reject) => {
        if (aborted.length === 0) {
          aborted.push(false);
          reject(new Error("first fails"));
          return;
        }
        signal.addEventListener("abort", () => {
          aborted.push(true);
          reject(new Error("aborted"));
        });
      }),
    );
    await expect(run).rejects.toThrow("first fails");
    expect(aborted).toEqual([false, true, true]);
  });
});
