import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGeminiCompatFake } from "@/tests/helpers/fake-upstreams/gemini-compat";
import type { FakeUpstream } from "@/tests/helpers/fake-upstreams/harness";
import { FAKE_TOOL_CALL_ID, startOpenAICompatFake } from "@/tests/helpers/fake-upstreams/openai-compat";

/**
 * The matrix's request-following fakes (openai-compat.ts, gemini-compat.ts) refuse what the real
 * APIs refuse, and follow the request where the matrix relies on it: a matrix cell is only as
 * strict as the fake behind it.
 */
let openai: FakeUpstream;
let gemini: FakeUpstream;
beforeAll(async () => {
  [openai, gemini] = await Promise.all([startOpenAICompatFake(), startGeminiCompatFake()]);
});
afterAll(async () => {
  await Promise.all([openai?.close(), gemini?.close()]);
});

async function post(url: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const user = (content: unknown) => ({ role: "user", content });
const lookup = { type: "function", function: { name: "lookup", parameters: { type: "object", properties: { id: { type: "string" } }, required: ["id"] } } };

describe("the OpenAI fake of the matrix", () => {
  const chat = (body: Record<string, unknown>, headers: Record<string, string> = { authorization: "Bearer sk-test" }) =>
    post(`${openai.origin}/v1/chat/completions`, { model: "gpt-4o-mini", ...body }, headers);

  it.each([
    ["a tool message without a preceding tool call", { messages: [user("x"), { role: "tool", tool_call_id: "call_1", content: "r" }] }, /must be a response to a preceeding message with 'tool_calls'/],
    ["an assistant tool call left unanswered", { messages: [user("x"), { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup", arguments: "{}" } }] }, user("y")] }, /must be followed by tool messages/],
    ["an image over plain http", { messages: [user([{ type: "image_url", image_url: { url: "http://example.com/a.png" } }])] }, /https URL or a base64 data URL/],
    ["an image data URL of an unsupported type", { messages: [user([{ type: "image_url", image_url: { url: "data:image/bmp;base64,AAAA" } }])] }, /https URL or a base64 data URL/],
    ["an unknown content part", { messages: [user([{ type: "document", text: "x" }])] }, /Supported values are/],
    ["stream_options without stream", { messages: [user("x")], stream_options: { include_usage: true } }, /only allowed when 'stream' is enabled/],
    ["an unknown field", { messages: [user("x")], cache_control: { type: "ephemeral" } }, /Unrecognized request argument supplied: cache_control/],
    ["json_schema without a schema", { messages: [user("x")], response_format: { type: "json_schema", json_schema: { name: "v" } } }, /json_schema/],
    ["no messages", { messages: [] }, /empty array/],
  ])("refuses %s with a 400", async (_name, body, message) => {
    const res = await chat(body);
    expect(res.status).toBe(400);
    expect((res.json.error as { message: string }).message).toMatch(message);
  });

  it("refuses a request without a key, and paths it does not serve", async () => {
    expect((await chat({ messages: [user("x")] }, {})).status).toBe(401);
    expect((await post(`${openai.origin}/v1/responses`, { model: "gpt-4o-mini", input: "x" }, { authorization: "Bearer sk-test" })).status).toBe(404);
  });

  it("answers a forced tool with a call matching its schema, then the tool result with text", async () => {
    const first = await chat({ messages: [user("look up 7")], tools: [lookup], tool_choice: "required" });
    expect(first.json.choices).toEqual([expect.objectContaining({
      finish_reason: "tool_calls",
      message: expect.objectContaining({ tool_calls: [{ id: FAKE_TOOL_CALL_ID, type: "function", function: { name: "lookup", arguments: '{"id":"fake"}' } }] }),
    })]);
    const assistant = (first.json.choices as { message: unknown }[])[0]!.message;
    const second = await chat({ messages: [user("look up 7"), assistant, { role: "tool", tool_call_id: FAKE_TOOL_CALL_ID, content: "{}" }], tools: [lookup] });
    expect(second.status).toBe(200);
    expect(second.json.choices).toEqual([expect.objectContaining({ finish_reason: "stop" })]);
  });
});

describe("the Gemini fake of the matrix", () => {
  const key = { "x-goog-api-key": "gm-test" };
  const generate = (body: Record<string, unknown>, headers = key, path = "/v1beta/models/gemini-2.5-flash:generateContent") => post(`${gemini.origin}${path}`, body, headers);
  const turn = (role: string, ...parts: unknown[]) => ({ role, parts });

  it.each([
    ["a function response without the call turn before it", { contents: [turn("user", { functionResponse: { name: "lookup", response: {} } })] }, /function response turn comes immediately after a function call turn/],
    ["a function response to another function", { contents: [turn("user", { text: "x" }), turn("model", { functionCall: { name: "other", args: {} } }), turn("user", { functionResponse: { name: "lookup", response: {} } })] }, /immediately after a function call turn/],
    ["a system role in contents", { contents: [turn("system", { text: "x" })] }, /valid role/],
    ["empty contents", { contents: [] }, /contents is not specified/],
    ["inline data without a mime type", { contents: [turn("user", { inlineData: { data: "AAAA" } })] }, /inline_data/],
  ])("refuses %s with a 400", async (_name, body, message) => {
    const res = await generate(body);
    expect(res.status).toBe(400);
    expect((res.json.error as { message: string }).message).toMatch(message);
  });

  it("refuses a request without a key, and a path that is not a model method", async () => {
    expect((await generate({ contents: [turn("user", { text: "x" })] }, {} as typeof key)).status).toBe(400);
    expect((await generate({ contents: [turn("user", { text: "x" })] }, key, "/v1beta/models/gemini-2.5-flash:embedContent")).status).toBe(404);
  });

  it("follows a forced function call and a JSON response schema", async () => {
    const tools = [{ functionDeclarations: [{ name: "lookup", parameters: { type: "OBJECT", properties: { id: { type: "STRING" } } } }] }];
    const called = await generate({ contents: [turn("user", { text: "x" })], tools, toolConfig: { functionCallingConfig: { mode: "ANY" } } });
    expect(called.json.candidates).toEqual([expect.objectContaining({ content: { role: "model", parts: [{ functionCall: { name: "lookup", args: { id: "fake" } } }] } })]);
    const json = await generate({ contents: [turn("user", { text: "x" })], generationConfig: { responseMimeType: "application/json", responseSchema: { type: "object", properties: { ok: { type: "boolean" } } } } });
    expect(json.json.candidates).toEqual([expect.objectContaining({ content: { role: "model", parts: [{ text: '{"ok":true}' }] } })]);
  });
});
