import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/metrics/route";
import { resetEnvCache } from "@/lib/env";
import { serviceDb } from "@/lib/db/service";
import { runtime } from "@/lib/gateway/runtime";
import { KEYS, flushed, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";

/**
 * Issue 9 item 14: the whole /api/metrics exposition, scraped over HTTP from a gateway that has
 * served real calls (so every family has samples), passes `promtool check metrics` (Debian
 * package `prometheus`, installed by .ci/run). Without promtool: fails under CI=true, else skips
 * and says why.
 */
function findPromtool(): string | null {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "promtool");
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return null;
}

const promtool = findPromtool();
if (!promtool) {
  if (process.env.CI === "true") throw new Error("promtool is missing: .ci/run installs it with the apt package `prometheus`");
  console.warn("[metrics-promtool] skipped: promtool not found on PATH (apt-get install --no-install-recommends prometheus)");
}

const TOKEN = "metrics-promtool-token-0123456789";

describe.skipIf(!promtool)("the /api/metrics exposition passes promtool check metrics", () => {
  let world: GatewayWorld;
  let scrapeServer: http.Server;
  let scrapeUrl: string;

  const call = (key: string, body: object) =>
    fetch(`${world.url}/api/llm/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: "auto", messages: [{ role: "user", content: "hi" }], ...body }),
    });

  beforeAll(async () => {
    world = await startGatewayWorld({ name: "pglite" });
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("METRICS_TOKEN", TOKEN);
    resetEnvCache();

    // An action on a model with no price anywhere: an unpriced call.
    const db = await serviceDb();
    const unpriced = await db.insertInto("llm_models")
      .values({ provider_id: (await db.selectFrom("llm_models").select("provider_id").where("id", "=", world.ids.primaryModel).executeTakeFirstOrThrow()).provider_id, model_code: "unpriced-edges-model", display_name: "unpriced" })
      .returning("id").executeTakeFirstOrThrow();
    await db.insertInto("llm_configurations").values({ app_id: world.ids.app, action_type: "unpriced", model_id: unpriced.id, priority: 100 }).execute();
    await runtime().config.reload();

    const ok = await call(KEYS.app, { metadata: { action: "classify", organization: "acme" } });
    expect(ok.status).toBe(200);
    expect((await call(KEYS.app, { metadata: { action: "unpriced", organization: "acme" } })).status).toBe(200);
    // The primary fails (every retry): the backup answers, a fallback.
    world.primary.script(...Array.from({ length: 4 }, () => ({ kind: "status" as const, status: 500 })));
    const fell = await call(KEYS.app, { metadata: { action: "classify", organization: "acme" } });
    expect(fell.status).toBe(200);
    expect(fell.headers.get("x-llm-provider")).toBe("backup");
    world.primary.reset();
    expect((await call(KEYS.revoked, { metadata: { action: "classify" } })).status).toBe(401);
    // A EUR budget against USD prices with no exchange rate: refused and counted, never ignored.
    await db.insertInto("organizations").values({ slug: "eur-budget", name: "EUR budget", monthly_budget: "100", budget_currency: "EUR", budget_policy: "block" }).execute();
    await runtime().config.reload();
    expect((await call(KEYS.app, { metadata: { action: "classify", organization: "eur-budget" } })).status).toBe(422);
    await flushed();

    scrapeServer = http.createServer((req, res) => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      void GET(new Request(`http://127.0.0.1${req.url ?? "/"}`, { headers })).then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => scrapeServer.listen(0, "127.0.0.1", resolve));
    scrapeUrl = `http://127.0.0.1:${(scrapeServer.address() as AddressInfo).port}/api/metrics`;
  });

  afterAll(async () => {
    if (scrapeServer) await new Promise<void>((resolve) => scrapeServer.close(() => resolve()));
    await world?.close();
  });

  it("scrapes with the bearer token; every family has samples; promtool exits 0 without a line", async () => {
    expect((await fetch(scrapeUrl)).status).toBe(401);
    const res = await fetch(scrapeUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();

    // Ours, not the process metrics (whether a GC or an active request was seen depends on timing).
    const families = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => m[1]!).filter((f) => !f.startsWith("llmcp_process_"));
    expect(text).toContain("llmcp_process_process_cpu_user_seconds_total");
    expect(families.sort()).toEqual([
      "llmcp_budget_unconvertible_total", "llmcp_draining", "llmcp_recorder_accepting", "llmcp_recorder_storage_writable",
      "llmcp_fallbacks_total", "llmcp_gateway_overhead_seconds", "llmcp_llm_calls_total", "llmcp_llm_cost_total",
      "llmcp_llm_tokens_total", "llmcp_llm_unpriced_calls_total", "llmcp_provider_circuit_state", "llmcp_recorder_pending",
      "llmcp_recorder_spool_depth", "llmcp_request_duration_seconds", "llmcp_request_errors_total", "llmcp_upstream_duration_seconds",
    ].sort());
    const sampled = new Set(text.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(l)![0]));
    const withoutSamples = families.filter((f) => ![f, `${f}_bucket`, `${f}_sum`, `${f}_count`].some((n) => sampled.has(n)));
    expect(withoutSamples).toEqual([]);

    const check = spawnSync(promtool!, ["check", "metrics"], { input: text, encoding: "utf8", timeout: 30_000 });
    expect({ status: check.status, output: `${check.stdout}${check.stderr}`.trim() }).toEqual({ status: 0, output: "" });
  });
});
