import Anthropic from "@anthropic-ai/sdk";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { serviceDb } from "@/lib/db/service";
import { routeToClaude } from "@/tests/helpers/claude-route";
import { ANTHROPIC_TEXT, startAnthropicFake, type AnthropicFake } from "@/tests/helpers/fake-upstreams/anthropic";
import { OPENAI_TEXT } from "@/tests/helpers/fake-upstreams/openai";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";
import { waitFor } from "./recorder/helpers";

/**
 * POST /api/llm/v1/messages with the official @anthropic-ai/sdk as the client (baseURL
 * <origin>/api/llm): routed to the strict Anthropic fake (what it received, block by block), to an
 * OpenAI-compatible fake that refuses unknown fields (the translated chat request), and to the
 * key-less mock; JSON and streams; the ledger row of each call, cost to the decimal; refusals and
 * errors as the SDK's typed errors in Anthropic's shape.
 */
const adminUrl = inject("pgAdminUrl");
const targets = [{ name: "pglite" }, ...(adminUrl ? [{ name: "postgres", adminUrl }] : [])];
const ACTION = "claude_msgs";
const PDF = Buffer.from("%PDF-1.4 fake").toString("base64");
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
const ephemeral = { type: "ephemeral" as const };

describe.each(targets)("Anthropic Messages API on $name", (target) => {
  let world: GatewayWorld;
  let claude: AnthropicFake;
  let client: Anthropic;

  beforeAll(async () => {
    world = await startGatewayWorld(target, { fakes: { refuseUnknownFields: true } });
    claude = await startAnthropicFake();
    client = new Anthropic({ apiKey: KEYS.app, baseURL: `${world.url}/api/llm`, maxRetries: 0, defaultHeaders: { "x-llm-organization": "acme", "x-llm-pipeline-stage": "test", "x-llm-request-type": "messages" } });
    const db = await serviceDb();
    await db.transaction().execute(async (tx) => {
      const mock = await tx.insertInto("llm_providers").values({ code: "mock", name: "Mock", kind: "mock", timeout_ms: 2000, max_retries: 0 }).returning("id").executeTakeFirstOrThrow();
      for (const [code, action] of [["mock-small", "sandboxed"], ["mock-cut-small", "sandboxed_cut"]] as const) {
        const model = await tx.insertInto("llm_models").values({ provider_id: mock.id, model_code: code, display_name: code }).returning("id").executeTakeFirstOrThrow();
        await tx.insertInto("model_prices").values({ model_id: model.id, input_per_mtok: "0.10", output_per_mtok: "0.20", currency: "EUR", effective_from: new Date("2024-01-01T00:00:00Z") }).execute();
        await tx.insertInto("llm_configurations").values({ app_id: world.ids.app, action_type: action, model_id: model.id, priority: 100 }).execute();
      }
    });
    await routeToClaude(world, {
      origin: claude.origin,
      action: ACTION,
      currency: "EUR",
      warmUp: () =>
        fetch(`${world.url}/api/llm/v1/messages`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": KEYS.app, "anthropic-version": "2023-06-01" },
          body: JSON.stringify({ model: ACTION, max_tokens: 10, messages: [{ role: "user", content: "warm up" }] }),
        }),
    });
  });
  afterAll(async () => {
    await world?.close();
    await claude?.close();
  });
  beforeEach(() => {
    claude.reset();
    world.primary.reset();
  });

  const rowsOf = async (requestId: string | null) => {
    await flushed();
    const db = await serviceDb();
    return db
      .selectFrom("llm_calls")
      .select([
        "status", "error_type", "user_ref", "prompt_tokens", "completion_tokens", "cached_tokens", "cache_write_tokens", "cache_write_1h_tokens",
        "streamed", "currency", "record_complete", sql<string | null>`cost::text`.as("cost"),
      ])
      .where("request_id", "=", requestId ?? "")
      .orderBy("attempt")
      .execute();
  };
  const sentToClaude = () => {
    expect(claude.requests).toHaveLength(1);
    return claude.requests[0]!.body;
  };
  // The Anthropic fake's usage: input 10, cache reads 5, writes 3, output 7 at 3 / 0.30 / 3.75 / 15 EUR per Mtok.
  const CLAUDE_ROW = {
    status: "ok", error_type: null, user_ref: null, prompt_tokens: 18, completion_tokens: 7, cached_tokens: 5, cache_write_tokens: 3,
    cache_write_1h_tokens: null, streamed: false, currency: "EUR", record_complete: true, cost: "0.000147750000",
  };
  const CLAUDE_USAGE = {
    input_tokens: 10, output_tokens: 7, cache_read_input_tokens: 5, cache_creation_input_tokens: 3,
    cache_creation: { ephemeral_5m_input_tokens: 3, ephemeral_1h_input_tokens: 0 },
  };

  it("routed to Anthropic: system, blocks, cache_control, tools and tool_choice arrive as Anthropic's; the Message and the row are exact", async () => {
    const tools = [{ name: "lookup", description: "Find a job", input_schema: { type: "object" as const, properties: { id: { type: "string" } }, required: ["id"] }, cache_control: ephemeral }];
    const { data, response } = await client.messages
      .create({
        model: ACTION,
        max_tokens: 300,
        system: [{ type: "text", text: "Long policy.", cache_control: { type: "ephemeral", ttl: "1h" } }, { type: "text", text: "Notes." }],
        messages: [{
          role: "user",
          content: [
            { type: "text", text: "Read these.", cache_control: ephemeral },
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
            { type: "image", source: { type: "url", url: "https://example.com/leak.jpg" } },
            { type: "document", source: { type: "base64", media_type: "application/pdf", data: PDF }, title: "werkbon.pdf" },
            { type: "document", source: { type: "text", media_type: "text/plain", data: "Plain notes." } },
          ],
        }],
        tools,
        tool_choice: { type: "any", disable_parallel_tool_use: true },
        top_k: 5, // not in @anthropic-ai/sdk 1.17's types (newer models drop sampling knobs); the API takes it
        metadata: { user_id: "user-7" },
      } as Anthropic.MessageCreateParamsNonStreaming)
      .withResponse();
    const body = sentToClaude();
    expect(body.system).toEqual([
      { type: "text", text: "Long policy.", cache_control: { type: "ephemeral", ttl: "1h" } },
      { type: "text", text: "Notes." },
    ]);
    const content = (body.messages as { content: Record<string, unknown>[] }[])[0]!.content;
    expect(content[0]).toEqual({ type: "text", text: "Read these.", cache_control: ephemeral });
    expect(content[1]).toEqual({ type: "image", source: { type: "base64", media_type: "image/png", data: PNG } });
    expect(content[2]).toEqual({ type: "image", source: { type: "url", url: "https://example.com/leak.jpg" } });
    expect(content[3]).toMatchObject({ type: "document", source: { type: "base64", media_type: "application/pdf", data: PDF }, title: "werkbon.pdf" });
    expect(content[4]).toMatchObject({ type: "document", source: { type: "text", media_type: "text/plain", data: "Plain notes." } });
    expect(body.tools).toEqual([{ name: "lookup", description: "Find a job", input_schema: expect.objectContaining({ properties: { id: { type: "string" } } }), cache_control: ephemeral }]);
    expect(body.tool_choice).toEqual({ type: "any", disable_parallel_tool_use: true });
    expect(body).toMatchObject({ max_tokens: 300, top_k: 5, metadata: { user_id: "user-7" }, model: "claude-sonnet-4-5" });
    expect(data).toEqual({
      id: "msg_fake01", type: "message", role: "assistant", model: "claude-fake-4-20250514",
      content: [{ type: "tool_use", id: "toolu_fake01", name: "lookup", input: { id: "fake" } }],
      stop_reason: "tool_use", stop_sequence: null, usage: CLAUDE_USAGE,
    });
    expect(response.headers.get("x-llm-provider")).toBe("claude");
    expect(response.headers.get("x-llm-cost")).toBe("0.00014775");
    expect(await rowsOf(response.headers.get("x-request-id"))).toEqual([{ ...CLAUDE_ROW, user_ref: "user-7" }]);
  });

  it("a tool_result round trip: tool_use back to Anthropic, the result with is_error and cache_control", async () => {
    const { data } = await client.messages
      .create({
        model: ACTION,
        max_tokens: 200,
        messages: [
          { role: "user", content: "Look up job 7" },
          { role: "assistant", content: [{ type: "text", text: "Looking." }, { type: "tool_use", id: "toolu_1", name: "lookup", input: { id: "7" } }] },
          { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "not found" }], is_error: true, cache_control: ephemeral }, { type: "text", text: "And now?" }] },
        ],
        tools: [{ name: "lookup", input_schema: { type: "object", properties: { id: { type: "string" } } } }],
      })
      .withResponse();
    const messages = sentToClaude().messages as { role: string; content: Record<string, unknown>[] }[];
    expect(messages[1]).toEqual({ role: "assistant", content: [{ type: "text", text: "Looking." }, { type: "tool_use", id: "toolu_1", name: "lookup", input: { id: "7" } }] });
    expect(messages[2]!.role).toBe("user");
    expect(messages[2]!.content[0]).toMatchObject({ type: "tool_result", tool_use_id: "toolu_1", is_error: true, cache_control: ephemeral });
    expect(JSON.stringify(messages[2]!.content[0]!.content)).toContain("not found");
    expect(messages[2]!.content[1]).toEqual({ type: "text", text: "And now?" });
    expect(data.content).toEqual([{ type: "text", text: ANTHROPIC_TEXT }]);
    expect(data.stop_reason).toBe("end_turn");
  });

  it("1-hour cache writes: input_tokens excludes reads and writes, the split is kept, the cost is exact", async () => {
    claude.answer.usage = { input_tokens: 80, output_tokens: 40, cache_creation_input_tokens: 200, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 200 } };
    const { data, response } = await client.messages.create({ model: ACTION, max_tokens: 100, messages: [{ role: "user", content: "x" }] }).withResponse();
    expect(data.usage).toEqual({ input_tokens: 80, output_tokens: 40, cache_read_input_tokens: 0, cache_creation_input_tokens: 200, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 200 } });
    const [row] = await rowsOf(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ prompt_tokens: 280, cache_write_tokens: 200, cache_write_1h_tokens: 200, cost: "0.002040000000" });
  });

  it("streamed from Anthropic: the SDK's messages.stream() sees Anthropic's events and its finalMessage() the exact usage", async () => {
    const stream = client.messages.stream({ model: ACTION, max_tokens: 100, messages: [{ role: "user", content: "Hi" }] });
    const types: string[] = [];
    stream.on("streamEvent", (event) => types.push(event.type));
    const final = await stream.finalMessage();
    expect(types).toEqual(["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);
    expect(final.content).toEqual([expect.objectContaining({ type: "text", text: ANTHROPIC_TEXT })]);
    expect(final).toMatchObject({ stop_reason: "end_turn", usage: { input_tokens: 10, output_tokens: 7, cache_read_input_tokens: 5, cache_creation_input_tokens: 3 } });
    const response = (await stream.withResponse()).response;
    expect(await rowsOf(response.headers.get("x-request-id"))).toEqual([{ ...CLAUDE_ROW, streamed: true }]);
  });

  it("a stream the client leaves is recorded as cancelled, with the usage message_start showed", async () => {
    claude.script({ kind: "stall", afterEvents: 4 });
    const stream = client.messages.stream({ model: ACTION, max_tokens: 100, messages: [{ role: "user", content: "Hi" }] });
    stream.on("text", () => stream.abort());
    await expect(stream.done()).rejects.toBeInstanceOf(Anthropic.APIUserAbortError);
    const requestId = (await stream.withResponse()).response.headers.get("x-request-id");
    let rows: Awaited<ReturnType<typeof rowsOf>> = [];
    await waitFor(async () => (rows = await rowsOf(requestId)).length > 0);
    expect(rows).toEqual([expect.objectContaining({ status: "failed", error_type: "cancelled", streamed: true, prompt_tokens: 18 })]);
  });

  it("Anthropic answering 429 is a 429 RateLimitError in Anthropic's shape, with its Retry-After", async () => {
    claude.script({ kind: "status", status: 429, headers: { "retry-after": "7" } });
    const err = await client.messages.create({ model: ACTION, max_tokens: 10, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    const e = err as InstanceType<typeof Anthropic.RateLimitError>;
    expect(e.error).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
    expect(e.headers?.get("retry-after")).toBe("7");
    expect(await rowsOf(e.headers?.get("x-request-id") ?? null)).toEqual([expect.objectContaining({ status: "failed", error_type: "rate_limited" })]);
  });

  it("a streamed forced tool call arrives as a tool_use block built from input_json_delta", async () => {
    const final = await client.messages
      .stream({ model: ACTION, max_tokens: 100, messages: [{ role: "user", content: "Look up" }], tools: [{ name: "lookup", input_schema: { type: "object", properties: { id: { type: "string" } } } }], tool_choice: { type: "tool", name: "lookup" } })
      .finalMessage();
    expect(sentToClaude().tool_choice).toEqual({ type: "tool", name: "lookup" });
    expect(final.content).toEqual([{ type: "tool_use", id: "toolu_fake01", name: "lookup", input: { id: "fake" } }]);
    expect(final.stop_reason).toBe("tool_use");
  });

  it("routed to an OpenAI-compatible provider: the translated chat request, and the answer as a Message", async () => {
    const { data, response } = await client.messages
      .create({
        model: "auto",
        max_tokens: 120,
        system: "Be brief.",
        messages: [{ role: "user", content: [{ type: "text", text: "Classify: leak" }] }],
        stop_sequences: ["END"],
        temperature: 0.5,
        metadata: { user_id: "u-1" },
        tools: [{ name: "lookup", input_schema: { type: "object", properties: {} } }],
        tool_choice: { type: "tool", name: "lookup" },
      } as Anthropic.MessageCreateParamsNonStreaming, { headers: { "x-llm-action": "classify" } })
      .withResponse();
    expect(world.primary.requests).toHaveLength(1);
    expect(world.primary.requests[0]!.body).toEqual({
      model: "primary-model",
      messages: [{ role: "system", content: "Be brief." }, { role: "user", content: [{ type: "text", text: "Classify: leak" }] }],
      max_tokens: 120,
      stop: ["END"],
      temperature: 0.5,
      user: "u-1",
      tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: {} } } }],
      tool_choice: { type: "function", function: { name: "lookup" } },
    });
    expect(data).toEqual({
      id: "msg_chatcmpl-fake1", type: "message", role: "assistant", model: "primary-model-2024-08-06",
      content: [{ type: "text", text: OPENAI_TEXT }], stop_reason: "end_turn", stop_sequence: null,
      usage: { input_tokens: 8, output_tokens: 7, cache_read_input_tokens: 4, cache_creation_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 } },
    });
    // 8 x 0.15 + 4 x 0.075 + 7 x 0.60 per Mtok, USD.
    expect(await rowsOf(response.headers.get("x-request-id"))).toEqual([{
      status: "ok", error_type: null, user_ref: "u-1", prompt_tokens: 12, completion_tokens: 7, cached_tokens: 4, cache_write_tokens: null,
      cache_write_1h_tokens: null, streamed: false, currency: "USD", record_complete: true, cost: "0.000005700000",
    }]);
  });

  it("routed to an OpenAI-compatible provider, a tool result marked is_error is a 400 naming messages (OpenAI has no such field)", async () => {
    const err = await client.messages
      .create({
        model: "classify",
        max_tokens: 50,
        messages: [
          { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "lookup", input: {} }] },
          { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "boom", is_error: true }] },
        ],
        tools: [{ name: "lookup", input_schema: { type: "object" } }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect((err as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({ error: { type: "invalid_request_error", message: expect.stringMatching(/"messages".*is_error/) } });
    expect(world.primary.requests).toHaveLength(0);
  });

  it("top-level cache_control reaches Anthropic on the last block", async () => {
    await client.messages.create({ model: ACTION, max_tokens: 10, cache_control: ephemeral, messages: [{ role: "user", content: "A long question" }] });
    expect(sentToClaude().messages).toEqual([{ role: "user", content: [{ type: "text", text: "A long question", cache_control: ephemeral }] }]);
  });

  it("streamed from an OpenAI-compatible provider", async () => {
    const final = await client.messages.stream({ model: "classify", max_tokens: 50, messages: [{ role: "user", content: "Hi" }] }).finalMessage();
    expect(final.content).toEqual([expect.objectContaining({ type: "text", text: OPENAI_TEXT })]);
    expect(final).toMatchObject({ model: "primary-model-2024-08-06", stop_reason: "end_turn", usage: { input_tokens: 8, output_tokens: 7, cache_read_input_tokens: 4 } });
    expect(world.primary.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true }, temperature: 0.1 });
  });

  it("the key-less mock answers, JSON and streamed; a cut stream ends with an error event and a failed row", async () => {
    const answer = await client.messages.create({ model: "sandboxed", max_tokens: 200, messages: [{ role: "user", content: "Lekkage" }] });
    expect(answer.content[0]).toMatchObject({ type: "text", text: expect.stringContaining("No model was called") });
    expect(answer.usage.input_tokens).toBeGreaterThan(0);
    const streamed = await client.messages.stream({ model: "sandboxed", max_tokens: 200, messages: [{ role: "user", content: "Lekkage" }] }).finalMessage();
    expect(streamed.content).toEqual([expect.objectContaining({ type: "text", text: (answer.content[0] as { text: string }).text })]);
    expect(streamed.usage).toMatchObject({ input_tokens: answer.usage.input_tokens, output_tokens: answer.usage.output_tokens });

    const cut = client.messages.stream({ model: "sandboxed_cut", max_tokens: 200, messages: [{ role: "user", content: "Lekkage in de badkamer, dringend graag" }] });
    await expect(cut.finalMessage()).rejects.toBeInstanceOf(Anthropic.APIError);
    const { response } = await cut.withResponse();
    const rows = await rowsOf(response.headers.get("x-request-id"));
    expect(rows).toEqual([expect.objectContaining({ status: "failed", error_type: "stream_cut", streamed: true })]);
  });

  describe("refusals and errors, in Anthropic's shape", () => {
    async function refused(params: Record<string, unknown>, at: RegExp) {
      const err = await client.messages
        .create({ model: ACTION, max_tokens: 10, messages: [{ role: "user", content: "x" }], ...params } as unknown as Anthropic.MessageCreateParamsNonStreaming)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Anthropic.BadRequestError);
      const e = err as InstanceType<typeof Anthropic.BadRequestError>;
      expect(e.error).toMatchObject({ type: "error", error: { type: "invalid_request_error", message: expect.stringMatching(at) } });
      expect(claude.requests).toHaveLength(0);
      expect(await rowsOf(e.headers?.get("x-request-id") ?? null)).toEqual([]);
    }

    it.each([
      [{ thinking: { type: "enabled", budget_tokens: 1024 } }, /^thinking: extended thinking/],
      [{ service_tier: "auto" }, /^service_tier:/],
      [{ mcp_servers: [] }, /^mcp_servers:/],
      [{ container: "c1" }, /^container:/],
      [{ speed: "fast" }, /^speed: fast mode/],
      [{ betas: ["x"] }, /^betas: Extra inputs/],
      [{ tools: [{ type: "web_search_20250305", name: "web_search" }] }, /^tools\.0\.type: server tools/],
      [{ messages: [{ role: "user", content: [{ type: "text", text: "x", citations: [{ type: "char_location" }] }] }] }, /^messages\.0\.content\.0\.citations/],
      [{ messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: PNG } }] }] }] }, /^messages\.0\.content\.0\.content\.0\.type/],
      [{ messages: [{ role: "assistant", content: [{ type: "thinking", thinking: "x", signature: "s" }] }] }, /^messages\.0\.content\.0\.type/],
      [{ messages: [{ role: "user", content: [{ type: "document", source: { type: "file", file_id: "f" } }] }] }, /^messages\.0\.content\.0\.source/],
      [{ tool_choice: { type: "auto" } }, /^tool_choice: may only be specified while providing tools/],
      [{ temperature: 1.5 }, /temperature/],
      [{ max_tokens: undefined }, /max_tokens/],
      [{ system: Array.from({ length: 5 }, (_, i) => ({ type: "text", text: `p${i}`, cache_control: ephemeral })) }, /^system\.4\.cache_control: a maximum of 4/],
    ])("refuses %j naming it", async (params, at) => {
      await refused(params, at);
    });

    it("x-api-key and Authorization: Bearer both authenticate; a wrong key is a 401 AuthenticationError", async () => {
      const bearer = new Anthropic({ apiKey: null, authToken: KEYS.app, baseURL: `${world.url}/api/llm`, maxRetries: 0 });
      const answer = await bearer.messages.create({ model: ACTION, max_tokens: 10, messages: [{ role: "user", content: "x" }] });
      expect(answer.content[0]).toMatchObject({ text: ANTHROPIC_TEXT });
      const wrong = new Anthropic({ apiKey: "llmcp_wrong_key_0000000000000", baseURL: `${world.url}/api/llm`, maxRetries: 0 });
      const err = await wrong.messages.create({ model: ACTION, max_tokens: 10, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
      expect((err as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({ type: "error", error: { type: "authentication_error", message: "Invalid API key." } });
    });

    it("countTokens is not served: a 404 NotFoundError saying so", async () => {
      const err = await client.messages.countTokens({ model: ACTION, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Anthropic.NotFoundError);
      expect((err as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({ type: "error", error: { type: "not_found_error", message: expect.stringMatching(/count_tokens.*not served/) } });
    });

    it("over the key's rate limit: a 429 RateLimitError, and the refusal's ledger row", async () => {
      const limited = new Anthropic({ apiKey: KEYS.limited, baseURL: `${world.url}/api/llm`, maxRetries: 0 });
      const call = () => limited.messages.create({ model: ACTION, max_tokens: 10, messages: [{ role: "user", content: "x" }] }).catch((e: unknown) => e);
      const outcomes = [await call(), await call(), await call()];
      const err = outcomes.find((o) => o instanceof Anthropic.RateLimitError) as InstanceType<typeof Anthropic.RateLimitError> | undefined;
      expect(err).toBeDefined();
      expect(err!.error).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
      expect(err!.headers?.get("retry-after")).toBeTruthy();
      expect(await rowsOf(err!.headers?.get("x-request-id") ?? null)).toEqual([expect.objectContaining({ status: "failed", error_type: "rate_limited_key" })]);
    });

    it("an unknown model is a 400 naming model", async () => {
      await refused({ model: "no-such-action" }, /Unknown model or action "no-such-action"/);
    });
  });
});
