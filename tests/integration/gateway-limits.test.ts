import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createHash } from "node:crypto";
import { serviceDb } from "@/lib/db/service";
import { runtime } from "@/lib/gateway/runtime";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";

/**
 * Issue 9, items 5 and 6, against a real gateway on loopback: a key without its own limit runs
 * under the typed default (never unlimited), a per-key cap on concurrent calls that a call holds
 * until its response ends, provider 429s answered as 429 with the longest upstream Retry-After,
 * and a ledger row for every call refused after authentication (rate limit, concurrency cap,
 * budget, every circuit open) with the x-request-id the client was given.
 */
const adminUrl = inject("pgAdminUrl");
const targets = [{ name: "pglite" }, ...(adminUrl ? [{ name: "postgres", adminUrl }] : [])];
const CHAT = "/api/llm/v1/chat/completions";
const body = (organization?: string, extra: object = {}) => ({
  model: "auto", messages: [{ role: "user", content: "hello" }], metadata: { action: "classify", ...(organization ? { organization } : {}) }, ...extra,
});

/** Waits for a condition, bounded: fails the test instead of hanging. */
async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(targets)("gateway limits and refused calls on $name", (target) => {
  let world: GatewayWorld;
  const post = (key: string, payload: unknown, init: RequestInit = {}) =>
    fetch(`${world.url}${CHAT}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify(payload),
      ...init,
    });

  /** A new key of the world's app; the gateway's configuration is reloaded so it is known. */
  async function addKey(name: string, extra: { organization_id?: string; rate_limit_per_minute?: number; max_concurrent?: number } = {}) {
    const plaintext = `llmcp_limits_${name.padEnd(20, "0")}`;
    const db = await serviceDb();
    const row = await db.insertInto("api_keys")
      .values({ app_id: world.ids.app, name, prefix: plaintext.slice(0, 12), key_hash: createHash("sha256").update(plaintext).digest("hex"), scopes: ["llm"], ...extra })
      .returning("id").executeTakeFirstOrThrow();
    await runtime().config.reload();
    return { key: plaintext, id: row.id };
  }

  async function ledger(requestId: string | null) {
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await flushed();
    const db = await serviceDb();
    return db.selectFrom("llm_calls").selectAll().where("request_id", "=", requestId!).orderBy("attempt").execute();
  }

  /** The one row a refused call gets: failed, no provider, usage zero, cost null. */
  async function expectRefusalRow(res: Response, errorType: string, extra: Record<string, unknown> = {}) {
    const rows = await ledger(res.headers.get("x-request-id"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      attempt: 1, status: "failed", error_type: errorType, http_status: res.status, app_id: world.ids.app,
      provider_code: null, model_code: null, total_tokens: 0, prompt_tokens: 0, completion_tokens: 0, cost: null, record_complete: false,
      ...extra,
    });
  }

  beforeAll(async () => {
    world = await startGatewayWorld(target);
  });
  afterAll(async () => {
    await world?.close();
  });

  it("a key without its own limit runs under gateway.default_rate_limit_per_minute, and its refusals are recorded", async () => {
    const db = await serviceDb();
    await db.insertInto("app_configuration")
      .values({ key: "gateway.default_rate_limit_per_minute", scope: "organization", organization_id: world.ids.acme, value_type: "int", value: JSON.stringify(5) })
      .execute();
    const { key } = await addKey("default-limited", { organization_id: world.ids.acme });
    const statuses: number[] = [];
    let refused: Response | null = null;
    for (let i = 0; i < 6; i++) {
      const res = await post(key, body());
      statuses.push(res.status);
      if (res.status === 429) refused = res;
      await res.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const retryAfter = Number(refused!.headers.get("retry-after"));
    // The earliest whole second the sliding window admits again (rate-limit.test.ts proves a
    // client waiting exactly this long is admitted): at least 1, within the next minute.
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(120);
    // Refused before the body was read: the key's app and pinned organization only.
    await expectRefusalRow(refused!, "rate_limited_key", { organization_id: world.ids.acme, action_type: null });
    // Other keys keep the global default (600/min).
    const other = await post(KEYS.app, body("acme"));
    expect(other.status).toBe(200);
  });

  it("caps a key's concurrent calls with a slow upstream: 429, retry-after 1, a ledger row; a finished call frees its slot", async () => {
    const { key } = await addKey("two-at-once", { max_concurrent: 2 });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    world.primary.reset();
    world.primary.script({ kind: "gate", until: gate }, { kind: "gate", until: gate });
    const inFlight = [post(key, body("acme")), post(key, body("acme"))];
    await until(() => world.primary.requests.length === 2, "two calls at the upstream");
    const third = await post(key, body("acme"));
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBe("1");
    const err = (await third.json()) as { error: { type: string; message: string } };
    expect(err.error.type).toBe("rate_limit_error");
    expect(err.error.message).toMatch(/at most 2 may be in flight/);
    // An unpinned key's refusal before the body is read has no organization.
    await expectRefusalRow(third, "concurrency_limited", { organization_id: null, action_type: null });
    open();
    expect((await Promise.all(inFlight)).map((r) => r.status)).toEqual([200, 200]);
    const after = await post(key, body("acme"));
    expect(after.status).toBe(200);
  });

  it("a stream holds its slot until the client goes away", async () => {
    const { key, id } = await addKey("one-stream", { max_concurrent: 1 });
    world.primary.reset();
    world.primary.script({ kind: "stall", afterEvents: 1 });
    const abort = new AbortController();
    const stream = await post(key, body("acme", { stream: true }), { signal: abort.signal });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await reader.read();
    const refused = await post(key, body("acme"));
    expect(refused.status).toBe(429);
    await refused.arrayBuffer();
    abort.abort();
    await reader.cancel().catch(() => {});
    await until(() => runtime().concurrency.held(id) === 0, "the stream's slot to be released");
    const next = await post(key, body("acme"));
    expect(next.status).toBe(200);
  });

  it("provider 429s everywhere: 429 with the longest upstream Retry-After, without waiting it out", async () => {
    world.primary.reset();
    world.backup.reset();
    // Both ask for longer than the retry policy waits (10 s): each target is tried once.
    world.primary.script({ kind: "status", status: 429, headers: { "retry-after": "20" } });
    world.backup.script({ kind: "status", status: 429, headers: { "retry-after": "12" } });
    const res = await post(KEYS.app, body("acme"));
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("20");
    const err = (await res.json()) as { error: { type: string } };
    expect(err.error.type).toBe("rate_limit_error");
    expect(world.primary.requests).toHaveLength(1);
    expect(world.backup.requests).toHaveLength(1);
    const rows = await ledger(res.headers.get("x-request-id"));
    expect(rows.map((r) => [r.provider_code, r.error_type, r.http_status])).toEqual([["primary", "rate_limited", 429], ["backup", "rate_limited", 429]]);
  });

  it("mixed provider failures stay 502", async () => {
    world.primary.reset();
    world.backup.reset();
    world.primary.script({ kind: "status", status: 429, headers: { "retry-after": "20" } });
    world.backup.script({ kind: "status", status: 500 }, { kind: "status", status: 500 });
    const res = await post(KEYS.app, body("acme"));
    expect(res.status).toBe(502);
    expect(res.headers.get("retry-after")).toBeNull();
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    // A success closes the circuits again for the next tests.
    world.primary.reset();
    world.backup.reset();
    expect((await post(KEYS.app, body("acme"))).status).toBe(200);
    expect((await post(KEYS.app, body("acme", { metadata: { action: "draft", organization: "acme" } }))).status).toBe(200);
  });

  it("a budget block (429) gets a ledger row with the call's attribution; completeness leaves it out", async () => {
    const res = await post(KEYS.app, body("tight", { metadata: { action: "classify", organization: "tight", pipeline_stage: "triage" } }));
    expect(res.status).toBe(429);
    await expectRefusalRow(res, "budget_exceeded", { organization_id: world.ids.tight, action_type: "classify", pipeline_stage: "triage" });
    const db = await serviceDb();
    const today = new Date().toISOString().slice(0, 10);
    // The error rate counts it (calls and failed_calls of the daily rollup, no provider)…
    const daily = await db.selectFrom("llm_call_daily").select(["calls", "failed_calls"])
      .where("organization_id", "=", world.ids.tight).where("provider_code", "is", null).where("pipeline_stage", "=", "triage")
      .where("day", "=", today).executeTakeFirstOrThrow();
    expect(Number(daily.failed_calls)).toBe(1);
    // …"incomplete records" does not: only the seeded call without a stage is there.
    const incomplete = await db.selectFrom("llm_call_incomplete_daily").select("calls")
      .where("organization_id", "=", world.ids.tight).where("day", "=", today).execute();
    expect(incomplete.reduce((n, r) => n + Number(r.calls), 0)).toBe(1);
  });

  it("every circuit open: 503 with x-request-id and one ledger row (circuit_open) with the routing trace", async () => {
    world.primary.reset();
    world.backup.reset();
    // Real upstream failures open both circuits (5 consecutive failures each; 2 tries per target per call).
    const failing = Array.from({ length: 6 }, () => ({ kind: "status" as const, status: 500 }));
    world.primary.script(...failing);
    world.backup.script(...failing);
    for (let i = 0; i < 3; i++) {
      const res = await post(KEYS.app, body("acme"));
      expect(res.status).toBe(502);
      await res.arrayBuffer();
    }
    const res = await post(KEYS.app, body("wvc", { metadata: { action: "classify", organization: "wvc" } }));
    // wvc's rule routes to premium-model on the primary provider, whose circuit is open too.
    expect(res.status).toBe(503);
    const err = (await res.json()) as { error: { type: string } };
    expect(err.error.type).toBe("service_unavailable");
    await expectRefusalRow(res, "circuit_open", { organization_id: world.ids.wvc, action_type: "classify" });
    const [row] = await ledger(res.headers.get("x-request-id"));
    expect(JSON.stringify(row!.trace)).toMatch(/circuit open for provider primary/);
  });

  it("puts x-request-id on errors before authentication too (no ledger row: the caller is unknown)", async () => {
    const res = await post("llmcp_nope_nope_nope_nope", body("acme"));
    expect(res.status).toBe(401);
    const rows = await ledger(res.headers.get("x-request-id"));
    expect(rows).toHaveLength(0);
  });
});
