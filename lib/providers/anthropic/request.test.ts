import { describe, expect, it } from "vitest";
import { toModelMessages } from "@/lib/providers/ai-sdk/messages";
import { toOutput } from "@/lib/providers/ai-sdk/output";
import { anthropicFinishReason, anthropicPartOptions, anthropicProviderOptions } from "./request";

const cc = (ttl?: string) => ({ anthropic: { cacheControl: ttl ? { type: "ephemeral", ttl } : { type: "ephemeral" } } });

describe("anthropic request translation", () => {
  it("user → metadata.userId, parallel_tool_calls false → disableParallelToolUse, nothing else", () => {
    expect(anthropicProviderOptions({ messages: [], user: "u-1", parallel_tool_calls: false })).toEqual({
      anthropic: { metadata: { userId: "u-1" }, disableParallelToolUse: true },
    });
    expect(anthropicProviderOptions({ messages: [], parallel_tool_calls: true })).toBeUndefined();
  });

  it("cache_control → cacheControl on the part it was on, system parts split into their own blocks", () => {
    expect(anthropicPartOptions({ cache_control: { type: "ephemeral", ttl: "1h" } })).toEqual(cc("1h"));
    expect(anthropicPartOptions({ type: "text" })).toBeUndefined();
    const messages = toModelMessages(
      [
        { role: "system", content: [{ type: "text", text: "policy", cache_control: { type: "ephemeral", ttl: "1h" } }, { type: "text", text: "notes" }] },
        { role: "user", content: [{ type: "text", text: "doc", cache_control: { type: "ephemeral" } }, { type: "text", text: "q" }] },
        { role: "assistant", content: [{ type: "text", text: "a", cache_control: { type: "ephemeral" } }] },
        { role: "user", content: "plain", cache_control: { type: "ephemeral" } } as never,
      ],
      anthropicPartOptions,
    );
    expect(messages).toEqual([
      { role: "system", content: "policy", providerOptions: cc("1h") },
      { role: "system", content: "notes" },
      { role: "user", content: [{ type: "text", text: "doc", providerOptions: cc() }, { type: "text", text: "q" }] },
      { role: "assistant", content: [{ type: "text", text: "a", providerOptions: cc() }] },
      { role: "user", content: "plain", providerOptions: cc() },
    ]);
  });

  it("pause_turn → length; other reasons left to the SDK's mapping", () => {
    expect(anthropicFinishReason("pause_turn")).toBe("length");
    expect(anthropicFinishReason("refusal")).toBeUndefined();
    expect(anthropicFinishReason(undefined)).toBeUndefined();
  });

  it("response_format → the SDK's JSON response format, passing the text through unvalidated", async () => {
    expect(toOutput({ messages: [] })).toBeUndefined();
    expect(toOutput({ messages: [], response_format: { type: "text" } })).toBeUndefined();
    const schema = { type: "object", properties: { a: { type: "string" } }, required: ["a"], additionalProperties: false };
    const strict = toOutput({ messages: [], response_format: { type: "json_schema", json_schema: { name: "v", description: "d", schema, strict: true } } });
    expect(await strict?.responseFormat).toEqual({ type: "json", schema, name: "v", description: "d" });
    const loose = toOutput({ messages: [], response_format: { type: "json_object" } });
    expect(await loose?.responseFormat).toEqual({ type: "json", schema: { type: "object" } });
    const context = {} as Parameters<NonNullable<typeof loose>["parseCompleteOutput"]>[1];
    expect(await loose?.parseCompleteOutput({ text: "{not json" }, context)).toBe("{not json");
  });
});
