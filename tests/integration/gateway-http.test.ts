import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/lib/db/service";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";
import { gatewayTargets } from "@/tests/helpers/databases";

/**
 * The gateway's HTTP contract beyond the happy path: every malformed or unauthorised request gets
 * a clear 4xx JSON error (never a 500), configuration changes apply within a second without a
 * restart, budgets block, and feedback is attributed from the ledger.
 */
// PGlite, PostgreSQL, and PostgreSQL through PgBouncer (transaction mode) when TEST_PGBOUNCER_URL is set.
const targets = gatewayTargets({ pooler: true });
const CHAT = "/api/llm/v1/chat/completions";
const ok = { model: "auto", messages: [{ role: "user", content: "hello" }], metadata: { action: "classify", organization: "acme" } };

describe.each(targets)("gateway HTTP contract on $name", (target) => {
  let world: GatewayWorld;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}, key: string | null = KEYS.app) =>
    fetch(`${world.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    world = await startGatewayWorld(target);
  });
  afterAll(async () => {
    await world?.close();
  });

  const cases: { name: string; body: unknown; key?: string | null; headers?: Record<string, string>; status: number; type: string; message: RegExp }[] = [
    { name: "no API key", body: ok, key: null, status: 401, type: "authentication_error", message: /Missing API key/ },
    { name: "an unknown API key", body: ok, key: "llmcp_nope_nope_nope_nope", status: 401, type: "authentication_error", message: /Invalid API key/ },
    { name: "a revoked API key", body: ok, key: KEYS.revoked, status: 401, type: "authentication_error", message: /revoked/ },
    { name: "malformed JSON", body: "{\"model\": ", status: 400, type: "invalid_request_error", message: /not valid JSON/ },
    { name: "a JSON array", body: "[1]", status: 400, type: "invalid_request_error", message: /JSON object/ },
    { name: "messages of the wrong type", body: { model: "auto", messages: "hi" }, status: 400, type: "invalid_request_error", message: /^messages: / },
    { name: "a temperature out of range", body: { ...ok, temperature: 7 }, status: 400, type: "invalid_request_error", message: /^temperature: / },
    { name: "model auto without an action", body: { ...ok, metadata: { organization: "acme" } }, status: 400, type: "invalid_request_error", message: /metadata\.action/ },
    { name: "an unknown action", body: { ...ok, metadata: { action: "nope", organization: "acme" } }, status: 400, type: "invalid_request_error", message: /Unknown action "nope"/ },
    { name: "an unknown model", body: { ...ok, model: "gpt-9" }, status: 400, type: "invalid_request_error", message: /Unknown model or action "gpt-9"/ },
    { name: "an unknown organization", body: { ...ok, metadata: { action: "classify", organization: "globex" } }, status: 400, type: "invalid_request_error", message: /Unknown organization "globex"/ },
    { name: "a pinned key acting for another organization", body: { ...ok, metadata: { action: "classify", organization: "wvc" } }, key: KEYS.pinnedAcme, status: 403, type: "permission_error", message: /pinned to organization "acme"/ },
    { name: "an invalid metadata header", body: { ...ok, metadata: undefined }, headers: { "x-llm-action": "Not An Action" }, status: 400, type: "invalid_request_error", message: /metadata\.action/ },
    { name: "a non-JSON content type", body: "hello", headers: { "content-type": "text/plain" }, status: 415, type: "invalid_request_error", message: /application\/json/ },
    { name: "an oversize body", body: { ...ok, messages: [{ role: "user", content: "x".repeat(5 * 1024 * 1024) }] }, status: 413, type: "request_too_large", message: /larger than/ },
    { name: "a budget that is spent (policy block)", body: { ...ok, metadata: { action: "classify", organization: "tight" } }, status: 429, type: "budget_exceeded", message: /budget/i },
  ];

  for (const c of cases) {
    it(`refuses ${c.name} with ${c.status}`, async () => {
      const res = await post(CHAT, c.body, c.headers ?? {}, c.key === undefined ? KEYS.app : c.key);
      expect(res.status).toBe(c.status);
      const body = (await res.json()) as { error: { type: string; message: string } };
      expect(body.error.type).toBe(c.type);
      expect(body.error.message).toMatch(c.message);
    });
  }

  it("records budget alerts at 80 % and 100 % for an organization over its budget, once", async () => {
    for (let i = 0; i < 2; i++) await (await post(CHAT, { ...ok, metadata: { action: "classify", organization: "tight" } })).arrayBuffer();
    const db = await serviceDb();
    for (let i = 0; i < 50; i++) {
      const rows = await db.selectFrom("budget_alerts").select(["threshold_pct", "currency", "policy"]).where("organization_id", "=", world.ids.tight).orderBy("threshold_pct").execute();
      if (rows.length === 2) {
        expect(rows).toEqual([
          { threshold_pct: 80, currency: "USD", policy: "block" },
          { threshold_pct: 100, currency: "USD", policy: "block" },
        ]);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error("budget alerts were not recorded");
  });

  it("limits a key's requests per minute with 429 and Retry-After", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 3; i++) {
      const res = await post(CHAT, ok, {}, KEYS.limited);
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
      await res.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it("routes the next call by a configuration change made in the database, within a second", async () => {
    const before = await post(CHAT, ok);
    expect(before.headers.get("x-llm-model")).toBe("primary-model");
    const db = await serviceDb();
    await db.updateTable("llm_configurations").set({ model_id: world.ids.backupModel, fallback_model_ids: [] }).where("id", "=", world.ids.config).execute();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = await post(CHAT, ok);
    expect(after.headers.get("x-llm-model")).toBe("backup-model");
    await db.updateTable("llm_configurations").set({ model_id: world.ids.primaryModel, fallback_model_ids: [world.ids.backupModel] }).where("id", "=", world.ids.config).execute();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const restored = await post(CHAT, ok);
    expect(restored.headers.get("x-llm-model")).toBe("primary-model");
  });

  it("answers /generate with text, usage, exact cost, the routing decision and its trace", async () => {
    const res = await post("/api/llm/generate", { action: "classify", organization: "acme", prompt: "Classify: leaking tap", explain: true, metadata: { pipeline_stage: "intake", request_type: "classify" } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      text: expect.any(String), provider: "primary", organization: "acme", currency: "USD", pricing_source: "database",
      usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 }, routing: { source: "configuration", attempts: 1 },
    });
    expect(body.cost).toMatch(/^0\.\d+$/);
    expect(body.routing.trace.length).toBeGreaterThan(0);
    expect(body.request_id).toBe(res.headers.get("x-request-id"));
  });

  it("takes feedback for an answered request, copying its attribution, and 404s an unknown one", async () => {
    const gen = await (await post("/api/llm/generate", { action: "classify", organization: "acme", prompt: "hi" })).json();
    const res = await post("/api/llm/feedback", { request_id: gen.request_id, quality_score: 5, is_correct: true });
    expect(res.status).toBe(201);
    await flushed();
    const db = await serviceDb();
    const row = await db.selectFrom("production_feedback").selectAll().where("request_id", "=", gen.request_id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ organization_id: world.ids.acme, model_code: "primary-model", action_type: "classify", quality_score: 5, source: "api" });

    const unknown = await post("/api/llm/feedback", { request_id: "00000000-0000-4000-8000-000000000123", quality_score: 3 });
    expect(unknown.status).toBe(404);
    const bad = await post("/api/llm/feedback", { request_id: gen.request_id, quality_score: 9 });
    expect(bad.status).toBe(400);
    const scope = await post("/api/llm/feedback", { request_id: gen.request_id, quality_score: 3 }, {}, KEYS.noFeedback);
    expect(scope.status).toBe(403);
  });

  it("notes when a key was last used, in a batch", async () => {
    await (await post(CHAT, ok, {}, KEYS.pinnedAcme)).arrayBuffer();
    const { runtime } = await import("@/lib/gateway/runtime");
    await runtime().config.flushKeyUse();
    const db = await serviceDb();
    const rows = await db.selectFrom("api_keys").select(["name", "last_used_at"]).where("name", "=", KEYS.pinnedAcme).execute();
    expect(rows[0]?.last_used_at).toBeInstanceOf(Date);
    // Using a key is not a configuration change: no audit row for it.
    const audit = await db.selectFrom("audit_log").select("id").where("table_name", "=", "api_keys").where("action", "=", "update").execute();
    expect(audit).toHaveLength(0);
  });

  it("never puts a provider key in a response, even when the upstream echoes it", async () => {
    world.primary.script(
      { kind: "status", status: 401, message: "Incorrect API key provided: sk-primary-SECRET-0123456789" },
    );
    world.backup.script({ kind: "status", status: 401, message: "bad key Bearer sk-backup-SECRET-0123456789" });
    const res = await post(CHAT, ok);
    const text = await res.text();
    expect(res.status).toBe(502);
    expect(text).not.toContain("SECRET");
  });
});
