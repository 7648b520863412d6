import { sql } from "kysely";
import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { serviceDb } from "@/lib/db/service";
import { startAnthropicFake, type AnthropicFake } from "@/tests/helpers/fake-upstreams/anthropic";
import { routeToClaude } from "@/tests/helpers/claude-route";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";

/**
 * Chat completions routed to Anthropic, one case per OpenAI parameter: translated (what the fake
 * Messages API received, which refuses what the real one refuses) or refused with a 400 naming
 * it before anything is sent — never dropped. The official `openai` SDK is the client; each
 * answered call is checked in llm_calls.
 */
const adminUrl = inject("pgAdminUrl");
const targets = [{ name: "pglite" }, ...(adminUrl ? [{ name: "postgres", adminUrl }] : [])];
const ACTION = "fidelity";
const metadata = { action: ACTION, organization: "acme", pipeline_stage: "test", request_type: "fidelity" };
const user = (content: string) => ({ role: "user" as const, content });

describe.each(targets)("chat completions routed to Anthropic on $name", (target) => {
  let world: GatewayWorld;
  let claude: AnthropicFake;
  let client: OpenAI;

  beforeAll(async () => {
    world = await startGatewayWorld(target);
    claude = await startAnthropicFake();
    client = new OpenAI({ apiKey: KEYS.app, baseURL: `${world.url}/api/llm/v1`, maxRetries: 0 });
    await routeToClaude(world, {
      origin: claude.origin,
      action: ACTION,
      currency: "EUR",
      warmUp: () =>
        fetch(`${world.url}/api/llm/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${KEYS.app}` },
          body: JSON.stringify({ model: "auto", messages: [user("warm up")], metadata }),
        }),
    });
  });
  afterAll(async () => {
    await world?.close();
    await claude?.close();
  });
  beforeEach(() => claude.reset());

  const rowsOf = async (requestId: string | null) => {
    await flushed();
    const db = await serviceDb();
    return db
      .selectFrom("llm_calls")
      .select([
        "status", "error_type", "user_ref", "prompt_tokens", "completion_tokens", "cached_tokens", "cache_write_tokens", "total_tokens",
        "cache_write_1h_tokens", "usage_partial", "currency", "pricing_source", "record_complete", "streamed",
        sql<string | null>`cost::text`.as("cost"), sql<string | null>`cache_write_1h_price_per_mtok::text`.as("write_1h_price"),
      ])
      .where("request_id", "=", requestId ?? "")
      .orderBy("attempt")
      .execute();
  };
  const sent = () => {
    expect(claude.requests).toHaveLength(1);
    return claude.requests[0]!.body;
  };
  // The fake's default usage: input 10 + cache reads 5 + writes 3 = 18 prompt tokens, 7 output;
  // (10 x 3 + 5 x 0.30 + 3 x 3.75 + 7 x 15) / 1e6 EUR.
  const DEFAULT_ROW = {
    status: "ok", error_type: null, user_ref: null, streamed: false, prompt_tokens: 18, completion_tokens: 7, cached_tokens: 5, cache_write_tokens: 3, total_tokens: 25,
    currency: "EUR", pricing_source: "database", record_complete: true, cost: "0.000147750000",
    cache_write_1h_tokens: null, write_1h_price: null, usage_partial: false,
  };

  /** A refused call: the 400 in OpenAI's shape naming the field, nothing sent, no ledger row. */
  async function expectRefused(body: Record<string, unknown>, param: string, message: RegExp) {
    claude.reset();
    const res = await client.chat.completions
      .create({ model: "auto", messages: [user("x")], metadata, ...body } as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .withResponse()
      .catch((err: unknown) => err);
    expect(res).toBeInstanceOf(OpenAI.BadRequestError);
    const err = res as InstanceType<typeof OpenAI.BadRequestError>;
    expect(err.status).toBe(400);
    expect(err.error).toMatchObject({ type: "invalid_request_error", param });
    expect(err.message).toMatch(message);
    expect(claude.requests).toHaveLength(0);
    expect(await rowsOf(err.headers?.get("x-request-id") ?? null)).toEqual([]);
  }

  describe("response_format", () => {
    const Verdict = z.object({ category: z.enum(["leak", "electrical"]), urgent: z.boolean(), rooms: z.array(z.string()) });

    it("json_schema: Anthropic structured output, parsed by the openai SDK's parse()", async () => {
      const { data, response } = await client.chat.completions
        .parse({ model: "auto", messages: [user("Classify: leak in the bathroom")], metadata, response_format: zodResponseFormat(Verdict, "verdict") })
        .withResponse();
      expect(data.choices[0]?.message.parsed).toEqual({ category: "leak", urgent: true, rooms: ["fake"] });
      expect(data.choices[0]?.finish_reason).toBe("stop");
      const body = sent();
      expect(body.output_config).toMatchObject({ format: { type: "json_schema", schema: { type: "object", required: ["category", "urgent", "rooms"] } } });
      expect(body.tools).toBeUndefined();
      expect(await rowsOf(response.headers.get("x-request-id"))).toEqual([DEFAULT_ROW]);
    });

    it("json_schema streamed: the JSON arrives as content deltas", async () => {
      const stream = await client.chat.completions.create({
        model: "auto", messages: [user("Classify")], metadata, stream: true, response_format: zodResponseFormat(Verdict, "verdict"),
      });
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
      expect(Verdict.parse(JSON.parse(text))).toEqual({ category: "leak", urgent: true, rooms: ["fake"] });
      expect(sent().output_config).toBeDefined();
    });

    it("json_object: a forced JSON tool whose input comes back as the message content", async () => {
      const { data, response } = await client.chat.completions
        .create({ model: "auto", messages: [user("Answer in JSON")], metadata, response_format: { type: "json_object" } })
        .withResponse();
      expect(JSON.parse(data.choices[0]?.message.content ?? "")).toEqual({ fake: true });
      expect(data.choices[0]?.message.tool_calls ?? []).toEqual([]);
      expect(data.choices[0]?.finish_reason).toBe("stop");
      const body = sent();
      expect(body.tools).toEqual([expect.objectContaining({ name: "json", input_schema: expect.objectContaining({ type: "object" }) })]);
      expect(body.tool_choice).toMatchObject({ type: "any", disable_parallel_tool_use: true });
      expect(await rowsOf(response.headers.get("x-request-id"))).toEqual([DEFAULT_ROW]);
    });

    it("refuses a format Anthropic has no equivalent for", async () => {
      await expectRefused({ response_format: { type: "json_schema", json_schema: { name: "x" } } }, "response_format", /json_schema\.schema/);
    });
  });

  it("logprobs: refused with a 400 naming logprobs (top_logprobs likewise); logprobs: false passes", async () => {
    await expectRefused({ logprobs: true }, "logprobs", /no log probabilities/);
    await expectRefused({ top_logprobs: 2 }, "top_logprobs", /no log probabilities/);
    const ok = await client.chat.completions.create({ model: "auto", messages: [user("x")], metadata, logprobs: false });
    expect(ok.choices[0]?.message.content).toBeTruthy();
    expect(sent()).not.toHaveProperty("logprobs");
  });

  it("parallel_tool_calls: false → tool_choice.disable_parallel_tool_use", async () => {
    const tools = [{ type: "function" as const, function: { name: "lookup", parameters: { type: "object", properties: { id: { type: "string" } }, required: ["id"] } } }];
    const { data, response } = await client.chat.completions
      .create({ model: "auto", messages: [user("Look up 7")], metadata, tools, tool_choice: "required", parallel_tool_calls: false })
      .withResponse();
    expect(sent().tool_choice).toEqual({ type: "any", disable_parallel_tool_use: true });
    expect(data.choices[0]?.finish_reason).toBe("tool_calls");
    expect(data.choices[0]?.message.tool_calls).toEqual([{ id: "toolu_fake01", type: "function", function: { name: "lookup", arguments: '{"id":"fake"}' } }]);
    expect(await rowsOf(response.headers.get("x-request-id"))).toEqual([DEFAULT_ROW]);
    await expectRefused({ parallel_tool_calls: false }, "parallel_tool_calls", /only with tools/);
  });

  it("cache_control on content parts reaches Anthropic's blocks; cache reads and writes are recorded and priced", async () => {
    const ephemeral = { type: "ephemeral" };
    const messages = [
      { role: "system", content: [{ type: "text", text: "Long policy text.", cache_control: { ...ephemeral, ttl: "1h" } }, { type: "text", text: "Today's notes." }] },
      { role: "user", content: [{ type: "text", text: "A long document.", cache_control: ephemeral }, { type: "text", text: "The question." }] },
    ];
    const { response } = await client.chat.completions
      .create({ model: "auto", messages, metadata } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .withResponse();
    const body = sent();
    expect(body.system).toEqual([
      { type: "text", text: "Long policy text.", cache_control: { type: "ephemeral", ttl: "1h" } },
      { type: "text", text: "Today's notes." },
    ]);
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "A long document.", cache_control: ephemeral }, { type: "text", text: "The question." }] },
    ]);
    expect(await rowsOf(response.headers.get("x-request-id"))).toEqual([DEFAULT_ROW]);
    const five = Array.from({ length: 5 }, (_, i) => ({ type: "text", text: `part ${i}`, cache_control: ephemeral }));
    await expectRefused({ messages: [{ role: "user", content: five }] }, "messages", /at most 4 cache_control/);
    await expectRefused({ messages: [{ role: "user", content: [{ type: "text", text: "x", cache_control: { type: "persistent" } }] }] }, "messages", /messages\[0\]\.content\[0\]\.cache_control/);
  });

  it("tool_choice without tools: refused with a 400 naming it (the SDK would drop it)", async () => {
    await expectRefused({ tool_choice: "required" }, "tool_choice", /only with tools/);
  });

  it("user → metadata.user_id, and the ledger's user reference", async () => {
    const { response } = await client.chat.completions.create({ model: "auto", messages: [user("x")], metadata, user: "user-42" }).withResponse();
    expect(sent().metadata).toEqual({ user_id: "user-42" });
    expect(await rowsOf(response.headers.get("x-request-id"))).toEqual([{ ...DEFAULT_ROW, user_ref: "user-42" }]);
  });

  it.each([
    ["refusal", "content_filter"],
    ["pause_turn", "length"],
    ["max_tokens", "length"],
    ["end_turn", "stop"],
  ])("stop reason %s → finish_reason %s, streamed and not", async (stopReason, finishReason) => {
    claude.answer.stopReason = stopReason;
    const answer = await client.chat.completions.create({ model: "auto", messages: [user("x")], metadata });
    expect(answer.choices[0]?.finish_reason).toBe(finishReason);
    const stream = await client.chat.completions.create({ model: "auto", messages: [user("x")], metadata, stream: true });
    let last: string | null = null;
    for await (const chunk of stream) last = chunk.choices[0]?.finish_reason ?? last;
    expect(last).toBe(finishReason);
  });

  it("temperature: above 1 refused with a 400 naming it (never clamped); 0–1 forwarded as is", async () => {
    await expectRefused({ temperature: 1.5 }, "temperature", /0 to 1.*neither rescaled nor clamped/);
    await client.chat.completions.create({ model: "auto", messages: [user("x")], metadata, temperature: 1 });
    expect(sent().temperature).toBe(1);
    await expectRefused({ temperature: 0.5, top_p: 0.9 }, "top_p", /temperature or top_p, not both/);
  });

  it("n: 2 with stream is refused with a 400 naming n (fan-out is for non-streamed calls; see gateway-n-choices.test.ts)", async () => {
    await expectRefused({ n: 2, stream: true }, "n", /non-streamed/);
  });

  describe("accounting", () => {
    // The call: 80 input tokens, 200 written to a 1-hour cache, 40 output, at input 3,
    // output 15, 5-minute write 3.75 EUR and no 1-hour price on the row (= 2 x input).
    const oneHourUsage = {
      input_tokens: 80, cache_creation_input_tokens: 200, cache_read_input_tokens: 0, output_tokens: 40,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 200 },
    };
    const ONE_HOUR_ROW = {
      ...DEFAULT_ROW, prompt_tokens: 280, completion_tokens: 40, cached_tokens: 0, cache_write_tokens: 200, total_tokens: 320,
      cache_write_1h_tokens: 200, write_1h_price: "6.00000000", cost: "0.002040000000",
    };

    it("prices 1-hour cache writes at the 1-hour rate: 0.00204 EUR, not the 5-minute 0.00159", async () => {
      claude.answer.usage = oneHourUsage;
      const { data, response } = await client.chat.completions.create({ model: "auto", messages: [user("x")], metadata }).withResponse();
      expect(data.usage).toMatchObject({ prompt_tokens: 280, completion_tokens: 40 });
      expect(response.headers.get("x-llm-cost")).toBe("0.00204");
      expect(await rowsOf(response.headers.get("x-request-id"))).toEqual([ONE_HOUR_ROW]);
      const { data: stream, response: streamed } = await client.chat.completions
        .create({ model: "auto", messages: [user("x")], metadata, stream: true, stream_options: { include_usage: true } })
        .withResponse();
      for await (const _chunk of stream) void _chunk;
      expect(await rowsOf(streamed.headers.get("x-request-id"))).toEqual([{ ...ONE_HOUR_ROW, streamed: true }]);
    });

    it("a stream cut after message_start records its input tokens and a partial cost, marked partial", async () => {
      claude.answer.usage = oneHourUsage;
      // message_start, content_block_start, ping, the first text delta; then the socket drops.
      claude.script({ kind: "cut", afterEvents: 4 });
      const { data: stream, response } = await client.chat.completions
        .create({ model: "auto", messages: [user("x")], metadata, stream: true })
        .withResponse();
      await expect(async () => {
        for await (const _chunk of stream) void _chunk;
      }).rejects.toThrow(/stream broke off/);
      // 80 x 3 + 200 x 6 + 1 x 15 (message_start's output count so far), per million.
      expect(await rowsOf(response.headers.get("x-request-id"))).toEqual([{
        ...ONE_HOUR_ROW, status: "failed", error_type: "stream_cut", streamed: true, completion_tokens: 1, total_tokens: 281,
        cost: "0.001455000000", usage_partial: true,
      }]);
    });
  });
});
