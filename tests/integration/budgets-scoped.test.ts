import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/lib/db/service";
import { estimateCost, estimateTokens } from "@/lib/engine/budget";
import { Dec } from "@/lib/engine/price";
import { resolveRoute } from "@/lib/engine/resolve";
import type { CallContext } from "@/lib/gateway/context";
import { runtime } from "@/lib/gateway/runtime";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";
import { gatewayTargets } from "@/tests/helpers/databases";
import { startGatedUpstream, until } from "./gateway/gated-upstream";

/**
 * Budgets per organization × app, per API key and per day (issue 13) on a real gateway and a real
 * database: N concurrent calls against a budget with headroom for K reach the provider K times
 * (the others get a 429 naming the budget, and keep their ledger row); the tightest of several
 * budgets decides; the organization's monthly budget stays mirrored in organizations; a daily
 * window starts at the reporting time zone's midnight, not UTC's.
 */

const targets = gatewayTargets();
const MESSAGES = [{ role: "user", content: "Classify this work order please." }];
const MAX_TOKENS = 1000;

describe.each(targets)("budgets per app, key and day on $name", (target) => {
  let world: GatewayWorld;
  let gate: Awaited<ReturnType<typeof startGatedUpstream>>;
  let acmeKeyId: string;

  const chat = () =>
    fetch(`${world.url}/api/llm/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEYS.pinnedAcme}` },
      body: JSON.stringify({ model: "auto", messages: MESSAGES, max_tokens: MAX_TOKENS, metadata: { action: "classify" } }),
    });

  async function estimateUsd(): Promise<Dec> {
    const { snapshot } = await runtime().config.get();
    const tokens = estimateTokens({ messages: MESSAGES, max_tokens: MAX_TOKENS }, { temperature: 0.1 }, 1024);
    return estimateCost(snapshot, world.ids.primaryModel, tokens, Date.now())!.amount;
  }

  async function resetBudgets(): Promise<void> {
    await flushed();
    const db = await serviceDb();
    await db.deleteFrom("budgets").execute();
    await db.deleteFrom("budget_reservations").execute();
    await db.deleteFrom("budget_counters").execute();
    await db.deleteFrom("llm_calls").where("organization_id", "=", world.ids.acme).execute();
  }

  async function addBudget(values: { app_id?: string; api_key_id?: string; period: "month" | "day"; amount: string; policy: "alert" | "block" | "downgrade" }) {
    const db = await serviceDb();
    const row = await db.insertInto("budgets").values({ organization_id: world.ids.acme, currency: "USD", ...values }).returning("id").executeTakeFirstOrThrow();
    await runtime().config.reload();
    return row.id;
  }

  /** Fires n calls at once with the upstream held; resolves once each reached it or was refused. */
  async function burst(n: number) {
    gate.hold();
    const before = gate.arrived;
    const answers: { status: number; body: string }[] = [];
    const calls = Array.from({ length: n }, () => chat().then(async (res) => answers.push({ status: res.status, body: await res.text() })));
    await until(() => gate.arrived - before + answers.length === n, "every call decided");
    const reached = gate.arrived - before;
    gate.release();
    await Promise.all(calls);
    return { reached, answers };
  }

  beforeAll(async () => {
    world = await startGatewayWorld(target);
    gate = await startGatedUpstream();
    const db = await serviceDb();
    await db.updateTable("llm_providers").set({ base_url: `${gate.origin}/v1`, timeout_ms: 60_000, max_retries: 0 }).where("code", "=", "primary").execute();
    acmeKeyId = (await db.selectFrom("api_keys").select("id").where("organization_id", "=", world.ids.acme).executeTakeFirstOrThrow()).id;
    // The bursts exceed the default 20 calls in flight per key: only the budgets may refuse here.
    await db.updateTable("api_keys").set({ max_concurrent: 500, rate_limit_per_minute: 100_000 }).where("id", "=", acmeKeyId).execute();
    await runtime().config.reload();
  }, 120_000);

  afterAll(async () => {
    await gate?.close();
    await world?.close();
  });

  it("mirrors the organization's monthly budget both ways", async () => {
    const db = await serviceDb();
    await db.updateTable("organizations").set({ monthly_budget: "12.5", budget_currency: "EUR", budget_policy: "block" }).where("id", "=", world.ids.acme).execute();
    const mirrored = await db.selectFrom("budgets").select(["period", "amount", "currency", "policy", "app_id", "api_key_id"])
      .where("organization_id", "=", world.ids.acme).execute();
    expect(mirrored.map((b) => ({ ...b, amount: new Dec(b.amount).toFixed() }))).toEqual([
      { period: "month", amount: "12.5", currency: "EUR", policy: "block", app_id: null, api_key_id: null },
    ]);
    await db.updateTable("budgets").set({ amount: "20", policy: "alert" }).where("organization_id", "=", world.ids.acme).execute();
    const org = await db.selectFrom("organizations").select(["monthly_budget", "budget_policy"]).where("id", "=", world.ids.acme).executeTakeFirstOrThrow();
    expect([new Dec(org.monthly_budget!).toFixed(), org.budget_policy]).toEqual(["20", "alert"]);
    await db.deleteFrom("budgets").where("organization_id", "=", world.ids.acme).execute();
    expect((await db.selectFrom("organizations").select("monthly_budget").where("id", "=", world.ids.acme).executeTakeFirstOrThrow()).monthly_budget).toBeNull();
  });

  it("an app budget admits only its headroom of a burst: 30 concurrent calls, headroom for 4", async () => {
    await resetBudgets();
    const est = await estimateUsd();
    await addBudget({ app_id: world.ids.app, period: "month", amount: est.times(4).toFixed(), policy: "block" });
    const { reached, answers } = await burst(30);
    expect(reached).toBe(4);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(26);
    expect(refused[0]!.body).toContain("monthly app budget acme × wb");
    expect(answers.filter((a) => a.status === 200)).toHaveLength(4);
    // Refused calls keep their ledger row, naming the budget; every row carries the key.
    await flushed();
    const db = await serviceDb();
    const rows = await db.selectFrom("llm_calls").select(["error_type", "api_key_id", "trace"]).where("organization_id", "=", world.ids.acme).execute();
    expect(rows.filter((r) => r.error_type === "budget_exceeded")).toHaveLength(26);
    expect(rows.every((r) => r.api_key_id === acmeKeyId)).toBe(true);
    expect(JSON.stringify(rows.find((r) => r.error_type === "budget_exceeded")!.trace)).toContain("monthly app budget acme × wb");
  });

  it("a key's daily budget admits its headroom of a burst: 20 concurrent calls, headroom for 3", async () => {
    await resetBudgets();
    const est = await estimateUsd();
    await addBudget({ api_key_id: acmeKeyId, period: "day", amount: est.times(3).toFixed(), policy: "block" });
    const { reached, answers } = await burst(20);
    expect(reached).toBe(3);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(17);
    expect(answers.find((a) => a.status === 429)!.body).toContain("daily API key budget");
  });

  it("the tightest budget decides: a nearly spent alert budget admits what a roomier block budget would refuse too", async () => {
    await resetBudgets();
    const est = await estimateUsd();
    // Both over for the next call; the key budget (alert) has less headroom than the app budget (block).
    const db = await serviceDb();
    await db.insertInto("llm_calls").values({
      request_id: randomUUID(), created_at: new Date(), app_id: world.ids.app, organization_id: world.ids.acme, api_key_id: acmeKeyId,
      status: "ok", cost: est.times(10).toFixed(), currency: "USD", pricing_source: "database", total_tokens: 10,
    }).execute();
    await addBudget({ app_id: world.ids.app, period: "month", amount: est.times("10.5").toFixed(), policy: "block" });
    await addBudget({ api_key_id: acmeKeyId, period: "day", amount: est.times(2).toFixed(), policy: "alert" });
    gate.release();
    const admitted = await chat();
    expect(admitted.status).toBe(200);
    await admitted.text();
    // The key budget raised to be roomy: the app budget (block) is now the tightest, and refuses.
    await db.updateTable("budgets").set({ amount: est.times(100).toFixed() }).where("api_key_id", "=", acmeKeyId).execute();
    await runtime().config.reload();
    const refused = await chat();
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain("monthly app budget acme × wb");
  });

  it("an exhausted app budget with policy downgrade moves the call to the cheapest configured model", async () => {
    await resetBudgets();
    const db = await serviceDb();
    await db.insertInto("llm_calls").values({
      request_id: randomUUID(), created_at: new Date(), app_id: world.ids.app, organization_id: world.ids.acme,
      status: "ok", cost: "3", currency: "USD", pricing_source: "database", total_tokens: 10,
    }).execute();
    await addBudget({ app_id: world.ids.app, period: "month", amount: "2", policy: "downgrade" });
    gate.release();
    // "draft" routes to backup-model (1.00 / 2.00 per Mtok); the app's cheapest is primary-model (0.15 / 0.60).
    const res = await fetch(`${world.url}/api/llm/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEYS.pinnedAcme}` },
      body: JSON.stringify({ model: "auto", messages: MESSAGES, max_tokens: 50, metadata: { action: "draft" } }),
    });
    expect(res.status).toBe(200);
    await res.text();
    await flushed();
    const row = await db.selectFrom("llm_calls").select(["model_code", "routing_source", "trace"])
      .where("organization_id", "=", world.ids.acme).where("action_type", "=", "draft").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ model_code: "primary-model", routing_source: "budget_downgrade" });
    expect(JSON.stringify(row.trace)).toContain("monthly app budget acme × wb");
  });

  it("a daily window starts at the reporting time zone's midnight", async () => {
    await resetBudgets();
    const db = await serviceDb();
    await db.insertInto("app_configuration").values({ key: "reporting.time_zone", scope: "global", value_type: "string", value: JSON.stringify("Asia/Tokyo") }).execute();
    // 5 USD at 23:30 in Tokyo on Dec 7 (14:30 UTC); a daily budget of 6 USD.
    await db.insertInto("llm_calls").values({
      request_id: randomUUID(), created_at: new Date("2026-12-07T14:30:00Z"), app_id: world.ids.app, organization_id: world.ids.acme,
      status: "ok", cost: "5", currency: "USD", pricing_source: "database", total_tokens: 10,
    }).execute();
    await addBudget({ app_id: world.ids.app, period: "day", amount: "6", policy: "block" });
    const state = await runtime().config.get();
    const org = state.snapshot.organizationsById.get(world.ids.acme)!;
    const app = state.snapshot.appsById.get(world.ids.app)!;
    const key = [...state.keys.values()].find((k) => k.id === acmeKeyId)!;
    const ctx: CallContext = {
      requestId: randomUUID(), receivedAt: Date.now(), key, app, organization: org, actionType: "classify", explicitModel: null, metadata: {},
    };
    // A call estimated at about 2 USD: the request is sized so.
    const admitAt = async (iso: string) => {
      const at = Date.parse(iso);
      const decision = resolveRoute(state.snapshot, { appId: app.id, organizationId: org.id, actionType: "classify", queryText: "x", explicitModel: null, budget: null, at });
      if (!decision.ok) throw new Error(decision.message);
      return runtime().scopedBudgets.admit({ snapshot: state.snapshot, ctx, decision, request: { messages: MESSAGES, max_tokens: 2_000_000 }, at });
    };
    const perCall = estimateCost(state.snapshot, world.ids.primaryModel, estimateTokens({ messages: MESSAGES, max_tokens: 2_000_000 }, {}, 1024), Date.now())!.amount;
    expect(perCall.gt(1) && perCall.lte(6)).toBe(true);
    // 23:50 Tokyo, same day as the 5 USD: over. 00:10 Tokyo the next day (still Dec 7 in UTC): a fresh window.
    const late = await admitAt("2026-12-07T14:50:00Z");
    expect(late).toMatchObject({ ok: false, error: "budget_exceeded" });
    const next = await admitAt("2026-12-07T15:10:00Z");
    expect(next.ok).toBe(true);
    if (next.ok) next.leases.forEach((l) => l.settle());
    const counters = await db.selectFrom("budget_counters").select([sql<string>`month::text`.as("start"), "spent"]).orderBy("month").execute();
    expect(counters.map((c) => [c.start, new Dec(c.spent).toFixed()])).toEqual([["2026-12-07", "5"], ["2026-12-08", "0"]]);
    await db.deleteFrom("app_configuration").where("key", "=", "reporting.time_zone").execute();
  });
});
