import { createOpenAI } from "@ai-sdk/openai";
import { generateText, jsonSchema, streamText, tool } from "ai";
import { sql } from "kysely";
import OpenAI from "openai";
import { zodTextFormat } from "openai/helpers/zod";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import * as responsesRoute from "@/app/api/llm/v1/responses/route";
import { serviceDb } from "@/lib/db/service";
import { runtime } from "@/lib/gateway/runtime";
import { mockReply } from "@/lib/providers/mock/reply";
import { gatewayTargets } from "@/tests/helpers/databases";
import { startAnthropicFake, ANTHROPIC_TEXT, type AnthropicFake } from "@/tests/helpers/fake-upstreams/anthropic";
import type { FakeUpstream } from "@/tests/helpers/fake-upstreams/harness";
import { OPENAI_TEXT } from "@/tests/helpers/fake-upstreams/openai";
import { startOpenAIFollowFake } from "@/tests/helpers/fake-upstreams/openai-follow";
import { routeToClaude } from "@/tests/helpers/claude-route";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";
import { waitFor } from "./recorder/helpers";

/**
 * POST /api/llm/v1/responses: OpenAI's Responses API translated to the gateway's chat form and
 * back. Clients: the official `openai` SDK (responses.create / .stream / .parse) and the Vercel
 * AI SDK's default OpenAI provider (which speaks the Responses API). Upstreams: a strict fake
 * OpenAI chat completions API that follows the request (tool calls, JSON schemas), the strict
 * fake Anthropic Messages API, and the key-less mock. Each case checks what the upstream
 * received, what the client parsed, and the llm_calls row (tokens, cost to the decimal).
 */
const targets = gatewayTargets();
const OA = "resp_oa";
const CLAUDE = "resp_claude";
const MOCK = "resp_mock";
const metadata = { organization: "acme", pipeline_stage: "test", request_type: "responses" };
const Verdict = z.object({ category: z.enum(["lekkage", "dak"]), urgent: z.boolean() });

