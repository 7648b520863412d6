import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
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

  it("exposes calls, tokens, cost, latency and overhead histograms with the 10 ms … 10 s buckets (in seconds)", async () => {
    const text = await (await handleMetrics(new Request("http://localhost/api/metrics"))).text();
    expect(text).toMatch(/llmcp_llm_calls_total\{app="wb",provider="primary",model="primary-model",status="ok"\} 1/);
    expect(text).toMatch(/llmcp_llm_tokens_total\{app="wb",provider="primary",model="primary-model",kind="prompt"\} 12/);
    expect(text).toMatch(/llmcp_llm_cost_total\{organization="acme",currency="USD"\} /);
    for (const le of ["0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10"]) {
      expect(text).toContain(`llmcp_gateway_overhead_seconds_bucket{le="${le}",route="chat_completions"}`);
    }
    expect(text).toContain("llmcp_recorder_spool_depth 0");
    expect(text).not.toContain("SECRET");
  });

  it("answers JSON with ?format=json", async () => {
    const res = await handleMetrics(new Request("http://localhost/api/metrics?format=json"));
    const json = (await res.json()) as { name: string }[];
    expect(json.map((m) => m.name)).toContain("llmcp_request_duration_seconds");
  });

  const get = (headers: Record<string, string> = {}) => handleMetrics(new Request("http://localhost/api/metrics", { headers }));
  const withEnv = (vars: Record<string, string>) => {
    for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
    resetEnvCache();
  };
  const restore = () => withEnv({ METRICS_TOKEN: "", METRICS_PUBLIC: "", NODE_ENV: "test" });

  it("requires the bearer METRICS_TOKEN when one is set", async () => {
    withEnv({ METRICS_TOKEN: "metrics-token-0123456789" });
    expect((await get()).status).toBe(401);
    expect((await get({ authorization: "Bearer nope" })).status).toBe(401);
    expect((await get({ authorization: "Bearer metrics-token-012345678" })).status).toBe(401);
    expect((await get({ authorization: "Bearer metrics-token-0123456789" })).status).toBe(200);
    restore();
  });

  it("is closed in production without METRICS_TOKEN or METRICS_PUBLIC=true, and says how to open it", async () => {
    withEnv({ NODE_ENV: "production", METRICS_TOKEN: "", METRICS_PUBLIC: "" });
    const closed = await get({ authorization: "Bearer anything-at-all-0123" });
    expect(closed.status).toBe(403);
    expect(closed.headers.get("content-type")).toContain("application/json");
    const body = (await closed.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe("permission_error");
    expect(body.error.message).toContain("METRICS_TOKEN");
    expect(body.error.message).toContain("METRICS_PUBLIC=true");

    withEnv({ METRICS_PUBLIC: "true" });
    expect((await get()).status).toBe(200);

    withEnv({ METRICS_PUBLIC: "", METRICS_TOKEN: "metrics-token-0123456789" });
    expect((await get()).status).toBe(401);
    expect((await get({ authorization: "Bearer metrics-token-0123456789" })).status).toBe(200);
    restore();
  });
});
