import { describe, expect, it } from "vitest";
import { toCallSettings, toModelMessages, toTools } from "@/lib/providers/ai-sdk/messages";
import { ProviderError, type ChatMessage } from "@/lib/providers/types";

describe("toModelMessages", () => {
  it("maps system, developer, user parts, assistant tool calls and tool results", () => {
    const messages: ChatMessage[] = [
      { role: "system", content: "Be brief." },
      { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
      {
        role: "user",
        content: [
          { type: "text", text: "What is in this picture?" },
          { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
        ],
      },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup", arguments: '{"q":"cat"}' } }],
      },
      { role: "tool", tool_call_id: "call_1", content: "a cat" },
    ];
    expect(toModelMessages(messages)).toEqual([
      { role: "system", content: "Be brief." },
      { role: "system", content: "Answer in French." },
      {
        role: "user",
        content: [
          { type: "text", text: "What is in this picture?" },
          { type: "image", image: new URL("https://example.com/cat.png") },
        ],
      },
      { role: "assistant", content: [{ type: "tool-call", toolCallId: "call_1", toolName: "lookup", input: { q: "cat" } }] },
      {
        role: "tool",
        content: [{ type: "tool-result", toolCallId: "call_1", toolName: "lookup", output: { type: "text", value: "a cat" } }],
      },
    ]);
  });

  it("rejects content it cannot express as a non-retryable bad request", () => {
    const audio: ChatMessage = { role: "user", content: [{ type: "input_audio", input_audio: { data: "..." } }] };
    expect(() => toModelMessages([audio])).toThrow(ProviderError);
    try {
      toModelMessages([audio]);
    } catch (err) {
      expect(err).toMatchObject({ code: "local_invalid_request", origin: "local", status: 400, retryable: false });
    }
  });
});

describe("toTools and toCallSettings", () => {
  it("declares function tools without execute and maps tool_choice", () => {
    const { tools, toolChoice } = toTools({
      messages: [],
      tools: [{ type: "function", function: { name: "lookup", description: "Find", parameters: { type: "object", properties: {} } } }],
      tool_choice: { type: "function", function: { name: "lookup" } },
    });
    expect(Object.keys(tools ?? {})).toEqual(["lookup"]);
    expect(tools?.lookup).not.toHaveProperty("execute");
    expect(toolChoice).toEqual({ type: "tool", toolName: "lookup" });
    expect(toTools({ messages: [] })).toEqual({});
  });

  it("maps sampling settings, preferring max_completion_tokens", () => {
    expect(toCallSettings({ messages: [], temperature: 0.3, top_p: 0.9, max_tokens: 10, max_completion_tokens: 20, stop: "END", seed: 1 })).toEqual({
      temperature: 0.3,
      topP: 0.9,
      maxOutputTokens: 20,
      stopSequences: ["END"],
      seed: 1,
    });
  });
});

describe("what the Messages route carries through the SDK", () => {
  const cache = (holder: Record<string, unknown>) => (holder.cache_control ? { anthropic: { cacheControl: { type: "ephemeral" } } } : undefined);

  it("a file part with a data: URL becomes the SDK's file part (PDF → Anthropic document); a file_id is refused", () => {
    const messages: ChatMessage[] = [{
      role: "user",
      content: [{ type: "file", file: { filename: "a.pdf", file_data: "data:application/pdf;base64,JVBERi0=" }, cache_control: { type: "ephemeral" } }],
    }];
    expect(toModelMessages(messages, cache)).toEqual([{
      role: "user",
      content: [{ type: "file", data: "JVBERi0=", mediaType: "application/pdf", filename: "a.pdf", providerOptions: { anthropic: { cacheControl: { type: "ephemeral" } } } }],
    }]);
    expect(() => toModelMessages([{ role: "user", content: [{ type: "file", file: { file_id: "file-1" } }] }])).toThrow(ProviderError);
  });

  it("a tool message with is_error is an error-text result", () => {
    const out = toModelMessages([{ role: "tool", tool_call_id: "t1", name: "lookup", content: "not found", is_error: true }]);
    expect(out[0]).toMatchObject({ role: "tool", content: [{ type: "tool-result", output: { type: "error-text", value: "not found" } }] });
  });

  it("a tool's cache_control becomes its provider options; top_k becomes topK", () => {
    const { tools } = toTools({ messages: [], tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } }, cache_control: { type: "ephemeral" } }] }, cache);
    expect(tools?.f?.providerOptions).toEqual({ anthropic: { cacheControl: { type: "ephemeral" } } });
    expect(toCallSettings({ messages: [], top_k: 5 }).topK).toBe(5);
  });
});
