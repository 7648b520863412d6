import Decimal from "decimal.js";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/lib/db/service";
import { OPENAI_TEXT, OPENAI_USAGE } from "@/tests/helpers/fake-upstreams/openai";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";
import { gatewayTargets } from "@/tests/helpers/databases";

/**
 * The official `openai` npm SDK as the client, pointed at the gateway with baseURL
 * <origin>/api/llm/v1: non-streamed, streamed with usage, fallbacks and stream cuts, each attempt
 * checked in llm_calls with its exact cost.
 */
// PGlite, PostgreSQL, and PostgreSQL through PgBouncer (transaction mode) when TEST_PGBOUNCER_URL is set.
const targets = gatewayTargets({ pooler: true });

async function callsOf(requestId: string) {
  await flushed();
  const db = await serviceDb();
  return db.selectFrom("llm_calls").selectAll().where("request_id", "=", requestId).orderBy("attempt").execute();
}

/** The fake's usage priced by hand at the primary model's USD prices (0.15 / 0.60 / cached 0.075). */
function expectedPrimaryCost(): string {
  const u = OPENAI_USAGE;
  const cached = u.prompt_tokens_details.cached_tokens;
  return new Decimal(u.prompt_tokens - cached).mul("0.15").plus(new Decimal(cached).mul("0.075")).plus(new Decimal(u.completion_tokens).mul("0.60")).div(1_000_000).toFixed();
}

describe.each(targets)("gateway with the openai SDK on $name", (target) => {
  let world: GatewayWorld;
  let client: OpenAI;

  beforeAll(async () => {
    world = await startGatewayWorld(target);
    client = new OpenAI({ apiKey: KEYS.app, baseURL: `${world.url}/api/llm/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await world?.close();
  });

  it("answers a non-streamed call routed by action and records it with its exact cost", async () => {
    world.primary.reset();
    const { data, response } = await client.chat.completions
      .create({ model: "auto", messages: [{ role: "user", content: "Classify this work order" }], metadata: { action: "classify", organization: "acme", pipeline_stage: "intake", request_type: "classify" } })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(OPENAI_TEXT);
    expect(data.usage?.total_tokens).toBe(OPENAI_USAGE.total_tokens);
    const requestId = response.headers.get("x-request-id")!;
    expect(response.headers.get("x-llm-model")).toBe("primary-model");
    expect(response.headers.get("x-llm-cost")).toBe(expectedPrimaryCost());
    // The rule's params fill in what the caller left out; the upstream got its own key.
    const sent = world.primary.requests[0]!;
    expect(sent.body).toMatchObject({ model: "primary-model", temperature: 0.1 });
    expect(sent.headers.authorization).toBe("Bearer sk-primary-SECRET-0123456789");
    const [row] = await callsOf(requestId);
    expect(row).toMatchObject({
      status: "ok", attempt: 1, organization_id: world.ids.acme, action_type: "classify", pipeline_stage: "intake", request_type: "classify",
      provider_code: "primary", model_code: "primary-model", prompt_tokens: 12, completion_tokens: 7, cached_tokens: 4, reasoning_tokens: 2,
      total_tokens: 19, currency: "USD", pricing_source: "database", routing_source: "configuration", record_complete: true, streamed: false,
    });
    expect(new Decimal(row!.cost!).toFixed()).toBe(expectedPrimaryCost());
  });

  it("streams with include_usage: deltas, then a usage chunk, and records the streamed call", async () => {
    const { data: stream, response } = await client.chat.completions.create({
      model: "classify", stream: true, stream_options: { include_usage: true },
      messages: [{ role: "user", content: "Classify this" }], metadata: { organization: "acme" },
    }).withResponse();
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(OPENAI_TEXT);
    expect(usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 });
    const requestId = response.headers.get("x-request-id")!;
    const [row] = await callsOf(requestId);
    expect(row).toMatchObject({ status: "ok", streamed: true, total_tokens: 19, pricing_source: "database" });
    expect(row!.ttft_ms).not.toBeNull();
  });

  it("ends the stream with a usage chunk that keeps the stream's id, created, system_fingerprint and token details", async () => {
    const stream = await client.chat.completions.create({
      model: "classify", stream: true, stream_options: { include_usage: true },
      messages: [{ role: "user", content: "Classify this" }], metadata: { organization: "acme" },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last).toMatchObject({ id: chunks[0]!.id, created: chunks[0]!.created, system_fingerprint: "fp_fake", object: "chat.completion.chunk" });
    expect(last.usage).toEqual(OPENAI_USAGE);
  });

  it("pins the premium client to its override", async () => {
    const { response } = await client.chat.completions
      .create({ model: "auto", messages: [{ role: "user", content: "x" }], metadata: { action: "classify", organization: "wvc" } })
      .withResponse();
    expect(response.headers.get("x-llm-model")).toBe("premium-model");
    expect(response.headers.get("x-llm-routing-source")).toBe("client_override");
  });

  it("retries a 503, then falls back to the next model, recording every attempt", async () => {
    world.primary.script({ kind: "status", status: 503 }, { kind: "status", status: 503 });
    const metadata = { action: "classify", organization: "acme", pipeline_stage: "intake", request_type: "classify" };
    const { data, response } = await client.chat.completions
      .create({ model: "auto", messages: [{ role: "user", content: "x" }], metadata })
      .withResponse();
    expect(response.headers.get("x-llm-model")).toBe("backup-model");
    expect(data.model).toBe("backup-model-2024-08-06"); // the version the upstream reports
    const rows = await callsOf(response.headers.get("x-request-id")!);
    expect(rows.map((r) => [r.attempt, r.model_code, r.status, r.error_type, r.is_fallback])).toEqual([
      [1, "primary-model", "failed", "upstream_5xx", false],
      [2, "primary-model", "failed", "upstream_5xx", false],
      [3, "backup-model", "ok", null, true],
    ]);
    // An unbilled error is recorded as a priced zero, not as an unknown cost.
    expect(rows[0]).toMatchObject({ prompt_tokens: 0, cost: expect.stringMatching(/^0(\.0+)?$/), record_complete: true });
  });

  it("falls back when a stream is cut before anything reached the client", async () => {
    world.primary.script({ kind: "cut", afterEvents: 0 }, { kind: "cut", afterEvents: 0 });
    const { data: stream, response } = await client.chat.completions
      .create({ model: "classify", stream: true, messages: [{ role: "user", content: "x" }] })
      .withResponse();
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toBe(OPENAI_TEXT);
    const rows = await callsOf(response.headers.get("x-request-id")!);
    expect(rows.map((r) => [r.model_code, r.status])).toEqual([["primary-model", "failed"], ["primary-model", "failed"], ["backup-model", "ok"]]);
  });

  it("ends a stream cut mid-answer with an error event and records a failed attempt, never a success", async () => {
    world.primary.script({ kind: "cut", afterEvents: 2 });
    const { data: stream, response } = await client.chat.completions
      .create({ model: "classify", stream: true, messages: [{ role: "user", content: "x" }] })
      .withResponse();
    const requestId = response.headers.get("x-request-id")!;
    await expect(async () => {
      for await (const _chunk of stream) void _chunk;
    }).rejects.toThrow(/stream broke off/);
    const rows = await callsOf(requestId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "failed", error_type: "stream_cut", streamed: true, record_complete: false });
  });

  it("lists auto and the app's actions as models", async () => {
    const list = await client.models.list();
    expect(list.data.map((m) => m.id)).toEqual(["auto", "classify", "draft"]);
  });
});
