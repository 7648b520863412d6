import Decimal from "decimal.js";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { serviceDb } from "@/lib/db/service";
import { runtime } from "@/lib/gateway/runtime";
import { MOCK_EMBEDDING_DIMENSIONS, mockVector } from "@/lib/providers/mock/embed";
import { gatewayTargets } from "@/tests/helpers/databases";
import type { FakeUpstream } from "@/tests/helpers/fake-upstreams/harness";
import { FAKE_EMBEDDING_DIMENSIONS, fakeEmbedding, fakeEmbeddingTokens, startEmbeddingsFake } from "@/tests/helpers/fake-upstreams/openai-embeddings";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";

/**
 * POST /api/llm/v1/embeddings with the official `openai` SDK as the client (embeddings.create:
 * one input, a batch, base64 as the SDK asks by default, floats when asked), against a strict
 * fake OpenAI embeddings upstream, a strict fake Mistral one (the fallback, with its own request
 * shape) and the key-less mock. Each call is checked three ways: what the upstream received,
 * what the SDK parsed, and the exact llm_calls row (tokens, cost, currency, request_type).
 */
const targets = gatewayTargets();

async function callsOf(requestId: string) {
  await flushed();
  const db = await serviceDb();
  return db.selectFrom("llm_calls").selectAll().where("request_id", "=", requestId).orderBy("attempt").execute();
}

const cost = (tokens: number, perMtok: string) => new Decimal(tokens).mul(perMtok).div(1_000_000).toFixed();
const floats = (v: ArrayLike<number>) => Array.from(v);

