import OpenAI from "openai";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { handleMetrics } from "@/lib/gateway/handlers/metrics";
import { proxy } from "@/proxy";
import { KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";

/**
 * Issue 16 item 1: OpenAI's x-ratelimit-* headers on every response that passed key
 * authentication (429s included), read through the official `openai` SDK, and x-request-id on
 * every response under /api/llm: errors, 401s, 404/405 JSON, /models, feedback, generate.
 */
const adminUrl = inject("pgAdminUrl");
const targets = [{ name: "pglite" }, ...(adminUrl ? [{ name: "postgres", adminUrl }] : [])];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** OpenAI's duration format: "120ms", "1s", "1.5s", "6m0s", "1h2m3s". */
const DURATION = /^(?:\d+ms|(?:\d+h)?(?:\d+m)?\d+(?:\.\d+)?s)$/;

function expectRateHeaders(headers: Headers, limit: number): number {
  expect(headers.get("x-ratelimit-limit-requests")).toBe(String(limit));
  const remaining = Number(headers.get("x-ratelimit-remaining-requests"));
  expect(Number.isInteger(remaining)).toBe(true);
  expect(remaining).toBeGreaterThanOrEqual(0);
  expect(remaining).toBeLessThan(limit);
  expect(headers.get("x-ratelimit-reset-requests")).toMatch(DURATION);
  return remaining;
}

describe.each(targets)("gateway response headers on $name", (target) => {
  let world: GatewayWorld;
  let client: OpenAI;
  const DEFAULT_LIMIT = 600; // gateway.default_rate_limit_per_minute's default (lib/engine/settings.ts)

  beforeAll(async () => {
    world = await startGatewayWorld(target);
    client = new OpenAI({ apiKey: KEYS.app, baseURL: `${world.url}/api/llm/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await world?.close();
  });

  it("chat completions and /models carry x-ratelimit-* and x-request-id, remaining going down", async () => {
    const first = await client.chat.completions.create({ model: "auto", messages: [{ role: "user", content: "hi" }], metadata: { action: "classify" } }).withResponse();
    expect(first.response.headers.get("x-request-id")).toMatch(UUID);
    const limit = Number(first.response.headers.get("x-ratelimit-limit-requests"));
    expect(limit).toBe(DEFAULT_LIMIT);
    const before = expectRateHeaders(first.response.headers, limit);
    const models = await client.models.list().withResponse();
    expect(models.response.headers.get("x-request-id")).toMatch(UUID);
    expect(expectRateHeaders(models.response.headers, limit)).toBeLessThan(before);
  });

  it("a 429 carries remaining 0, the reset the client must wait and the request id; the SDK exposes them", async () => {
    const limited = new OpenAI({ apiKey: KEYS.limited, baseURL: `${world.url}/api/llm/v1`, maxRetries: 0 });
    let refused: InstanceType<typeof OpenAI.RateLimitError> | null = null;
    for (let i = 0; i < 5 && !refused; i++) {
      try {
        const ok = await limited.models.list().withResponse();
        expectRateHeaders(ok.response.headers, 2);
      } catch (err) {
        expect(err).toBeInstanceOf(OpenAI.RateLimitError);
        refused = err as InstanceType<typeof OpenAI.RateLimitError>;
      }
    }
    expect(refused).not.toBeNull();
    const h = refused!.headers;
    expect(h.get("x-ratelimit-limit-requests")).toBe("2");
    expect(h.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(h.get("x-ratelimit-reset-requests")).toMatch(DURATION);
    expect(Number(h.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(h.get("x-request-id")).toMatch(UUID);
    expect(refused!.requestID).toBe(h.get("x-request-id"));
  });

  it("a 401 has x-request-id and no rate headers (no key was authenticated)", async () => {
    const bad = new OpenAI({ apiKey: "llmcp_not_a_key_at_all_000000000", baseURL: `${world.url}/api/llm/v1`, maxRetries: 0 });
    const err = await bad.models.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    const h = (err as InstanceType<typeof OpenAI.AuthenticationError>).headers;
    expect(h.get("x-request-id")).toMatch(UUID);
    expect(h.get("x-ratelimit-limit-requests")).toBeNull();
  });

  it("404 and 405 JSON, feedback and generate answers all carry x-request-id", async () => {
    const auth = { authorization: `Bearer ${KEYS.app}`, "content-type": "application/json" };
    const responses = await Promise.all([
      fetch(`${world.url}/api/llm/v1/nothing-here`),
      fetch(`${world.url}/api/llm/v1/models`, { method: "DELETE" }),
      fetch(`${world.url}/api/llm/feedback`, { method: "POST", headers: auth, body: JSON.stringify({ request_id: "00000000-0000-4000-8000-000000000001", quality_score: 3 }) }),
      fetch(`${world.url}/api/llm/generate`, { method: "POST", headers: auth, body: JSON.stringify({ action: "classify", prompt: "hello" }) }),
      fetch(`${world.url}/api/llm/generate`, { method: "POST", headers: auth, body: "{not json" }),
    ]);
    expect(responses.map((r) => r.status)).toEqual([404, 405, 404, 200, 400]);
    for (const r of responses) {
      expect(r.headers.get("x-request-id")).toMatch(UUID);
      await r.arrayBuffer();
    }
    // After key authentication the rate headers come too, errors included.
    for (const r of responses.slice(2)) expectRateHeaders(r.headers, DEFAULT_LIMIT);
    const generated = responses[3]!;
    expect(generated.headers.get("x-request-id")).toMatch(UUID);
  });

  it("metrics and the routes only Next serves (health, openapi.json) carry x-request-id", async () => {
    const metrics = await handleMetrics(new Request("http://127.0.0.1/api/metrics"));
    expect(metrics.headers.get("x-request-id")).toMatch(UUID);
    for (const path of ["/api/llm/health", "/api/llm/openapi.json"]) {
      const res = await proxy(new NextRequest(`http://127.0.0.1${path}`));
      expect(res.headers.get("x-request-id")).toMatch(UUID);
      expect(res.status).toBe(200);
    }
  });
});
