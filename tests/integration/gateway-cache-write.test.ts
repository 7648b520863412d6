import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { serviceDb } from "@/lib/db/service";
import { handleMetrics } from "@/lib/gateway/handlers/metrics";
import { ANTHROPIC_USAGE, startAnthropicFake } from "@/tests/helpers/fake-upstreams/anthropic";
import type { FakeUpstream } from "@/tests/helpers/fake-upstreams/harness";
import { routeToClaude } from "@/tests/helpers/claude-route";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";

/**
 * Prompt-cache writes end to end: an Anthropic upstream reports cache_creation_input_tokens, the
 * gateway answers with them, records them in llm_calls and prices them at the cache-write price
 * of the row in force (1.25x input), exactly, beside cache reads at the cache-read price.
 */
const adminUrl = inject("pgAdminUrl");
const targets = [{ name: "pglite" }, ...(adminUrl ? [{ name: "postgres", adminUrl }] : [])];
const ACTION = "cache_probe";

describe.each(targets)("gateway prices Anthropic prompt-cache writes on $name", (target) => {
  let world: GatewayWorld;
  let anthropic: FakeUpstream;
  const post = (path: string, body: unknown) =>
    fetch(`${world.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEYS.app}` },
      body: JSON.stringify(body),
    });
  const chat = { model: "auto", messages: [{ role: "user", content: "hello" }], metadata: { action: ACTION, organization: "acme" } };

  beforeAll(async () => {
    world = await startGatewayWorld(target);
    anthropic = await startAnthropicFake();
    await routeToClaude(world, { origin: anthropic.origin, action: ACTION, currency: "USD", warmUp: () => post("/api/llm/generate", { action: ACTION, organization: "acme", prompt: "warm up" }) });
  });
  afterAll(async () => {
    await world?.close();
    await anthropic?.close();
  });

  const recorded = async (requestId: string | null) => {
    await flushed();
    const db = await serviceDb();
    return db
      .selectFrom("llm_calls")
      .select([
        "prompt_tokens", "cached_tokens", "cache_write_tokens", "completion_tokens", "total_tokens", "pricing_source", "currency",
        sql<string>`cost::text`.as("cost"), sql<string>`cache_write_price_per_mtok::text`.as("write_price"),
        sql<string>`cached_input_price_per_mtok::text`.as("read_price"),
      ])
      .where("request_id", "=", requestId ?? "")
      .executeTakeFirstOrThrow();
  };

  // input 10 + cache reads 5 + cache writes 3 = 18 prompt tokens; 7 output.
  // (10 x 3 + 5 x 0.30 + 3 x 3.75 + 7 x 15) / 1e6 = 0.00014775 (writes as input: 0.0001455).
  const EXPECTED = {
    prompt_tokens: 18, cached_tokens: 5, cache_write_tokens: 3, completion_tokens: 7, total_tokens: 25, pricing_source: "database",
    currency: "USD", cost: "0.000147750000", write_price: "3.75000000", read_price: "0.30000000",
  };

  it("answers /generate with the cache-write tokens and the exact cost, and records both", async () => {
    expect(ANTHROPIC_USAGE).toMatchObject({ input_tokens: 10, cache_read_input_tokens: 5, cache_creation_input_tokens: 3, output_tokens: 7 });
    const res = await post("/api/llm/generate", { action: ACTION, organization: "acme", prompt: "hello" });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      provider: "claude", currency: "USD", pricing_source: "database", cost: "0.00014775",
      usage: { prompt_tokens: 18, cached_tokens: 5, cache_write_tokens: 3, completion_tokens: 7, total_tokens: 25 },
    });
    expect(await recorded(body.request_id)).toEqual(EXPECTED);
  });

  it("records the same for an OpenAI-style chat completion, streamed and not", async () => {
    const plain = await post("/api/llm/v1/chat/completions", chat);
    expect(plain.status).toBe(200);
    expect(await recorded(plain.headers.get("x-request-id"))).toEqual(EXPECTED);
    const streamed = await post("/api/llm/v1/chat/completions", { ...chat, stream: true, stream_options: { include_usage: true } });
    expect(streamed.status).toBe(200);
    await streamed.text();
    expect(await recorded(streamed.headers.get("x-request-id"))).toEqual(EXPECTED);
  });

  it("counts cache-write tokens in the token metric under their own kind", async () => {
    const text = await (await handleMetrics(new Request("http://localhost/api/metrics"))).text();
    // Every call so far (warm-up included) wrote 3 tokens to the cache.
    expect(text).toMatch(/llmcp_llm_tokens_total\{app="wb",provider="claude",model="claude-sonnet-4-5",kind="cache_write"\} (\d+)/);
    const written = Number(/kind="cache_write"\} (\d+)/.exec(text)?.[1]);
    const cached = Number(/provider="claude",model="claude-sonnet-4-5",kind="cached"\} (\d+)/.exec(text)?.[1]);
    expect(written).toBeGreaterThanOrEqual(12);
    expect(written % 3).toBe(0);
    expect(cached / 5).toBe(written / 3);
  });
});
