import { sql } from "kysely";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { serviceDb } from "@/lib/db/service";
import { startAnthropicFake, type AnthropicFake } from "@/tests/helpers/fake-upstreams/anthropic";
import type { FakeUpstream } from "@/tests/helpers/fake-upstreams/harness";
import { startOpenAIFake } from "@/tests/helpers/fake-upstreams/openai";
import { routeToClaude } from "@/tests/helpers/claude-route";
import { routeToProvider } from "@/tests/helpers/provider-route";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";

/**
 * `n` choices, cache hints and finish reasons on the paths other than Gemini's: OpenAI takes `n`
 * natively (its usage covers every choice), Anthropic gets n parallel calls merged into one
 * answer (summed usage, one ledger row), n is bounded (at most 8) and not fanned out for
 * streams; `cache_control` never reaches OpenAI, which refuses the key; Mistral's model_length
 * reaches OpenAI clients as length. The official `openai` SDK is the client.
 */
const adminUrl = inject("pgAdminUrl");
const targets = [{ name: "pglite" }, ...(adminUrl ? [{ name: "postgres", adminUrl }] : [])];
const OPENAI = "n_openai";
const CLAUDE = "n_claude";
const MISTRAL = "n_mistral";
const meta = (action: string) => ({ action, organization: "acme", pipeline_stage: "test", request_type: "fidelity" });
const user = (content: string) => ({ role: "user" as const, content });

