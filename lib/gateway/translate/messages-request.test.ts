import { describe, expect, it } from "vitest";
import { messagesRequestSchema, type MessagesBody } from "@/lib/schemas/messages-request";
import { MessagesRefusal, toChatRequest } from "./messages-request";

const body = (extra: Record<string, unknown>): MessagesBody =>
  messagesRequestSchema.parse({ model: "auto", max_tokens: 64, messages: [{ role: "user", content: "hi" }], ...extra });

/** The refusal a body gets: its param and message. */
function refusal(extra: Record<string, unknown>): { param: string | null; message: string } {
  try {
    toChatRequest(body(extra));
  } catch (err) {
    if (err instanceof MessagesRefusal) return { param: err.param, message: err.message };
    throw err;
  }
  throw new Error("expected a refusal");
}

describe("toChatRequest", () => {
  it("translates the sampling fields, stop sequences, user and stream", () => {
    expect(toChatRequest(body({ temperature: 0.3, top_k: 4, stop_sequences: ["END"], metadata: { user_id: "u", action: "x" }, stream: true }))).toEqual({
      messages: [{ role: "user", content: "hi" }], max_tokens: 64, temperature: 0.3, top_k: 4, stop: ["END"], user: "u", stream: true,
    });
  });

  it("output_config.format becomes a strict json_schema response_format; effort and other formats are refused", () => {
    const schema = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"], additionalProperties: false };
    expect(toChatRequest(body({ output_config: { format: { type: "json_schema", schema } } })).response_format).toEqual({
      type: "json_schema", json_schema: { name: "output", schema, strict: true },
    });
    expect(refusal({ output_config: { effort: "high" } }).param).toBe("output_config.effort");
    expect(refusal({ output_config: { format: { type: "text" } } }).param).toBe("output_config.format");
    expect(refusal({ output_config: { format: { type: "json_schema", schema, name: "x" } } }).param).toBe("output_config.format.name");
  });

  it("system blocks keep their cache_control; blocks become OpenAI parts", () => {
    const out = toChatRequest(body({
      system: [{ type: "text", text: "S", cache_control: { type: "ephemeral", ttl: "1h" } }],
      messages: [{ role: "user", content: [
        { type: "image", source: { type: "base64", media_type: "image/png", data: "AAA" } },
        { type: "document", source: { type: "text", media_type: "text/plain", data: "é" }, title: "n.txt" },
        { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVB" } },
      ] }],
    }));
    expect(out.messages).toEqual([
      { role: "system", content: [{ type: "text", text: "S", cache_control: { type: "ephemeral", ttl: "1h" } }] },
      { role: "user", content: [
        { type: "image_url", image_url: { url: "data:image/png;base64,AAA" } },
        { type: "file", file: { filename: "n.txt", file_data: `data:text/plain;base64,${Buffer.from("é").toString("base64")}` } },
        { type: "file", file: { filename: "document.pdf", file_data: "data:application/pdf;base64,JVB" } },
      ] },
    ]);
  });

  it("tool_use and tool_result: tool calls, then tool messages before the rest of the user turn", () => {
    const out = toChatRequest(body({
      messages: [
        { role: "assistant", content: [{ type: "text", text: "Looking." }, { type: "tool_use", id: "t1", name: "f", input: { a: 1 } }] },
        { role: "user", content: [{ type: "text", text: "and?" }, { type: "tool_result", tool_use_id: "t1", content: "bad", is_error: true }] },
      ],
      tools: [{ name: "f", input_schema: { type: "object" }, cache_control: { type: "ephemeral" } }],
      tool_choice: { type: "any", disable_parallel_tool_use: true },
    }));
    expect(out.messages).toEqual([
      { role: "assistant", content: "Looking.", tool_calls: [{ id: "t1", type: "function", function: { name: "f", arguments: '{"a":1}' } }] },
      { role: "tool", tool_call_id: "t1", content: "bad", is_error: true },
      { role: "user", content: [{ type: "text", text: "and?" }] },
    ]);
    expect(out.tools).toEqual([{ type: "function", function: { name: "f", parameters: { type: "object" } }, cache_control: { type: "ephemeral" } }]);
    expect(out).toMatchObject({ tool_choice: "required", parallel_tool_calls: false });
    expect(toChatRequest(body({ tools: [{ name: "f", input_schema: {} }], tool_choice: { type: "tool", name: "f" } })).tool_choice).toEqual({ type: "function", function: { name: "f" } });
  });

  it("top-level cache_control marks the last block of the last message", () => {
    expect(toChatRequest(body({ cache_control: { type: "ephemeral" } })).messages).toEqual([
      { role: "user", content: [{ type: "text", text: "hi", cache_control: { type: "ephemeral" } }] },
    ]);
  });

  it.each([
    [{ thinking: { type: "enabled", budget_tokens: 1000 } }, "thinking"],
    [{ foo: 1 }, "foo"],
    [{ tools: [{ type: "bash_20250124", name: "bash" }] }, "tools.0.type"],
    [{ tools: [{ name: "f", input_schema: {}, strict: true }] }, "tools.0.strict"],
    [{ messages: [{ role: "user", content: [{ type: "image", source: { type: "file", file_id: "f" } }] }] }, "messages.0.content.0.source.type"],
    [{ messages: [{ role: "user", content: [{ type: "text", text: "x", cache_control: { type: "persistent" } }] }] }, "messages.0.content.0.cache_control"],
    [{ messages: [{ role: "user", content: [{ type: "tool_use", id: "t", name: "f", input: {} }] }] }, "messages.0.content.0.type"],
    [{ messages: [{ role: "assistant", content: [{ type: "redacted_thinking", data: "x" }] }] }, "messages.0.content.0.type"],
    [{ messages: [{ role: "user", content: [{ type: "document", source: { type: "base64", media_type: "application/pdf", data: "x" }, context: "c" }] }] }, "messages.0.content.0.context"],
    [{ messages: [{ role: "user", content: [{ type: "document", source: { type: "base64", media_type: "application/pdf", data: "x" }, citations: { enabled: true } }] }] }, "messages.0.content.0.citations"],
    [{ tool_choice: { type: "auto" } }, "tool_choice"],
    [{ messages: [{ role: "user", content: [] }] }, "messages.0.content"],
    [{ metadata: { user_id: "u", tenant: "x" } }, "metadata.tenant"],
  ])("refuses %j naming %s", (extra, param) => {
    expect(refusal(extra).param).toBe(param);
  });

  it("refuses a fifth cache breakpoint across system, messages and tools", () => {
    const mark = { type: "ephemeral" };
    const r = refusal({
      system: [{ type: "text", text: "a", cache_control: mark }, { type: "text", text: "b", cache_control: mark }],
      messages: [{ role: "user", content: [{ type: "text", text: "c", cache_control: mark }, { type: "text", text: "d", cache_control: mark }] }],
      tools: [{ name: "f", input_schema: {}, cache_control: mark }],
    });
    expect(r).toEqual({ param: "tools.0.cache_control", message: expect.stringContaining("a maximum of 4") });
  });
});
