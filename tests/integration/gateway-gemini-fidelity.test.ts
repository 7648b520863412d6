import { sql } from "kysely";
import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { serviceDb } from "@/lib/db/service";
import { startGeminiFake, type GeminiFake } from "@/tests/helpers/fake-upstreams/gemini";
import { routeToGemini } from "@/tests/helpers/gemini-route";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";

/**
 * Chat completions routed to Gemini, one case per OpenAI parameter: translated (what the fake
 * generateContent API received, which refuses what the real one refuses) or refused with a 400
 * naming it before anything is sent — never dropped. The official `openai` SDK is the client;
 * each answered call is checked in llm_calls.
 */
const adminUrl = inject("pgAdminUrl");
const targets = [{ name: "pglite" }, ...(adminUrl ? [{ name: "postgres", adminUrl }] : [])];
const ACTION = "gemini_fidelity";
const ACTION_25 = "gemini_25_fidelity";
const metadata = { action: ACTION, organization: "acme", pipeline_stage: "test", request_type: "fidelity" };
const user = (content: string) => ({ role: "user" as const, content });
const tools = [{ type: "function" as const, function: { name: "lookup", parameters: { type: "object", properties: { id: { type: "string" } }, required: ["id"] } } }];

describe.each(targets)("chat completions routed to Gemini on $name", (target) => {
  let world: GatewayWorld;
  let gemini: GeminiFake;
  let client: OpenAI;

  beforeAll(async () => {
    world = await startGatewayWorld(target);
    gemini = await startGeminiFake();
    client = new OpenAI({ apiKey: KEYS.app, baseURL: `${world.url}/api/llm/v1`, maxRetries: 0 });
    const warmUp = (action: string) => () =>
      fetch(`${world.url}/api/llm/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${KEYS.app}` },
        body: JSON.stringify({ model: "auto", messages: [user("warm up")], metadata: { ...metadata, action } }),
      });
    await routeToGemini(world, { origin: gemini.origin, action: ACTION, currency: "EUR", warmUp: warmUp(ACTION) });
    await routeToGemini(world, { origin: gemini.origin, action: ACTION_25, currency: "EUR", warmUp: warmUp(ACTION_25), code: "gemini25", modelCode: "gemini-2.5-flash" });
  });
  afterAll(async () => {
    await world?.close();
    await gemini?.close();
  });
  beforeEach(() => gemini.reset());

  const rowsOf = async (requestId: string | null) => {
    await flushed();
    const db = await serviceDb();
    return db
      .selectFrom("llm_calls")
      .select([
        "status", "error_type", "user_ref", "prompt_tokens", "completion_tokens", "cached_tokens", "total_tokens", "currency",
        "pricing_source", "record_complete", "streamed", sql<string | null>`cost::text`.as("cost"),
      ])
      .where("request_id", "=", requestId ?? "")
      .orderBy("attempt")
      .execute();
  };
  const sent = () => {
    expect(gemini.requests).toHaveLength(1);
    return gemini.requests[0]!.body;
  };
  const config = () => sent().generationConfig as Record<string, unknown>;
  // The fake's usage: prompt 20 (6 of them cached), output 8 + 3 thinking = 11;
  // (14 x 2 + 6 x 0.50 + 11 x 8) / 1e6 EUR.
  const DEFAULT_ROW = {
    status: "ok", error_type: null, user_ref: null, streamed: false, prompt_tokens: 20, completion_tokens: 11, cached_tokens: 6, total_tokens: 31,
    currency: "EUR", pricing_source: "database", record_complete: true, cost: "0.000119000000",
  };
  const create = (body: Record<string, unknown>) =>
    client.chat.completions.create({ model: "auto", messages: [user("x")], metadata, ...body } as OpenAI.ChatCompletionCreateParamsNonStreaming).withResponse();

  /** A refused call: the 400 in OpenAI's shape naming the field, nothing sent, no ledger row. */
  async function expectRefused(body: Record<string, unknown>, param: string, message: RegExp) {
    gemini.reset();
    const res = await create(body).catch((err: unknown) => err);
    expect(res).toBeInstanceOf(OpenAI.BadRequestError);
    const err = res as InstanceType<typeof OpenAI.BadRequestError>;
    expect(err.status).toBe(400);
    expect(err.error).toMatchObject({ type: "invalid_request_error", param });
    expect(err.message).toMatch(message);
    expect(gemini.requests).toHaveLength(0);
    expect(await rowsOf(err.headers?.get("x-request-id") ?? null)).toEqual([]);
  }

  describe("response_format", () => {
    const Verdict = z.object({ category: z.enum(["leak", "electrical"]), urgent: z.boolean(), rooms: z.array(z.string()) });

    it("json_schema: responseMimeType application/json + responseSchema, parsed by the openai SDK's parse()", async () => {
      const { data, response } = await client.chat.completions
        .parse({ model: "auto", messages: [user("Classify: leak in the bathroom")], metadata, response_format: zodResponseFormat(Verdict, "verdict") })
        .withResponse();
      expect(data.choices[0]?.message.parsed).toEqual({ category: "leak", urgent: true, rooms: ["fake"] });
      expect(data.choices[0]?.finish_reason).toBe("stop");
      expect(config()).toMatchObject({
        responseMimeType: "application/json",
        responseSchema: { type: "object", required: ["category", "urgent", "rooms"], properties: { category: { type: "string", enum: ["leak", "electrical"] } } },
      });
      expect(await rowsOf(response.headers.get("x-request-id"))).toEqual([DEFAULT_ROW]);
    });

    it("json_object: responseMimeType application/json without a schema", async () => {
      const { data, response } = await create({ response_format: { type: "json_object" } });
      expect(JSON.parse(data.choices[0]?.message.content ?? "")).toEqual({ fake: true });
      expect(config().responseMimeType).toBe("application/json");
      expect(config()).not.toHaveProperty("responseSchema");
      expect(await rowsOf(response.headers.get("x-request-id"))).toEqual([DEFAULT_ROW]);
    });

    it("refuses a json_schema without a schema", async () => {
      await expectRefused({ response_format: { type: "json_schema", json_schema: { name: "x" } } }, "response_format", /json_schema\.schema/);
    });
  });

  it("logprobs: true and top_logprobs refused with a 400 naming them; logprobs: false passes", async () => {
    await expectRefused({ logprobs: true }, "logprobs", /log probabilities/);
    await expectRefused({ top_logprobs: 2 }, "top_logprobs", /log probabilities/);
    await create({ logprobs: false });
    expect(config()).not.toHaveProperty("responseLogprobs");
  });

  it("parallel_tool_calls: false refused (Gemini has no switch); true passes", async () => {
    await expectRefused({ tools, parallel_tool_calls: false }, "parallel_tool_calls", /no switch/);
    await create({ tools, parallel_tool_calls: true });
    expect(sent().tools).toEqual([{ functionDeclarations: [expect.objectContaining({ name: "lookup" })] }]);
  });

  describe("tool_choice → toolConfig.functionCallingConfig", () => {
    it.each([
      ["auto", { mode: "AUTO" }],
      ["none", { mode: "NONE" }],
    ])("%s → %j", async (choice, fcc) => {
      const { data } = await create({ tools, tool_choice: choice });
      expect(sent().toolConfig).toEqual({ functionCallingConfig: fcc });
      expect(data.choices[0]?.finish_reason).toBe("stop");
    });

    it("required → mode ANY; the function call comes back as tool_calls", async () => {
      const { data, response } = await create({ tools, tool_choice: "required" });
      expect(sent().toolConfig).toEqual({ functionCallingConfig: { mode: "ANY" } });
      expect(data.choices[0]?.finish_reason).toBe("tool_calls");
      // Gemini's functionCall has no id: the AI SDK generates one, which must be a non-empty string.
      expect(data.choices[0]?.message.tool_calls).toEqual([{ id: expect.stringMatching(/\S/), type: "function", function: { name: "lookup", arguments: '{"id":"fake"}' } }]);
      expect(await rowsOf(response.headers.get("x-request-id"))).toEqual([DEFAULT_ROW]);
    });

    it("a named function → mode ANY with allowedFunctionNames", async () => {
      const two = [...tools, { type: "function" as const, function: { name: "other", parameters: { type: "object", properties: { q: { type: "string" } } } } }];
      const { data } = await create({ tools: two, tool_choice: { type: "function", function: { name: "other" } } });
      expect(sent().toolConfig).toEqual({ functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["other"] } });
      expect(data.choices[0]?.message.tool_calls?.[0]).toMatchObject({ function: { name: "other", arguments: '{"q":"fake"}' } });
    });

    it("without tools: refused", async () => {
      await expectRefused({ tool_choice: "required" }, "tool_choice", /only with tools/);
    });
  });

  it("user: not a Gemini field; recorded as the ledger's user reference", async () => {
    const { response } = await create({ user: "user-42" });
    expect(JSON.stringify(sent())).not.toContain("user-42");
    expect(await rowsOf(response.headers.get("x-request-id"))).toEqual([{ ...DEFAULT_ROW, user_ref: "user-42" }]);
  });

  it("cache_control on content parts: a caching hint Gemini has no field for, left out (Gemini caches implicitly)", async () => {
    const ephemeral = { type: "ephemeral" };
    const messages = [
      { role: "system", content: [{ type: "text", text: "Long policy text.", cache_control: ephemeral }] },
      { role: "user", content: [{ type: "text", text: "A long document.", cache_control: ephemeral }, { type: "text", text: "The question." }] },
    ];
    const { response } = await create({ messages });
    expect(sent().systemInstruction).toEqual({ parts: [{ text: "Long policy text." }] });
    expect(sent().contents).toEqual([{ role: "user", parts: [{ text: "A long document." }, { text: "The question." }] }]);
    expect(await rowsOf(response.headers.get("x-request-id"))).toEqual([DEFAULT_ROW]);
  });

  it.each([
    ["STOP", "stop"],
    ["MAX_TOKENS", "length"],
    ["SAFETY", "content_filter"],
    ["RECITATION", "content_filter"],
    ["BLOCKLIST", "content_filter"],
    ["PROHIBITED_CONTENT", "content_filter"],
  ])("finish reason %s → finish_reason %s, streamed and not", async (finishReason, expected) => {
    gemini.answer.finishReason = finishReason;
    const { data } = await create({});
    expect(data.choices[0]?.finish_reason).toBe(expected);
    const stream = await client.chat.completions.create({ model: "auto", messages: [user("x")], metadata, stream: true });
    let last: string | null = null;
    for await (const chunk of stream) last = chunk.choices[0]?.finish_reason ?? last;
    expect(last).toBe(expected);
  });

  it("temperature: Gemini's range is OpenAI's (0–2), forwarded as is", async () => {
    await create({ temperature: 1.5 });
    expect(config().temperature).toBe(1.5);
  });

  it("seed, presence_penalty and frequency_penalty → generationConfig", async () => {
    const { response } = await create({ seed: 42, presence_penalty: 0.5, frequency_penalty: -0.25 });
    expect(config()).toMatchObject({ seed: 42, presencePenalty: 0.5, frequencyPenalty: -0.25 });
    expect(await rowsOf(response.headers.get("x-request-id"))).toEqual([DEFAULT_ROW]);
  });

  it("penalties on a Gemini 2.5 model: refused with a 400 naming them (Gemini 2.5 takes none)", async () => {
    const on25 = { metadata: { ...metadata, action: ACTION_25 } };
    await expectRefused({ ...on25, presence_penalty: 0.5 }, "presence_penalty", /Gemini 2\.5/);
    await expectRefused({ ...on25, frequency_penalty: 0.5 }, "frequency_penalty", /Gemini 2\.5/);
    await create({ ...on25, seed: 1 });
    expect(config()).toMatchObject({ seed: 1 });
  });

  it("stop: up to 5 → stopSequences; more → 400 naming stop", async () => {
    await create({ stop: ["a", "b", "c", "d", "e"] });
    expect(config().stopSequences).toEqual(["a", "b", "c", "d", "e"]);
    gemini.reset();
    await create({ stop: "END" });
    expect(config().stopSequences).toEqual(["END"]);
    await expectRefused({ stop: ["a", "b", "c", "d", "e", "f"] }, "stop", /at most 5 stop sequences/);
  });

  describe("n", () => {
    it("n: 3 → three Gemini calls in parallel, one answer with choices 0..2, one ledger row with the summed usage", async () => {
      const { data, response } = await create({ n: 3 });
      expect(gemini.requests).toHaveLength(3);
      for (const r of gemini.requests) expect(r.body).not.toHaveProperty("candidateCount");
      expect(data.choices.map((c) => [c.index, c.message.content, c.finish_reason])).toEqual([0, 1, 2].map((i) => [i, "Hello from fake Gemini.", "stop"]));
      expect(data.usage).toMatchObject({ prompt_tokens: 60, completion_tokens: 33, total_tokens: 93 });
      expect(await rowsOf(response.headers.get("x-request-id"))).toEqual([
        { ...DEFAULT_ROW, prompt_tokens: 60, completion_tokens: 33, cached_tokens: 18, total_tokens: 93, cost: "0.000357000000" },
      ]);
    });

    it("n: 2 with stream: 400 naming n; n: 9: 400 naming n", async () => {
      gemini.reset();
      const res = await client.chat.completions.create({ model: "auto", messages: [user("x")], metadata, stream: true, n: 2 }).catch((e: unknown) => e);
      expect(res).toBeInstanceOf(OpenAI.BadRequestError);
      expect((res as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ param: "n" });
      expect(gemini.requests).toHaveLength(0);
      await expectRefused({ n: 9 }, "n", /at most 8/);
    });
  });
});
