import { describe, expect, it } from "vitest";
import { anthropicPartialUsage } from "./usage";

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
});
