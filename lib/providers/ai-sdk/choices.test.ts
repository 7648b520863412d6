import { describe, expect, it } from "vitest";
import { fanOut, sumUsage } from "@/lib/providers/ai-sdk/choices";
import { ProviderError } from "@/lib/providers/types";

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
    const out = await fanOut(3, async () => ({ usage: null, i: i++ }));
    expect(out.map((o) => o.i)).toEqual([0, 1, 2]);
  });

  const answered = (status: number | null) => new ProviderError(status === null ? "timeout" : "bad_request", "failed", { retryable: false, status });
  const run = (failure: ProviderError) => {
    let i = 0;
    return fanOut(3, async () => {
      if (i++ === 1) throw failure;
      return { usage: usage(10, 2) };
    });
  };

  it("fails with the first failure, carrying what the finished calls billed: exact after an error answer", async () => {
    const err = (await run(answered(400)).catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ code: "bad_request", status: 400, billed: { usage: { promptTokens: 20, completionTokens: 4, totalTokens: 24 }, partial: false } });
  });

  it("a lower bound after a failure of unknown billing (a timeout)", async () => {
    const err = (await run(answered(null)).catch((e: unknown) => e)) as ProviderError;
    expect(err).toMatchObject({ code: "timeout", billed: { partial: true } });
  });
});