describe.each(targets)("n choices, cache hints and finish reasons on $name", (target) => {
  let world: GatewayWorld;
  let openai: FakeUpstream;
  let mistral: FakeUpstream;
  let claude: AnthropicFake;
  let client: OpenAI;

  beforeAll(async () => {
    world = await startGatewayWorld(target);
    [openai, mistral, claude] = await Promise.all([
      startOpenAIFake({ refuseUnknownFields: true }),
      startOpenAIFake({ mistralStyle: true, finishReason: "model_length" }),
      startAnthropicFake(),
    ]);
    client = new OpenAI({ apiKey: KEYS.app, baseURL: `${world.url}/api/llm/v1`, maxRetries: 0 });
    const warmUp = (action: string) => () =>
      fetch(`${world.url}/api/llm/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${KEYS.app}` },
        body: JSON.stringify({ model: "auto", messages: [user("warm up")], metadata: meta(action) }),
      });
    const usd = { input: "2.50", output: "10", cached: "1.25" };
    await routeToProvider(world, { code: "oai", kind: "openai", baseUrl: `${openai.origin}/v1`, modelCode: "gpt-4o", action: OPENAI, currency: "USD", prices: usd, warmUp: warmUp(OPENAI) });
    await routeToProvider(world, { code: "mis", kind: "mistral", baseUrl: `${mistral.origin}/v1`, modelCode: "mistral-small", action: MISTRAL, currency: "USD", prices: usd, warmUp: warmUp(MISTRAL) });
    await routeToClaude(world, { origin: claude.origin, action: CLAUDE, currency: "EUR", warmUp: warmUp(CLAUDE) });
  });
  afterAll(async () => {
    await world?.close();
    await Promise.all([openai?.close(), mistral?.close(), claude?.close()]);
  });
  beforeEach(() => {
    openai.reset();
    mistral.reset();
    claude.reset();
  });

  const rowsOf = async (requestId: string | null) => {
    await flushed();
    const db = await serviceDb();
    return db
      .selectFrom("llm_calls")
      .select(["status", "prompt_tokens", "completion_tokens", "cached_tokens", "cache_write_tokens", "total_tokens", "currency", sql<string | null>`cost::text`.as("cost")])
      .where("request_id", "=", requestId ?? "")
      .orderBy("attempt")
      .execute();
  };
  const create = (action: string, body: Record<string, unknown>) =>
    client.chat.completions.create({ model: "auto", messages: [user("x")], metadata: meta(action), ...body } as OpenAI.ChatCompletionCreateParamsNonStreaming).withResponse();
  async function expectRefused(action: string, body: Record<string, unknown>, param: string, message: RegExp) {
    const res = await client.chat.completions
      .create({ model: "auto", messages: [user("x")], metadata: meta(action), ...body } as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .withResponse()
      .catch((err: unknown) => err);
    expect(res).toBeInstanceOf(OpenAI.BadRequestError);
    const err = res as InstanceType<typeof OpenAI.BadRequestError>;
    expect(err.error).toMatchObject({ type: "invalid_request_error", param });
    expect(err.message).toMatch(message);
    expect(await rowsOf(err.headers?.get("x-request-id") ?? null)).toEqual([]);
  }

  it("OpenAI: n is passed through; its usage covers every choice, priced exactly", async () => {
    const { data, response } = await create(OPENAI, { n: 3 });
    expect(openai.requests).toHaveLength(1);
    expect(openai.requests[0]?.body.n).toBe(3);
    expect(data.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    // Prompt 12 (4 cached) once, output 7 per choice: (8 x 2.50 + 4 x 1.25 + 21 x 10) / 1e6 USD.
    expect(await rowsOf(response.headers.get("x-request-id"))).toEqual([
      { status: "ok", prompt_tokens: 12, completion_tokens: 21, cached_tokens: 4, cache_write_tokens: null, total_tokens: 33, currency: "USD", cost: "0.000235000000" },
    ]);
  });

  it("Anthropic: n: 2 → two Messages calls in parallel, one answer with choices 0 and 1, one row with the summed usage and cost", async () => {
    const { data, response } = await create(CLAUDE, { n: 2 });
    expect(claude.requests).toHaveLength(2);
    for (const r of claude.requests) expect(r.body).not.toHaveProperty("n");
    expect(data.choices.map((c) => [c.index, c.message.content, c.finish_reason])).toEqual([[0, "Hello from fake Claude.", "stop"], [1, "Hello from fake Claude.", "stop"]]);
    expect(data.usage).toMatchObject({ prompt_tokens: 36, completion_tokens: 14, total_tokens: 50 });
    // Twice (10 x 3 + 5 x 0.30 + 3 x 3.75 + 7 x 15) / 1e6 EUR.
    expect(await rowsOf(response.headers.get("x-request-id"))).toEqual([
      { status: "ok", prompt_tokens: 36, completion_tokens: 14, cached_tokens: 10, cache_write_tokens: 6, total_tokens: 50, currency: "EUR", cost: "0.000295500000" },
    ]);
  });

  it("Anthropic: one failed call of the fan-out fails the attempt, recorded with what the finished call billed", async () => {
    claude.script({ kind: "ok" }, { kind: "status", status: 400, message: "bad thing" });
    const res = await create(CLAUDE, { n: 2 }).catch((e: unknown) => e);
    expect(res).toBeInstanceOf(OpenAI.BadRequestError);
    expect(claude.requests).toHaveLength(2);
    const requestId = (res as InstanceType<typeof OpenAI.BadRequestError>).headers?.get("x-request-id") ?? null;
    // The 400 billed nothing; the other call billed one default answer, exactly.
    expect(await rowsOf(requestId)).toEqual([
      { status: "failed", prompt_tokens: 18, completion_tokens: 7, cached_tokens: 5, cache_write_tokens: 3, total_tokens: 25, currency: "EUR", cost: "0.000147750000" },
    ]);
    const db = await serviceDb();
    const row = await db.selectFrom("llm_calls").select(["error_type", "usage_partial"]).where("request_id", "=", requestId ?? "").executeTakeFirstOrThrow();
    expect(row).toEqual({ error_type: "bad_request", usage_partial: false });
  });

  it("n: 2 with stream to Anthropic → 400 naming n; n: 9 → 400 naming n; nothing sent", async () => {
    await expectRefused(CLAUDE, { n: 2, stream: true }, "n", /non-streamed/);
    await expectRefused(CLAUDE, { n: 9 }, "n", /at most 8/);
    await expectRefused(OPENAI, { n: 9 }, "n", /at most 8/);
    expect(claude.requests).toHaveLength(0);
    expect(openai.requests).toHaveLength(0);
  });

  it("cache_control on content parts never reaches OpenAI (which refuses the key): a caching hint, taken out", async () => {
    const messages = [
      { role: "system", content: [{ type: "text", text: "Policy.", cache_control: { type: "ephemeral" } }] },
      { role: "user", content: [{ type: "text", text: "Question.", cache_control: { type: "ephemeral" } }] },
    ];
    const { data } = await create(OPENAI, { messages });
    expect(data.choices[0]?.message.content).toBe("Hello from the fake upstream.");
    expect(openai.requests[0]?.body.messages).toEqual([
      { role: "system", content: [{ type: "text", text: "Policy." }] },
      { role: "user", content: [{ type: "text", text: "Question." }] },
    ]);
  });

  it("Mistral's model_length reaches OpenAI clients as length, streamed and not", async () => {
    const { data, response } = await create(MISTRAL, {});
    expect(data.choices[0]?.finish_reason).toBe("length");
    expect((await rowsOf(response.headers.get("x-request-id")))[0]).toMatchObject({ status: "ok", prompt_tokens: 12, completion_tokens: 7 });
    const stream = await client.chat.completions.create({ model: "auto", messages: [user("x")], metadata: meta(MISTRAL), stream: true });
    let last: string | null = null;
    for await (const chunk of stream) last = chunk.choices[0]?.finish_reason ?? last;
    expect(last).toBe("length");
  });
});
