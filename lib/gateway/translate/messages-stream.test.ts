import { describe, expect, it } from "vitest";
import type { StreamFrame } from "../stream";
import { toAnthropicEvents, type AnthropicEvent } from "./messages-stream";

const chunk = (delta: Record<string, unknown>, finish: string | null = null): StreamFrame => ({
  kind: "chunk", data: { id: "chatcmpl-1", model: "m-1", choices: [{ index: 0, delta, finish_reason: finish }] }, text: "", raw: null,
});
const end: StreamFrame = {
  kind: "end", data: null, pricing: { cost: null, currency: null } as unknown as Extract<StreamFrame, { kind: "end" }>["pricing"],
  usage: { promptTokens: 20, completionTokens: 5, cachedTokens: 8, cacheWriteTokens: 2, reasoningTokens: null, totalTokens: 25 },
};

async function eventsOf(frames: StreamFrame[]): Promise<AnthropicEvent[]> {
  async function* source() {
    yield* frames;
  }
  const out: AnthropicEvent[] = [];
  for await (const e of toAnthropicEvents(source(), "fallback-model")) out.push(e);
  return out;
}

describe("toAnthropicEvents", () => {
  it("text then a tool call: blocks in order, usage and stop reason in message_delta", async () => {
    const events = await eventsOf([
      chunk({ role: "assistant", content: "" }),
      chunk({ content: "Hi" }),
      chunk({ content: " there" }),
      chunk({ tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "f", arguments: "" } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: "1}" } }] }),
      chunk({}, "tool_calls"),
      end,
    ]);
    expect(events.map((e) => e.event)).toEqual([
      "message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
      "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop",
    ]);
    expect(events[0]!.data).toMatchObject({ message: { id: "msg_chatcmpl-1", model: "m-1", content: [] } });
    expect(events[5]!.data).toEqual({ type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "call_1", name: "f", input: {} } });
    expect(events[6]!.data).toEqual({ type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '{"a":' } });
    expect(events[9]!.data).toEqual({
      type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null },
      usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 8, cache_creation_input_tokens: 2, cache_creation: { ephemeral_5m_input_tokens: 2, ephemeral_1h_input_tokens: 0 } },
    });
  });

  it("a cut after the start ends with an error event and no message_stop", async () => {
    const events = await eventsOf([chunk({ content: "Hi" }), { kind: "error", data: { error: { message: "The provider's stream broke off: reset" } } }]);
    expect(events.map((e) => e.event)).toEqual(["message_start", "content_block_start", "content_block_delta", "error"]);
    expect(events[3]!.data).toEqual({ type: "error", error: { type: "api_error", message: "The provider's stream broke off: reset" } });
  });
});