describe.each(targets)("POST /api/llm/v1/embeddings on $name", (target) => {
  let world: GatewayWorld;
  let client: OpenAI;
  let openai: FakeUpstream;
  let mistral: FakeUpstream;

  async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    return fetch(`${world.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEYS.app}`, "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  }

  beforeAll(async () => {
    world = await startGatewayWorld(target);
    [openai, mistral] = await Promise.all([startEmbeddingsFake(), startEmbeddingsFake({ mistral: true })]);
    vi.stubEnv("OA_TEST_API_KEY", "sk-oa-SECRET-0123456789");
    vi.stubEnv("MI_TEST_API_KEY", "mi-SECRET-0123456789");
    vi.stubEnv("ANTHROPIC_EMB_TEST_API_KEY", "sk-ant-SECRET-0123456789");
    const db = await serviceDb();
    await db.transaction().execute(async (tx) => {
      const provider = (code: string, kind: "openai" | "mistral" | "mock" | "anthropic", baseUrl: string | null, envVar: string | null) =>
        tx.insertInto("llm_providers").values({ code, name: code, kind, base_url: baseUrl, api_key_env_var: envVar, timeout_ms: 2000, max_retries: 0 })
          .returning("id").executeTakeFirstOrThrow();
      const oa = await provider("oa", "openai", `${openai.origin}/v1`, "OA_TEST_API_KEY");
      const mi = await provider("mi", "mistral", `${mistral.origin}/v1`, "MI_TEST_API_KEY");
      const mock = await provider("mock", "mock", null, null);
      const claude = await provider("claude", "anthropic", null, "ANTHROPIC_EMB_TEST_API_KEY");
      const model = (providerId: string, code: string) =>
        tx.insertInto("llm_models").values({ provider_id: providerId, model_code: code, display_name: code, kind: "embedding" }).returning("id").executeTakeFirstOrThrow();
      const small = await model(oa.id, "text-embedding-3-small");
      const mEmbed = await model(mi.id, "mistral-embed");
      const mockEmbed = await model(mock.id, "mock-embed");
      await model(claude.id, "claude-embed");
      for (const [m, input, currency] of [[small.id, "0.02", "USD"], [mEmbed.id, "0.10", "USD"], [mockEmbed.id, "0.02", "EUR"]] as const) {
        await tx.insertInto("model_prices").values({ model_id: m, input_per_mtok: input, output_per_mtok: "0", currency, effective_from: new Date("2024-01-01T00:00:00Z") }).execute();
      }
      await tx.updateTable("apps").set({ allow_explicit_models: true }).where("id", "=", world.ids.app).execute();
      await tx.insertInto("llm_configurations").values({ app_id: world.ids.app, action_type: "embed_docs", model_id: small.id, fallback_model_ids: [mEmbed.id], priority: 100 }).execute();
      await tx.insertInto("llm_configurations").values({ app_id: world.ids.app, action_type: "embed_sandbox", model_id: mockEmbed.id, priority: 100 }).execute();
    });
    await runtime().config.reload();
    client = new OpenAI({ apiKey: KEYS.app, baseURL: `${world.url}/api/llm/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await world?.close();
    await Promise.all([openai?.close(), mistral?.close()]);
  });

  it("embeds one input by explicit model: the SDK's default base64 goes upstream, floats come back, priced per input token", async () => {
    openai.reset();
    const text = "Lekkage in de badkamer, kraan vervangen";
    const { data, response } = await client.embeddings
      .create({ model: "text-embedding-3-small", input: text }, { headers: { "x-llm-organization": "acme", "x-llm-pipeline-stage": "ingest" } })
      .withResponse();
    expect(openai.requests).toHaveLength(1);
    const sent = openai.requests[0]!;
    expect(sent.path).toBe("/v1/embeddings");
    expect(sent.headers.authorization).toBe("Bearer sk-oa-SECRET-0123456789");
    expect(sent.body).toEqual({ model: "text-embedding-3-small", input: text, encoding_format: "base64" });
    expect(data.object).toBe("list");
    expect(data.data).toHaveLength(1);
    expect(data.data[0]).toMatchObject({ object: "embedding", index: 0 });
    expect(floats(data.data[0]!.embedding)).toEqual(fakeEmbedding(text));
    const tokens = fakeEmbeddingTokens(text);
    expect(data.usage).toEqual({ prompt_tokens: tokens, total_tokens: tokens });
    expect(response.headers.get("x-llm-model")).toBe("text-embedding-3-small");
    expect(response.headers.get("x-llm-cost")).toBe(cost(tokens, "0.02"));
    expect(response.headers.get("x-llm-currency")).toBe("USD");
    const rows = await callsOf(response.headers.get("x-request-id")!);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: "ok", attempt: 1, request_type: "embedding", action_type: "*", organization_id: world.ids.acme, pipeline_stage: "ingest",
      provider_code: "oa", model_code: "text-embedding-3-small",
      prompt_tokens: tokens, completion_tokens: 0, total_tokens: tokens, cached_tokens: 0, reasoning_tokens: 0,
      currency: "USD", pricing_source: "database", routing_source: "explicit", streamed: false, record_complete: true, error_type: null,
    });
    expect(new Decimal(rows[0]!.cost!).toFixed()).toBe(cost(tokens, "0.02"));
    expect(new Decimal(rows[0]!.input_price_per_mtok!).toFixed()).toBe("0.02");
  });

  it("embeds a batch routed by action name, floats forwarded as received, with the caller's request_type and user", async () => {
    openai.reset();
    const input = ["eerste document", "tweede, iets langere document", "derde"];
    const { data, response } = await client.embeddings
      .create({ model: "embed_docs", input, encoding_format: "float", dimensions: 8, user: "user-42" }, { headers: { "x-llm-request-type": "rag_index", "x-llm-organization": "acme" } })
      .withResponse();
    expect(openai.requests[0]!.body).toEqual({ model: "text-embedding-3-small", input, encoding_format: "float", dimensions: 8, user: "user-42" });
    expect(data.data.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(data.data.map((d) => d.embedding)).toEqual(input.map((t) => fakeEmbedding(t, 8)));
    const tokens = input.reduce((n, t) => n + fakeEmbeddingTokens(t), 0);
    const [row] = await callsOf(response.headers.get("x-request-id")!);
    expect(row).toMatchObject({
      status: "ok", request_type: "rag_index", action_type: "embed_docs", organization_id: world.ids.acme, user_ref: "user-42",
      routing_source: "configuration", prompt_tokens: tokens, completion_tokens: 0, total_tokens: tokens, currency: "USD",
    });
    expect(new Decimal(row!.cost!).toFixed()).toBe(cost(tokens, "0.02"));
  });

  it("embeds token arrays as OpenAI takes them", async () => {
    openai.reset();
    const input = [[101, 202, 303], [7, 8]];
    const { data, response } = await client.embeddings.create({ model: "text-embedding-3-small", input }).withResponse();
    expect(openai.requests[0]!.body.input).toEqual(input);
    expect(floats(data.data[1]!.embedding)).toEqual(fakeEmbedding("7,8"));
    const [row] = await callsOf(response.headers.get("x-request-id")!);
    expect(row).toMatchObject({ status: "ok", prompt_tokens: 5, total_tokens: 5 });
  });

  it("falls back to Mistral when OpenAI fails: Mistral's request shape, floats encoded to base64 for the SDK, one row per attempt", async () => {
    openai.reset();
    mistral.reset();
    openai.script({ kind: "status", status: 500 });
    const input = ["offerte voor dakgoot", "factuur 2024-11"];
    const { data, response } = await client.embeddings.create({ model: "embed_docs", input, user: "user-7" }).withResponse();
    expect(openai.requests).toHaveLength(1);
    expect(mistral.requests).toHaveLength(1);
    // No encoding_format (Mistral answers floats), no user (the gateway's own): nothing Mistral would refuse.
    expect(mistral.requests[0]!.body).toEqual({ model: "mistral-embed", input });
    expect(mistral.requests[0]!.headers.authorization).toBe("Bearer mi-SECRET-0123456789");
    expect(data.data.map((d) => floats(d.embedding))).toEqual(input.map((t) => fakeEmbedding(t)));
    expect(data.data[0]!.embedding).toHaveLength(FAKE_EMBEDDING_DIMENSIONS);
    expect(response.headers.get("x-llm-provider")).toBe("mi");
    const rows = await callsOf(response.headers.get("x-request-id")!);
    const tokens = input.reduce((n, t) => n + fakeEmbeddingTokens(t), 0);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ attempt: 1, status: "failed", error_type: "upstream_5xx", provider_code: "oa", prompt_tokens: 0, request_type: "embedding" });
    expect(new Decimal(rows[0]!.cost!).toFixed()).toBe("0");
    expect(rows[1]).toMatchObject({ attempt: 2, status: "ok", provider_code: "mi", model_code: "mistral-embed", routing_source: "fallback", prompt_tokens: tokens, completion_tokens: 0, currency: "USD" });
    expect(new Decimal(rows[1]!.cost!).toFixed()).toBe(cost(tokens, "0.10"));
  });

  it("answers from the key-less mock: deterministic vectors, priced at the mock's price", async () => {
    const input = ["sandbox document"];
    const { data, response } = await client.embeddings.create({ model: "embed_sandbox", input }).withResponse();
    expect(floats(data.data[0]!.embedding)).toEqual(mockVector("sandbox document", MOCK_EMBEDDING_DIMENSIONS));
    const tokens = Math.ceil("sandbox document".length / 4);
    expect(data.usage).toEqual({ prompt_tokens: tokens, total_tokens: tokens });
    const [row] = await callsOf(response.headers.get("x-request-id")!);
    expect(row).toMatchObject({ status: "ok", provider_code: "mock", model_code: "mock-embed", prompt_tokens: tokens, completion_tokens: 0, currency: "EUR", request_type: "embedding" });
    expect(new Decimal(row!.cost!).toFixed()).toBe(cost(tokens, "0.02"));
    // base64 asked explicitly: the SDK returns it as is; it decodes to the same vector.
    const raw = await client.embeddings.create({ model: "mock-embed", input: "sandbox document", encoding_format: "base64" });
    const b64 = raw.data[0]!.embedding as unknown as string;
    const buf = Buffer.from(b64, "base64");
    expect(Array.from({ length: buf.length / 4 }, (_, i) => buf.readFloatLE(i * 4))).toEqual(mockVector("sandbox document", MOCK_EMBEDDING_DIMENSIONS));
  });

  it.each([
    ["an empty string", { model: "text-embedding-3-small", input: "" }, "input", /must not be an empty string/],
    ["an empty list", { model: "text-embedding-3-small", input: [] }, "input", /must not be empty/],
    ["a non-string item", { model: "text-embedding-3-small", input: ["a", 42] }, "input", /item 1 must be a string/],
    ["too many inputs", { model: "text-embedding-3-small", input: Array(2049).fill("a") }, "input", /at most 2048/],
    ["a chat field", { model: "text-embedding-3-small", input: "a", temperature: 0 }, "temperature", /not a field of the embeddings request/],
    ["a chat model", { model: "primary-model", input: "a" }, "model", /is a chat model, not an embedding model/],
    ["an unknown model", { model: "no-such-model", input: "a" }, "model", /Unknown model/],
    ["a provider kind without embeddings", { model: "claude-embed", input: "a" }, "model", /embeddings are not available for provider kind "anthropic"/],
  ])("refuses %s with a 400 in OpenAI's shape naming the parameter, sending and recording nothing", async (_name, body, param, message) => {
    openai.reset();
    const res = await post("/api/llm/v1/embeddings", body);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const json = (await res.json()) as { error: { type: string; message: string; param: string | null; code: unknown } };
    expect(json.error).toMatchObject({ type: "invalid_request_error", param });
    expect(json.error.message).toMatch(message);
    expect(openai.requests).toHaveLength(0);
    expect(await callsOf(res.headers.get("x-request-id")!)).toEqual([]);
  });

  it("refuses an organization over its budget (policy block) with a 429, recorded as a refused embedding call", async () => {
    openai.reset();
    const res = await post("/api/llm/v1/embeddings", { model: "embed_docs", input: "a", metadata: { organization: "tight" } });
    expect(res.status).toBe(429);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe("budget_exceeded");
    expect(openai.requests).toHaveLength(0);
    const rows = await callsOf(res.headers.get("x-request-id")!);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "failed", error_type: "budget_exceeded", http_status: 429, request_type: "embedding", organization_id: world.ids.tight, provider_code: null, cost: null });
  });

  it("surfaces a 400 to the SDK as BadRequestError", async () => {
    await expect(client.embeddings.create({ model: "text-embedding-3-small", input: [] })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });

  it("refuses an embedding model on chat completions, naming the model", async () => {
    const res = await post("/api/llm/v1/chat/completions", { model: "text-embedding-3-small", messages: [{ role: "user", content: "hi" }] });
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { param: string; message: string } };
    expect(json.error.param).toBe("model");
    expect(json.error.message).toMatch(/is an embedding model; it cannot answer chat/);
  });

  it("is behind the same key: no key is a 401, and an action routed to chat models is a 400", async () => {
    const res = await fetch(`${world.url}/api/llm/v1/embeddings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "embed_docs", input: "a" }) });
    expect(res.status).toBe(401);
    const chatAction = await post("/api/llm/v1/embeddings", { model: "classify", input: "a" });
    expect(chatAction.status).toBe(400);
    expect(((await chatAction.json()) as { error: { param: string } }).error.param).toBe("metadata.action");
  });
});
