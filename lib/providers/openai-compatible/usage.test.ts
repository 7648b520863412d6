import { describe, expect, it } from "vitest";
import { mapOpenAIUsage } from "@/lib/providers/openai-compatible/usage";

describe("mapOpenAIUsage", () => {
  it.each([
    [
      "OpenAI with cache and reasoning details",
      {
        prompt_tokens: 100,
        completion_tokens: 50,
        total_tokens: 150,
        prompt_tokens_details: { cached_tokens: 64 },
        completion_tokens_details: { reasoning_tokens: 20 },
      },
      { promptTokens: 100, completionTokens: 50, cachedTokens: 64, reasoningTokens: 20, totalTokens: 150 },
    ],
    [
      "Ollama: only the two counts",
      { prompt_tokens: 9, completion_tokens: 3 },
      { promptTokens: 9, completionTokens: 3, cachedTokens: null, reasoningTokens: null, totalTokens: 12 },
    ],
    [
      "DeepSeek-style cache hits",
      { prompt_tokens: 30, completion_tokens: 5, total_tokens: 35, prompt_cache_hit_tokens: 16, prompt_cache_miss_tokens: 14 },
      { promptTokens: 30, completionTokens: 5, cachedTokens: 16, reasoningTokens: null, totalTokens: 35 },
    ],
    [
      "nulls in details (vLLM without prefix caching)",
      { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6, prompt_tokens_details: null },
      { promptTokens: 4, completionTokens: 2, cachedTokens: null, reasoningTokens: null, totalTokens: 6 },
    ],
  ])("%s", (_name, raw, expected) => {
    expect(mapOpenAIUsage(raw)).toEqual(expected);
  });

  it("returns null when there is no usage to speak of", () => {
    expect(mapOpenAIUsage(undefined)).toBeNull();
    expect(mapOpenAIUsage(null)).toBeNull();
    expect(mapOpenAIUsage({ total_tokens: 5 })).toBeNull();
    expect(mapOpenAIUsage({ prompt_tokens: "7" })).toBeNull();
  });
});