describe.each(targets)("POST /api/llm/v1/responses on $name", (target) => {
  let world: GatewayWorld;
  let oa: FakeUpstream;
  let claude: AnthropicFake;
  let client: OpenAI;

  const post = (body: unknown) =>
    fetch(`${world.url}/api/llm/v1/responses`, {
      method: "POST", headers: { authorization: `Bearer ${KEYS.app}`, "content-type": "application/json" }, body: JSON.stringify(body),
    });

  beforeAll(async () => {
    world = await startGatewayWorld(target);
    [oa, claude] = await Promise.all([startOpenAIFollowFake(), startAnthropicFake()]);
    vi.stubEnv("OA_RESP_TEST_API_KEY", "sk-oa-SECRET-0123456789");
    const db = await serviceDb();
    await db.transaction().execute(async (tx) => {
      const provider = (code: string, kind: "openai" | "mock", baseUrl: string | null, envVar: string | null) =>
        tx.insertInto("llm_providers").values({ code, name: code, kind, base_url: baseUrl, api_key_env_var: envVar, timeout_ms: 2000, max_retries: 0 })
          .returning("id").executeTakeFirstOrThrow();
      const model = (providerId: string, code: string) =>
        tx.insertInto("llm_models").values({ provider_id: providerId, model_code: code, display_name: code }).returning("id").executeTakeFirstOrThrow();
      const gpt = await model((await provider("oa", "openai", `${oa.origin}/v1`, "OA_RESP_TEST_API_KEY")).id, "gpt-4o");
      const mock = await model((await provider("mock", "mock", null, null)).id, "mock-chat");
      await tx.insertInto("model_prices").values({ model_id: gpt.id, input_per_mtok: "2.5", output_per_mtok: "10", cached_input_per_mtok: "1.25", currency: "USD", effective_from: new Date("2024-01-01T00:00:00Z") }).execute();
      await tx.insertInto("model_prices").values({ model_id: mock.id, input_per_mtok: "1", output_per_mtok: "2", currency: "EUR", effective_from: new Date("2024-01-01T00:00:00Z") }).execute();
      for (const [action, m] of [[OA, gpt.id], [MOCK, mock.id]] as const) {
        await tx.insertInto("llm_configurations").values({ app_id: world.ids.app, action_type: action, model_id: m, priority: 100 }).execute();
      }
    });
    await runtime().config.reload();
    await routeToClaude(world, { origin: claude.origin, action: CLAUDE, currency: "EUR", warmUp: () => post({ model: CLAUDE, input: "warm up" }) });
    client = new OpenAI({ apiKey: KEYS.app, baseURL: `${world.url}/api/llm/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await world?.close();
    await Promise.all([oa?.close(), claude?.close()]);
  });
  beforeEach(() => {
    oa.reset();
    claude.reset();
  });

  const rowsOf = async (requestId: string | null) => {
    await flushed();
    const db = await serviceDb();
    return db.selectFrom("llm_calls")
      .select([
        "status", "error_type", "provider_code", "model_code", "action_type", "user_ref", "streamed", "prompt_tokens", "completion_tokens",
        "cached_tokens", "cache_write_tokens", "reasoning_tokens", "total_tokens", "currency", "pricing_source", "record_complete",
        sql<string | null>`cost::text`.as("cost"),
      ])
      .where("request_id", "=", requestId ?? "").orderBy("attempt").execute();
  };
  const onlyRequest = (fake: FakeUpstream) => {
    expect(fake.requests).toHaveLength(1);
    return fake.requests[0]!.body;
  };
  // The OpenAI fake's usage: 12 prompt tokens (4 cached), 7 completion (2 reasoning):
  // (8 x 2.5 + 4 x 1.25 + 7 x 10) / 1e6 USD.
  const OA_ROW = {
    status: "ok", error_type: null, provider_code: "oa", model_code: "gpt-4o", action_type: OA, streamed: false, prompt_tokens: 12, completion_tokens: 7,
    cached_tokens: 4, cache_write_tokens: null, reasoning_tokens: 2, total_tokens: 19, currency: "USD", pricing_source: "database", record_complete: true,
    cost: "0.000095000000",
  };
  const OA_USAGE = { input_tokens: 12, input_tokens_details: { cached_tokens: 4 }, output_tokens: 7, output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 19 };

  it("responses.create: text input and instructions become chat messages; the answer is a response object, priced", async () => {
    const { data, response } = await client.responses
      .create({ model: OA, instructions: "Antwoord kort.", input: "Wat is lekkage?", max_output_tokens: 50, temperature: 0.2, user: "u-7", store: false, metadata })
      .withResponse();
    expect(onlyRequest(oa)).toEqual({
      model: "gpt-4o", messages: [{ role: "system", content: "Antwoord kort." }, { role: "user", content: "Wat is lekkage?" }],
      max_completion_tokens: 50, temperature: 0.2, user: "u-7",
    });
    expect(oa.requests[0]!.headers.authorization).toBe("Bearer sk-oa-SECRET-0123456789");
    const requestId = response.headers.get("x-request-id")!;
    expect(data).toMatchObject({
      id: `resp_${requestId.replaceAll("-", "")}`, object: "response", status: "completed", model: "gpt-4o-2024-08-06", store: false,
      instructions: "Antwoord kort.", max_output_tokens: 50, temperature: 0.2, error: null, incomplete_details: null, usage: OA_USAGE,
      output: [{ type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text: OPENAI_TEXT, annotations: [] }] }],
    });
    expect(data.output_text).toBe(OPENAI_TEXT);
    expect(response.headers.get("x-llm-provider")).toBe("oa");
    expect(response.headers.get("x-llm-cost")).toBe("0.000095");
    expect(response.headers.get("x-llm-currency")).toBe("USD");
    expect(await rowsOf(requestId)).toEqual([{ ...OA_ROW, user_ref: "u-7" }]);
  });

  it("input items: text, image (data URL), PDF file and an earlier assistant turn are translated part by part", async () => {
    const image = "data:image/png;base64,iVBORw0KGgo=";
    const pdf = "data:application/pdf;base64,JVBERi0xLjQK";
    await client.responses.create({
      model: OA,
      input: [
        { role: "developer", content: "Je bent een classificeerder." },
        { type: "message", role: "user", content: [{ type: "input_text", text: "Wat zie je?" }, { type: "input_image", image_url: image, detail: "low" }] },
        { type: "message", role: "assistant", id: "msg_1", status: "completed", content: [{ type: "output_text", text: "Een badkamer.", annotations: [] }] },
        { role: "user", content: [{ type: "input_file", filename: "werkbon.pdf", file_data: pdf }, { type: "input_text", text: "En hier?" }] },
      ],
    });
    expect(onlyRequest(oa).messages).toEqual([
      { role: "developer", content: "Je bent een classificeerder." },
      { role: "user", content: [{ type: "text", text: "Wat zie je?" }, { type: "image_url", image_url: { url: image, detail: "low" } }] },
      { role: "assistant", content: "Een badkamer." },
      { role: "user", content: [{ type: "file", file: { filename: "werkbon.pdf", file_data: pdf } }, { type: "text", text: "En hier?" }] },
    ]);
  });

  it("a function tool round trip: function_call out, function_call_output back as a tool message", async () => {
    const tools: OpenAI.Responses.FunctionTool[] = [{
      type: "function", name: "lookup_werkbon", description: "Find a work order", strict: true,
      parameters: { type: "object", properties: { number: { type: "integer" } }, required: ["number"], additionalProperties: false },
    }];
    const input: OpenAI.Responses.ResponseInputItem[] = [{ role: "user", content: "Zoek werkbon 7" }];
    const first = await client.responses.create({ model: OA, input, tools, tool_choice: "auto", parallel_tool_calls: false });
    expect(onlyRequest(oa)).toMatchObject({
      tools: [{ type: "function", function: { name: "lookup_werkbon", description: "Find a work order", strict: true, parameters: tools[0]!.parameters } }],
      tool_choice: "auto", parallel_tool_calls: false,
    });
    expect(first.status).toBe("completed");
    expect(first.output).toEqual([expect.objectContaining({ type: "function_call", call_id: "call_fake01", name: "lookup_werkbon", arguments: "{\"number\":1}", status: "completed" })]);
    expect(first.output_text).toBe("");
    oa.reset();
    const call = first.output[0] as OpenAI.Responses.ResponseFunctionToolCall;
    const second = await client.responses.create({ model: OA, tools, input: [...input, call, { type: "function_call_output", call_id: call.call_id, output: "{\"status\":\"open\"}" }] });
    expect(onlyRequest(oa).messages).toEqual([
      { role: "user", content: "Zoek werkbon 7" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_fake01", type: "function", function: { name: "lookup_werkbon", arguments: "{\"number\":1}" } }] },
      { role: "tool", tool_call_id: "call_fake01", content: "{\"status\":\"open\"}" },
    ]);
    expect(second.output_text).toBe(OPENAI_TEXT);
  });

  it("responses.parse with zodTextFormat: text.format json_schema → response_format, output_parsed typed", async () => {
    const parsed = await client.responses.parse({ model: OA, input: "Classificeer: lekkage", text: { format: zodTextFormat(Verdict, "verdict") } });
    const sent = onlyRequest(oa);
    expect(sent.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "verdict", strict: true, schema: { type: "object", required: ["category", "urgent"] } } });
    expect(parsed.output_parsed).toEqual({ category: "lekkage", urgent: true });
  });

  it("responses.stream: typed events in order, the final response with usage; the chat upstream was streamed", async () => {
    const stream = client.responses.stream({ model: OA, input: "Hallo", metadata });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const final = await stream.finalResponse();
    expect(onlyRequest(oa)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(events.map((e) => e.type)).toEqual([
      "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
      "response.output_text.delta", "response.output_text.delta", "response.output_text.delta",
      "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(textOf(final)).toBe(OPENAI_TEXT);
    expect(final.usage).toEqual(OA_USAGE);
    expect(await rowsOf(final.id.startsWith("resp_") ? uuidOf(final.id) : null)).toEqual([{ ...OA_ROW, user_ref: null, streamed: true }]);
  });

  it("a streamed function call: output_item.added, arguments deltas and done", async () => {
    const stream = client.responses.stream({
      model: OA, input: "Zoek werkbon", tools: [{ type: "function", name: "lookup", strict: false, parameters: { type: "object", properties: { q: { type: "string" } } } }],
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalResponse();
    expect(types).toEqual([
      "response.created", "response.in_progress", "response.output_item.added",
      ...Array(3).fill("response.function_call_arguments.delta"), "response.function_call_arguments.done", "response.output_item.done", "response.completed",
    ]);
    expect(final.output).toEqual([expect.objectContaining({ type: "function_call", call_id: "call_fake01", name: "lookup", arguments: "{\"q\":\"fake\"}" })]);
  });

  it("a stream cut after it started ends with an `error` event; the attempt is recorded as failed, not retried", async () => {
    oa.script({ kind: "cut", afterEvents: 2 });
    const res = await post({ model: OA, input: "Hallo", stream: true, metadata });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = (await res.text()).split("\n\n").filter(Boolean).map((frame) => {
      const [event, data] = frame.split("\n");
      return { event: event!.slice("event: ".length), data: JSON.parse(data!.slice("data: ".length)) as Record<string, unknown> };
    });
    expect(events.map((e) => e.event)).toEqual([
      "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta", "error",
    ]);
    expect(events.every((e) => e.event === e.data.type)).toBe(true);
    expect(events.at(-1)!.data).toMatchObject({ type: "error", code: "stream_cut", sequence_number: 5 });
    expect(oa.requests).toHaveLength(1);
    expect(await rowsOf(res.headers.get("x-request-id"))).toMatchObject([{ status: "failed", error_type: "stream_cut", streamed: true }]);
  });

  it("a client leaving a stream stops the upstream; the attempt is recorded as cancelled", async () => {
    oa.script({ kind: "stall", afterEvents: 2 });
    const abort = new AbortController();
    const res = await fetch(`${world.url}/api/llm/v1/responses`, {
      method: "POST", signal: abort.signal,
      headers: { authorization: `Bearer ${KEYS.app}`, "content-type": "application/json" }, body: JSON.stringify({ model: OA, input: "Hallo", stream: true, metadata }),
    });
    const reader = res.body!.getReader();
    let seen = "";
    while (!seen.includes("response.output_text.delta")) {
      const r = await reader.read();
      if (r.done) break;
      seen += new TextDecoder().decode(r.value);
    }
    expect(seen).toContain("response.output_text.delta");
    abort.abort();
    const requestId = res.headers.get("x-request-id");
    await waitFor(async () => (await rowsOf(requestId)).length === 1);
    expect(await rowsOf(requestId)).toMatchObject([{ status: "failed", error_type: "cancelled", streamed: true }]);
  });

  it("the Next route file (next dev, Vercel) serves it too, errors in the caller's dialect", async () => {
    const request = (headers: Record<string, string>) =>
      new Request("http://localhost/api/llm/v1/responses", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ model: MOCK, input: "Hallo" }) });
    const ok = await responsesRoute.POST(request({ authorization: `Bearer ${KEYS.app}` }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ object: "response", status: "completed" });
    const anthropic = await responsesRoute.POST(request({ "x-api-key": "wrong", "anthropic-version": "2023-06-01" }));
    expect(anthropic.status).toBe(401);
    expect(await anthropic.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    expect(responsesRoute.GET(new Request("http://localhost/api/llm/v1/responses")).status).toBe(405);
  });

  it("routed to Anthropic: the Messages API gets system, messages and max_tokens; cache tokens priced", async () => {
    const { data, response } = await client.responses
      .create({ model: CLAUDE, instructions: "Wees kort.", input: [{ role: "user", content: "Hallo" }], max_output_tokens: 64, metadata })
      .withResponse();
    const sent = onlyRequest(claude);
    expect(sent).toMatchObject({ model: "claude-sonnet-4-5", max_tokens: 64, system: [{ type: "text", text: "Wees kort." }], messages: [{ role: "user", content: [{ type: "text", text: "Hallo" }] }] });
    expect(data.output_text).toBe(ANTHROPIC_TEXT);
    expect(data.usage).toEqual({ input_tokens: 18, input_tokens_details: { cached_tokens: 5 }, output_tokens: 7, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 25 });
    expect(await rowsOf(response.headers.get("x-request-id"))).toEqual([{
      status: "ok", error_type: null, provider_code: "claude", model_code: "claude-sonnet-4-5", action_type: CLAUDE, user_ref: null, streamed: false,
      prompt_tokens: 18, completion_tokens: 7, cached_tokens: 5, cache_write_tokens: 3, reasoning_tokens: null, total_tokens: 25,
      currency: "EUR", pricing_source: "database", record_complete: true, cost: "0.000147750000",
    }]);
  });

  it("routed to Anthropic, streamed with a forced function tool: tool_use becomes function_call events", async () => {
    const stream = client.responses.stream({
      model: CLAUDE, input: "Zoek", tool_choice: { type: "function", name: "lookup" },
      tools: [{ type: "function", name: "lookup", strict: false, parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] } }],
    });
    const final = await stream.finalResponse();
    expect(onlyRequest(claude)).toMatchObject({ stream: true, tool_choice: { type: "tool", name: "lookup" }, tools: [{ name: "lookup" }] });
    expect(final.output).toEqual([expect.objectContaining({ type: "function_call", name: "lookup", call_id: "toolu_fake01", arguments: "{\"q\":\"fake\"}" })]);
    expect(final.usage?.input_tokens).toBe(18);
  });

  it("a chat field the provider refuses is named as the Responses API names it (reasoning.effort on Anthropic)", async () => {
    const res = await post({ model: CLAUDE, input: "x", reasoning: { effort: "low" } });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ type: "invalid_request_error", param: "reasoning.effort", message: expect.stringContaining("\"reasoning.effort\"") });
    expect(claude.requests).toHaveLength(0);
  });

  it("the key-less mock answers through the translation, JSON and streamed; max_output_tokens cut → incomplete", async () => {
    const expected = mockReply({ messages: [{ role: "user", content: "Classificeer: lekkage" }] });
    const { data, response } = await client.responses.create({ model: MOCK, input: "Classificeer: lekkage" }).withResponse();
    expect(data.output_text).toBe(expected.text);
    expect(data.usage).toMatchObject({ input_tokens: expected.usage.promptTokens, output_tokens: expected.usage.completionTokens });
    const rows = await rowsOf(response.headers.get("x-request-id"));
    expect(rows).toMatchObject([{ status: "ok", provider_code: "mock", prompt_tokens: expected.usage.promptTokens, completion_tokens: expected.usage.completionTokens, currency: "EUR" }]);
    const streamed = await client.responses.stream({ model: MOCK, input: "Classificeer: lekkage" }).finalResponse();
    expect(textOf(streamed)).toBe(expected.text);
    const cut = await client.responses.create({ model: MOCK, input: "Classificeer: lekkage", max_output_tokens: 3 });
    expect(cut).toMatchObject({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" } });
    expect(cut.output_text).toBe(mockReply({ messages: [{ role: "user", content: "Classificeer: lekkage" }], max_completion_tokens: 3 }).text);
  });

  it("the AI SDK's default OpenAI provider (Responses API): generateText with a tool loop and streamText", async () => {
    const openai = createOpenAI({ baseURL: `${world.url}/api/llm/v1`, apiKey: KEYS.app });
    const text = await generateText({ model: openai(OA), prompt: "Hallo", maxOutputTokens: 40 });
    expect(text.text).toBe(OPENAI_TEXT);
    expect(text.usage).toMatchObject({ inputTokens: 12, outputTokens: 7 });
    expect(onlyRequest(oa)).toEqual({ model: "gpt-4o", messages: [{ role: "user", content: [{ type: "text", text: "Hallo" }] }], max_completion_tokens: 40 });
    oa.reset();
    const looped = await generateText({
      model: openai(OA), prompt: "Zoek werkbon",
      tools: { lookup: tool({ inputSchema: jsonSchema<{ q: string }>({ type: "object", properties: { q: { type: "string" } }, required: ["q"], additionalProperties: false }), execute: async ({ q }) => `werkbon ${q}: open` }) },
      stopWhen: ({ steps }) => steps.length >= 2,
    });
    expect(looped.steps.map((s) => s.finishReason)).toEqual(["tool-calls", "stop"]);
    expect(looped.text).toBe(OPENAI_TEXT);
    expect(oa.requests[1]!.body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Zoek werkbon" }] },
      { role: "assistant", content: null, tool_calls: [{ id: "call_fake01", type: "function", function: { name: "lookup", arguments: "{\"q\":\"fake\"}" } }] },
      { role: "tool", tool_call_id: "call_fake01", content: "werkbon fake: open" },
    ]);
    oa.reset();
    const streamed = streamText({ model: openai(CLAUDE), prompt: "Hallo" });
    let out = "";
    for await (const piece of streamed.textStream) out += piece;
    expect(out).toBe(ANTHROPIC_TEXT);
    expect(await streamed.usage).toMatchObject({ inputTokens: 18, outputTokens: 7 });
  });

  it.each([
    [{ store: true }, "store", /stateless/],
    [{ previous_response_id: "resp_123" }, "previous_response_id", /stateless/],
    [{ background: true }, "background", /background/],
    [{ conversation: "conv_1" }, "conversation", /stateless/],
    [{ tools: [{ type: "web_search" }] }, "tools[0].type", /web_search/],
    [{ include: ["file_search_call.results"] }, "include", /file_search_call\.results/],
    [{ truncation: "auto" }, "truncation", /truncation/],
    [{ input: [{ type: "item_reference", id: "msg_1" }] }, "input[0].type", /store = false/],
    [{ input: [{ role: "user", content: [{ type: "input_image", file_id: "file-1" }] }] }, "input[0].content[0].file_id", /file_id/],
    [{ frequency_penalty: 1 }, "frequency_penalty", /not supported/],
  ])("refuses %j with a 400 naming %s, nothing sent, no llm_calls row (as chat: a malformed body is no attempt)", async (extra, param, message) => {
    const res = await client.responses.create({ model: OA, input: "x", ...extra } as OpenAI.Responses.ResponseCreateParamsNonStreaming).withResponse().catch((e: unknown) => e);
    expect(res).toBeInstanceOf(OpenAI.BadRequestError);
    const err = res as InstanceType<typeof OpenAI.BadRequestError>;
    expect(err.error).toMatchObject({ type: "invalid_request_error", param });
    expect(err.message).toMatch(message);
    expect(oa.requests).toHaveLength(0);
    expect(await rowsOf(err.headers?.get("x-request-id") ?? null)).toEqual([]);
  });
});

/** The text of a response's messages (the SDK's output_text, which a streamed final response lacks). */
function textOf(response: OpenAI.Responses.Response): string {
  return response.output.flatMap((item) => (item.type === "message" ? item.content : [])).map((part) => (part.type === "output_text" ? part.text : "")).join("");
}

/** The x-request-id a response id was made from. */
function uuidOf(id: string): string {
  const h = id.slice("resp_".length);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
