import { describe, expect, it } from "vitest";
import { anthropicPartialUsage, anthropicUsageDetails } from "./usage";

describe("anthropicPartialUsage", () => {
  const start = { type: "message_start", message: { usage: { input_tokens: 10, cache_read_input_tokens: 5, cache_creation_input_tokens: 3, output_tokens: 1 } } };

  it("counts message_start's input as the SDK does (input + cache reads + cache writes)", () => {
    expect(anthropicPartialUsage(start, null)).toEqual({
      promptTokens: 18, completionTokens: 1, cachedTokens: 5, cacheWriteTokens: 3, reasoningTokens: null, totalTokens: 19,
    });
  });

  it("takes the output tokens of each message_delta, keeping what message_start gave", () => {
    const known = anthropicPartialUsage(start, null);
    const after = anthropicPartialUsage({ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 42 } }, known);
    expect(after).toMatchObject({ promptTokens: 18, completionTokens: 42, cachedTokens: 5, cacheWriteTokens: 3, totalTokens: 60 });
  });

  it("ignores events without usage and malformed values", () => {
    expect(anthropicPartialUsage({ type: "content_block_delta", delta: { text: "x" } }, null)).toBeNull();
    expect(anthropicPartialUsage("ping", null)).toBeNull();
    const odd = anthropicPartialUsage({ type: "message_start", message: { usage: { input_tokens: -1, output_tokens: "2" } } }, null);
    expect(odd).toMatchObject({ promptTokens: null, completionTokens: null, totalTokens: null });
  });

  it("keeps the 1-hour part of the cache writes from message_start through message_delta", () => {
    const split = { type: "message_start", message: { usage: { input_tokens: 80, cache_creation_input_tokens: 200, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 200 }, output_tokens: 1 } } };
    const known = anthropicPartialUsage(split, null);
    expect(known).toMatchObject({ promptTokens: 280, cacheWriteTokens: 200, cacheWrite1hTokens: 200 });
    expect(anthropicPartialUsage({ type: "message_delta", usage: { output_tokens: 40 } }, known)).toMatchObject({ cacheWrite1hTokens: 200, completionTokens: 40 });
  });
});

describe("anthropicUsageDetails", () => {
  const usage = { promptTokens: 280, completionTokens: 40, cachedTokens: 0, cacheWriteTokens: 200, reasoningTokens: null, totalTokens: 320 };

  it("adds the 1-hour writes from the raw usage the SDK keeps in its provider metadata", () => {
    const metadata = { anthropic: { usage: { cache_creation: { ephemeral_5m_input_tokens: 50, ephemeral_1h_input_tokens: 150 } } } };
    expect(anthropicUsageDetails(usage, metadata)).toEqual({ ...usage, cacheWrite1hTokens: 150 });
  });

  it("leaves the usage as it is when the raw usage has no split", () => {
    expect(anthropicUsageDetails(usage, { anthropic: { usage: { cache_creation_input_tokens: 200 } } })).toBe(usage);
    expect(anthropicUsageDetails(usage, undefined)).toBe(usage);
  });
});
