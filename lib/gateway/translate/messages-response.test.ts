import { describe, expect, it } from "vitest";
import { anthropicUsage, messageId, stopReasonOf, toAnthropicMessage } from "./messages-response";

describe("anthropicUsage", () => {
  it("input_tokens excludes cache reads and writes; the writes split into 5-minute and 1-hour", () => {
    expect(anthropicUsage({ promptTokens: 380, completionTokens: 40, cachedTokens: 100, cacheWriteTokens: 200, cacheWrite1hTokens: 150, reasoningTokens: null, totalTokens: 420 })).toEqual({
      input_tokens: 80, output_tokens: 40, cache_read_input_tokens: 100, cache_creation_input_tokens: 200,
      cache_creation: { ephemeral_5m_input_tokens: 50, ephemeral_1h_input_tokens: 150 },
    });
  });

  it("unknown usage reads as zeros (the ledger keeps it unknown)", () => {
    expect(anthropicUsage(null)).toMatchObject({ input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0 });
  });
});

describe("toAnthropicMessage", () => {
  it("text and tool calls become blocks; the finish reason a stop reason", () => {
    const body = {
      id: "chatcmpl-abc", model: "gpt-x",
      choices: [{ message: { role: "assistant", content: "Sure.", tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: '{"a":1}' } }] }, finish_reason: "tool_calls" }],
    };
    expect(toAnthropicMessage(body, null, "fallback")).toMatchObject({
      id: "msg_chatcmpl-abc", type: "message", role: "assistant", model: "gpt-x",
      content: [{ type: "text", text: "Sure." }, { type: "tool_use", id: "call_1", name: "f", input: { a: 1 } }],
      stop_reason: "tool_use", stop_sequence: null,
    });
  });

  it.each([["stop", "end_turn"], ["length", "max_tokens"], ["content_filter", "refusal"], ["tool_calls", "tool_use"], [null, null]])("finish %s → %s", (finish, stop) => {
    expect(stopReasonOf(finish)).toBe(stop);
  });

  it("keeps msg_ ids and makes others msg_ ids", () => {
    expect(messageId("msg_01")).toBe("msg_01");
    expect(messageId("gen-1/2")).toBe("msg_gen-12");
  });
});
