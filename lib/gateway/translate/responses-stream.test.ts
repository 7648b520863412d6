import { describe, expect, it } from "vitest";
import type { Usage } from "@/lib/engine/types";
import { responsesRequestSchema } from "@/lib/schemas/responses-request";
import type { StreamFrame } from "../stream";
import { toResponseObject } from "./responses-response";
import { responsesEvents, ResponsesStreamTranslator, type ResponsesEvent } from "./responses-stream";

const ids = { requestId: "0b6f1a2c-3d4e-4f50-8a61-72b3c4d5e6f7", createdAt: 1_700_000_000 };
const body = responsesRequestSchema.parse({ model: "auto", input: "hi" });
const usage: Usage = { promptTokens: 10, completionTokens: 5, cachedTokens: 2, reasoningTokens: 1, totalTokens: 15 };
const chunk = (delta: Record<string, unknown>, finish: string | null = null): StreamFrame => ({
  kind: "chunk", data: { id: "c", model: "m-1", choices: [{ index: 0, delta, finish_reason: finish }] }, text: "", raw: null,
});
const end: StreamFrame = { kind: "end", data: null, usage, pricing: { cost: null, currency: null, pricingSource: null } };

async function events(frames: StreamFrame[]): Promise<ResponsesEvent[]> {
  async function* source() {
    yield* frames;
  }
  const out: ResponsesEvent[] = [];
  for await (const e of responsesEvents(source(), new ResponsesStreamTranslator(ids, body, "m"))) out.push(e);
  return out;
}

describe("toResponseObject", () => {
  it("maps text, tool calls, finish reasons and usage", () => {
    const completion = {
      model: "m-1",
      choices: [{ index: 0, finish_reason: "length", message: { role: "assistant", content: "Hi", tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }] } }],
    };
    const r = toResponseObject(ids, body, completion, usage, "m");
    expect(r).toMatchObject({
      id: "resp_0b6f1a2c3d4e4f508a6172b3c4d5e6f7", object: "response", created_at: 1_700_000_000, model: "m-1", status: "incomplete",
      incomplete_details: { reason: "max_output_tokens" }, store: false, tool_choice: "auto", tools: [], parallel_tool_calls: true,
      usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 2 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 1 }, total_tokens: 15 },
      output: [
        { type: "message", id: "msg_0b6f1a2c3d4e4f508a6172b3c4d5e6f7", status: "incomplete", role: "assistant", content: [{ type: "output_text", text: "Hi", annotations: [] }] },
        { type: "function_call", id: "fc_0b6f1a2c3d4e4f508a6172b3c4d5e6f7_0", call_id: "call_1", name: "f", arguments: "{}", status: "completed" },
      ],
    });
    const filtered = toResponseObject(ids, body, { choices: [{ finish_reason: "content_filter", message: { content: "" } }] }, null, "m");
    expect(filtered).toMatchObject({ status: "incomplete", incomplete_details: { reason: "content_filter" }, usage: null, model: "m" });
    const refused = toResponseObject(ids, body, { choices: [{ finish_reason: "stop", message: { content: null, refusal: "No." } }] }, null, "m");
    expect(refused.output).toEqual([expect.objectContaining({ content: [{ type: "refusal", refusal: "No." }] })]);
  });
});

describe("ResponsesStreamTranslator", () => {
  it("text: created, in_progress, item and part added, deltas, done events, completed with usage", async () => {
    const out = await events([chunk({ role: "assistant", content: "" }), chunk({ content: "Hel" }), chunk({ content: "lo" }), chunk({}, "stop"), end]);
    expect(out.map((e) => e.event)).toEqual([
      "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
      "response.output_text.delta", "response.output_text.delta", "response.output_text.done", "response.content_part.done",
      "response.output_item.done", "response.completed",
    ]);
    expect(out.map((e) => e.data.sequence_number)).toEqual(out.map((_, i) => i));
    expect(out[6]!.data).toMatchObject({ text: "Hello", output_index: 0, content_index: 0 });
    expect(out.at(-1)!.data.response).toMatchObject({ status: "completed", model: "m-1", output: [{ type: "message", status: "completed", content: [{ text: "Hello" }] }], usage: { input_tokens: 10 } });
  });

  it("text then two tool calls: the message closes before the calls open; arguments accumulate per call", async () => {
    const out = await events([
      chunk({ content: "Look" }),
      chunk({ tool_calls: [{ index: 0, id: "a", type: "function", function: { name: "f", arguments: "" } }] }),
      chunk({ tool_calls: [{ index: 1, id: "b", type: "function", function: { name: "g", arguments: "{" } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: "{}" } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: "}" } }] }),
      chunk({}, "tool_calls"),
      end,
    ]);
    expect(out.map((e) => e.event)).toEqual([
      "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta",
      "response.output_text.done", "response.content_part.done", "response.output_item.done",
      "response.output_item.added", "response.output_item.added", "response.function_call_arguments.delta",
      "response.function_call_arguments.delta", "response.function_call_arguments.delta",
      "response.function_call_arguments.done", "response.output_item.done", "response.function_call_arguments.done", "response.output_item.done",
      "response.completed",
    ]);
    const final = out.at(-1)!.data.response as { output: Record<string, unknown>[] };
    expect(final.output.map((o) => [o.type, o.call_id, o.arguments])).toEqual([["message", undefined, undefined], ["function_call", "a", "{}"], ["function_call", "b", "{}"]]);
  });

  it("a length finish ends with response.incomplete; an empty answer still has one message", async () => {
    const out = await events([chunk({ role: "assistant" }), chunk({}, "length"), end]);
    expect(out.at(-1)).toMatchObject({ event: "response.incomplete", data: { response: { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } } } });
    expect((out.at(-1)!.data.response as { output: unknown[] }).output).toHaveLength(1);
  });

  it("a cut after the start ends with an error event", async () => {
    const out = await events([chunk({ content: "Hi" }), { kind: "error", data: { error: { code: "stream_cut", message: "broke" } } }, end]);
    expect(out.at(-1)).toMatchObject({ event: "error", data: { type: "error", code: "stream_cut", message: "broke", param: null } });
    expect(out.map((e) => e.event)).not.toContain("response.completed");
  });
});
