import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handleMetrics } from "@/lib/gateway/handlers/metrics";
import { KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";

/** GET /api/metrics after real calls: Prometheus text with the seeds' buckets, JSON, and its token. */
describe("gateway metrics", () => {
  let world: GatewayWorld;

  beforeAll(async () => {
    world = await startGatewayWorld({ name: "pglite" });
    const body = { model: "auto", messages: [{ role: "user", content: "hi" }], metadata: { action: "classify", organization: "acme" } };
    const res = await fetch(`${world.url}/api/llm/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEYS.app}` },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await world?.close();
  });

  it("exposes calls, tokens, cost, latency and overhead histograms with the 10 ms … 10 s buckets", async () => {
    const text = await (await handleMetrics(new Request("http://localhost/api/metrics"))).text();
    expect(text).toMatch(/llmcp_llm_calls_total\{app="wb",provider="primary",model="primary-model",status="ok"\} 1/);
    expect(text).toMatch(/llmcp_llm_tokens_total\{app="wb",provider="primary",model="primary-model",kind="prompt"\} 12/);
    expect(text).toMatch(/llmcp_llm_cost_total\{organization="acme",currency="USD"\} /);
    for (const le of ["10", "25", "50", "100", "250", "500", "1000", "2500", "5000", "10000"]) {
      expect(text).toContain(`llmcp_gateway_overhead_ms_bucket{le="${le}",route="chat_completions"}`);
    }
    expect(text).toContain("llmcp_recorder_spool_depth 0");
    expect(text).not.toContain("SECRET");
  });

  it("answers JSON with ?format=json", async () => {
    const res = await handleMetrics(new Request("http://localhost/api/metrics?format=json"));
    const json = (await res.json()) as { name: string }[];
    expect(json.map((m) => m.name)).toContain("llmcp_request_duration_ms");
  });

  it("requires the bearer METRICS_TOKEN when one is set", async () => {
    vi.stubEnv("METRICS_TOKEN", "metrics-token-0123456789");
    expect((await handleMetrics(new Request("http://localhost/api/metrics"))).status).toBe(401);
    const wrong = new Request("http://localhost/api/metrics", { headers: { authorization: "Bearer nope" } });
    expect((await handleMetrics(wrong)).status).toBe(401);
    const right = new Request("http://localhost/api/metrics", { headers: { authorization: "Bearer metrics-token-0123456789" } });
    expect((await handleMetrics(right)).status).toBe(200);
    vi.stubEnv("METRICS_TOKEN", "");
  });
});
