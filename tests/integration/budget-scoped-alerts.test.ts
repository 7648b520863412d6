import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertScopedBudgetAlert } from "@/lib/db/budget-counters";
import { serviceDb } from "@/lib/db/service";
import { dayIn } from "@/lib/engine/date-range";
import { estimateCost, estimateTokens } from "@/lib/engine/budget";
import { Dec } from "@/lib/engine/price";
import { resolveRoute } from "@/lib/engine/resolve";
import { budgetWebhooksIdle } from "@/lib/finance/budget-webhooks";
import { scopedAlertRaiser } from "@/lib/gateway/budget-alerts";
import { ScopedBudgets } from "@/lib/gateway/budget-scoped";
import type { CallContext } from "@/lib/gateway/context";
import { runtime } from "@/lib/gateway/runtime";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";
import { gatewayTargets } from "@/tests/helpers/databases";
import { startGatedUpstream, until } from "./gateway/gated-upstream";

/**
 * Threshold alerts of budgets per app, per key and per day (issue 13) on a real gateway and a real
 * database: a burst of calls crossing 80 % and 100 % at once records exactly one row per
 * threshold, from one instance or two; a daily budget alerts again after the reporting time
 * zone's midnight; a key budget names its key; the webhook carries the budget's scope, name,
 * window and period.
 */

const targets = gatewayTargets();
const MESSAGES = [{ role: "user", content: "Classify this work order please." }];
const MAX_TOKENS = 1000;

interface Received {
  body: Record<string, unknown>;
}

async function startReceiver() {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      received.push({ body: JSON.parse(body) as Record<string, unknown> });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/budget`,
    received,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe.each(targets)("threshold alerts of app, key and daily budgets on $name", (target) => {
  let world: GatewayWorld;
  let gate: Awaited<ReturnType<typeof startGatedUpstream>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
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

  /** An amount as budgets.amount keeps it (numeric(20, 6)), rounded up. */
  const usd = (d: Dec) => d.toDecimalPlaces(6, Dec.ROUND_UP);

  async function resetBudgets(): Promise<void> {
    await flushed();
    await budgetWebhooksIdle();
    const db = await serviceDb();
    await db.deleteFrom("budget_alerts").execute();
    await db.deleteFrom("budgets").execute();
    await db.deleteFrom("budget_reservations").execute();
    await db.deleteFrom("budget_counters").execute();
    await db.deleteFrom("llm_calls").where("organization_id", "=", world.ids.acme).execute();
    receiver.received.length = 0;
  }

  async function addBudget(values: { app_id?: string; api_key_id?: string; period: "month" | "day"; amount: string; policy: "alert" | "block" | "downgrade" }) {
    const db = await serviceDb();
    const row = await db.insertInto("budgets").values({ organization_id: world.ids.acme, currency: "USD", ...values }).returning("id").executeTakeFirstOrThrow();
    await runtime().config.reload();
    return row.id;
  }

  const alertRows = async () =>
    (await serviceDb()).selectFrom("budget_alerts")
      .select(["budget_id", "scope", "budget_window", "target_name", sql<string>`month::text`.as("month"), sql<string | null>`day::text`.as("day"), "threshold_pct", sql<string>`spent::text`.as("spent"), "kind"])
      .where("organization_id", "=", world.ids.acme).orderBy("day").orderBy("threshold_pct").execute();

  /** Fires n calls at once with the upstream held; resolves once all were answered. */
  async function burst(n: number) {
    gate.hold();
    const before = gate.arrived;
    const answers: number[] = [];
    const calls = Array.from({ length: n }, () => chat().then(async (res) => { answers.push(res.status); await res.text(); }));
    await until(() => gate.arrived - before + answers.length === n, "every call decided");
    gate.release();
    await Promise.all(calls);
    return answers;
  }

  /** A call context and an admission at a given instant, on a ScopedBudgets of its own (another instance). */
  async function admitter(budgets: ScopedBudgets) {
    const state = await runtime().config.get();
    const org = state.snapshot.organizationsById.get(world.ids.acme)!;
    const app = state.snapshot.appsById.get(world.ids.app)!;
    const key = [...state.keys.values()].find((k) => k.id === acmeKeyId)!;
    const ctx: CallContext = { requestId: randomUUID(), receivedAt: Date.now(), key, app, organization: org, actionType: "classify", explicitModel: null, metadata: {} };
    return async (at: number) => {
      const decision = resolveRoute(state.snapshot, { appId: app.id, organizationId: org.id, actionType: "classify", queryText: "x", explicitModel: null, budget: null, at });
      if (!decision.ok) throw new Error(decision.message);
      const r = await budgets.admit({ snapshot: state.snapshot, ctx, decision, request: { messages: MESSAGES, max_tokens: MAX_TOKENS }, at });
      if (r.ok) r.leases.forEach((l) => l.settle());
      return r;
    };
  }

  /** A raiser as another gateway instance has it (its own memo), counting the inserts it finished. */
  function instanceRaiser() {
    const done: boolean[] = [];
    const failures: string[] = [];
    let started = 0;
    const raise = scopedAlertRaiser(() => ({
      insert: async (row) => {
        try {
          const inserted = await insertScopedBudgetAlert(await serviceDb(), row);
          done.push(inserted);
          return inserted;
        } catch (err) {
          done.push(false);
          throw err;
        }
      },
      delivered: () => undefined,
      log: (line) => void failures.push(line),
    }));
    return { done, failures, started: () => started, raise: (...args: Parameters<typeof raise>) => (started += raise(...args)) };
  }

  beforeAll(async () => {
    world = await startGatewayWorld(target);
    gate = await startGatedUpstream();
    receiver = await startReceiver();
    const db = await serviceDb();
    await db.updateTable("llm_providers").set({ base_url: `${gate.origin}/v1`, timeout_ms: 60_000, max_retries: 0 }).where("code", "=", "primary").execute();
    acmeKeyId = (await db.selectFrom("api_keys").select("id").where("organization_id", "=", world.ids.acme).executeTakeFirstOrThrow()).id;
    await db.updateTable("api_keys").set({ max_concurrent: 500, rate_limit_per_minute: 100_000 }).where("id", "=", acmeKeyId).execute();
    await db.insertInto("organization_webhooks").values({ organization_id: world.ids.acme, url: receiver.url }).execute();
    await runtime().config.reload();
  }, 120_000);

  afterAll(async () => {
    await budgetWebhooksIdle();
    await receiver?.close();
    await gate?.close();
    await world?.close();
  });

  it("an app's daily budget: 12 calls crossing 80 % and 100 % at once record exactly two alerts, and the webhook names the budget", async () => {
    await resetBudgets();
    const est = await estimateUsd();
    const amount = usd(est.times(10));
    const budgetId = await addBudget({ app_id: world.ids.app, period: "day", amount: amount.toFixed(), policy: "alert" });
    const answers = await burst(12);
    expect(answers.every((s) => s === 200)).toBe(true);
    await until(async () => receiver.received.length >= 2 && (await alertRows()).length >= 2, "two alerts delivered");
    // A second burst crosses both again: nothing new.
    expect((await burst(12)).every((s) => s === 200)).toBe(true);
    await budgetWebhooksIdle();

    const today = dayIn("UTC", new Date());
    const rows = await alertRows();
    expect(rows.map((r) => [r.kind, r.budget_id, r.scope, r.budget_window, r.target_name, r.month, r.day, r.threshold_pct])).toEqual([
      ["threshold", budgetId, "app", "day", "Werkbon", `${today.slice(0, 7)}-01`, today, 80],
      ["threshold", budgetId, "app", "day", "Werkbon", `${today.slice(0, 7)}-01`, today, 100],
    ]);
    // What crossed the line: spent + in flight + the crossing call's estimate, at or above the threshold.
    expect(new Dec(rows[0]!.spent).gte(amount.times("0.8"))).toBe(true);
    expect(new Dec(rows[1]!.spent).gte(amount)).toBe(true);

    expect(receiver.received).toHaveLength(2);
    const bodies = receiver.received.map((r) => r.body).sort((a, b) => Number(a.threshold_pct) - Number(b.threshold_pct));
    expect(bodies.map((b) => b.threshold_pct)).toEqual([80, 100]);
    for (const [i, b] of bodies.entries()) {
      expect(b).toEqual({
        type: "budget.threshold_crossed",
        organization: { id: world.ids.acme, slug: "acme", name: "Acme" },
        month: today.slice(0, 7),
        day: today,
        budget_id: budgetId,
        scope: "app",
        app_name: "Werkbon",
        window: "daily",
        period: today,
        amount: amount.toFixed(),
        threshold_pct: [80, 100][i],
        spent: new Dec(rows[i]!.spent).toFixed(),
        budget: amount.toFixed(),
        currency: "USD",
        policy: "alert",
        created_at: expect.any(String),
      });
    }
  });

  it("two instances admitting 24 calls at once: the database keeps one alert per threshold", async () => {
    await resetBudgets();
    const est = await estimateUsd();
    await addBudget({ app_id: world.ids.app, period: "month", amount: est.times(10).toFixed(), policy: "alert" });
    const a = instanceRaiser();
    const b = instanceRaiser();
    const one = new ScopedBudgets(serviceDb, { raiseAlerts: a.raise });
    const two = new ScopedBudgets(serviceDb, { raiseAlerts: b.raise });
    try {
      const [admitOne, admitTwo] = [await admitter(one), await admitter(two)];
      const at = Date.now();
      const results = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? admitOne : admitTwo)(at)));
      expect(results.every((r) => r.ok)).toBe(true);
      await until(() => a.done.length === a.started() && b.done.length === b.started(), "every insert finished");
    } finally {
      one.stop();
      two.stop();
    }
    // Each instance tried each threshold it saw at most once; the unique index let one of each through.
    expect(a.started() + b.started()).toBeGreaterThanOrEqual(2);
    expect([...a.done, ...b.done].filter(Boolean)).toHaveLength(2);
    expect([...a.failures, ...b.failures]).toEqual([]);
    const rows = await alertRows();
    expect(rows.map((r) => [r.scope, r.budget_window, r.day, r.threshold_pct])).toEqual([["app", "month", null, 80], ["app", "month", null, 100]]);
  });

  it("the same alert inserted by 20 writers at once is recorded once", async () => {
    await resetBudgets();
    const budgetId = await addBudget({ api_key_id: acmeKeyId, period: "day", amount: "5", policy: "block" });
    const db = await serviceDb();
    const row = { budgetId, organizationId: world.ids.acme, scope: "key" as const, window: "day" as const, month: "2026-12-01", day: "2026-12-07", spent: "4.5", budget: "5", currency: "USD", policy: "block" as const };
    const inserted = await Promise.all(Array.from({ length: 20 }, () => insertScopedBudgetAlert(db, { ...row, thresholdPct: 80 })));
    expect(inserted.filter(Boolean)).toHaveLength(1);
    // Another day, another threshold: new rows.
    expect(await insertScopedBudgetAlert(db, { ...row, thresholdPct: 100 })).toBe(true);
    expect(await insertScopedBudgetAlert(db, { ...row, day: "2026-12-08", thresholdPct: 80 })).toBe(true);
    expect((await alertRows()).map((r) => [r.day, r.threshold_pct, r.target_name])).toEqual([
      ["2026-12-07", 80, KEYS.pinnedAcme], ["2026-12-07", 100, KEYS.pinnedAcme], ["2026-12-08", 80, KEYS.pinnedAcme],
    ]);
  });

  it("a daily budget alerts again after the reporting time zone's midnight", async () => {
    await resetBudgets();
    const db = await serviceDb();
    await db.insertInto("app_configuration").values({ key: "reporting.time_zone", scope: "global", value_type: "string", value: JSON.stringify("Asia/Tokyo") }).execute();
    try {
      const est = await estimateUsd();
      // One estimate already spent at 23:30 Tokyo on Dec 7 (14:30 UTC); the daily budget is 1.1 estimates.
      await db.insertInto("llm_calls").values({
        request_id: randomUUID(), created_at: new Date("2026-12-07T14:30:00Z"), app_id: world.ids.app, organization_id: world.ids.acme,
        status: "ok", cost: est.toFixed(), currency: "USD", pricing_source: "database", total_tokens: 10,
      }).execute();
      const budgetId = await addBudget({ app_id: world.ids.app, period: "day", amount: usd(est.times("1.1")).toFixed(), policy: "alert" });
      const raiser = instanceRaiser();
      const budgets = new ScopedBudgets(serviceDb, { raiseAlerts: raiser.raise });
      try {
        const admit = await admitter(budgets);
        // 23:50 Tokyo: 2 of 1.1 estimates (80 % and 100 %). 00:10 Tokyo on Dec 8 (still Dec 7 in UTC): 1 of 1.1 (80 % again).
        expect((await admit(Date.parse("2026-12-07T14:50:00Z"))).ok).toBe(true);
        expect((await admit(Date.parse("2026-12-07T14:55:00Z"))).ok).toBe(true);
        expect((await admit(Date.parse("2026-12-07T15:10:00Z"))).ok).toBe(true);
        await until(() => raiser.done.length === raiser.started(), "every insert finished");
      } finally {
        budgets.stop();
      }
      expect((await alertRows()).map((r) => [r.budget_id, r.month, r.day, r.threshold_pct])).toEqual([
        [budgetId, "2026-12-01", "2026-12-07", 80], [budgetId, "2026-12-01", "2026-12-07", 100], [budgetId, "2026-12-01", "2026-12-08", 80],
      ]);
    } finally {
      await db.deleteFrom("app_configuration").where("key", "=", "reporting.time_zone").execute();
      await runtime().config.reload();
    }
  });

  it("a key's monthly budget alerts at 80 % only when the call stays below 100 %, naming the key", async () => {
    await resetBudgets();
    const est = await estimateUsd();
    const db = await serviceDb();
    await db.insertInto("llm_calls").values({
      request_id: randomUUID(), created_at: new Date(), app_id: world.ids.app, organization_id: world.ids.acme, api_key_id: acmeKeyId,
      status: "ok", cost: est.toFixed(), currency: "USD", pricing_source: "database", total_tokens: 10,
    }).execute();
    // 1 estimate spent + this call's estimate = 2 of 2.2 (91 %).
    const budgetId = await addBudget({ api_key_id: acmeKeyId, period: "month", amount: usd(est.times("2.2")).toFixed(), policy: "block" });
    gate.release();
    const res = await chat();
    expect(res.status).toBe(200);
    await res.text();
    await until(async () => receiver.received.length === 1, "the alert delivered");
    await budgetWebhooksIdle();
    const month = `${dayIn("UTC", new Date()).slice(0, 7)}-01`;
    expect((await alertRows()).map((r) => [r.budget_id, r.scope, r.budget_window, r.target_name, r.month, r.day, r.threshold_pct])).toEqual([
      [budgetId, "key", "month", KEYS.pinnedAcme, month, null, 80],
    ]);
    expect(receiver.received[0]!.body).toMatchObject({
      type: "budget.threshold_crossed", budget_id: budgetId, scope: "key", key_name: KEYS.pinnedAcme, window: "monthly", period: month.slice(0, 7),
      threshold_pct: 80, policy: "block", amount: usd(est.times("2.2")).toFixed(),
    });
    expect(receiver.received[0]!.body).not.toHaveProperty("app_name");
  });

  it("the organization's monthly budget still alerts as before, beside the scoped ones", async () => {
    await resetBudgets();
    const db = await serviceDb();
    await db.updateTable("organizations").set({ monthly_budget: "0", budget_currency: "USD", budget_policy: "block" }).where("id", "=", world.ids.acme).execute();
    await runtime().config.reload();
    gate.release();
    await until(async () => (await chat().then(async (r) => (await r.text(), r.status))) === 429 && receiver.received.length >= 2, "both organization alerts delivered");
    await budgetWebhooksIdle();
    const rows = await alertRows();
    expect(rows.map((r) => [r.budget_id, r.scope, r.budget_window, r.day, r.threshold_pct])).toEqual([[null, "organization", "month", null, 80], [null, "organization", "month", null, 100]]);
    for (const r of receiver.received) {
      expect(Object.keys(r.body).sort()).toEqual(["budget", "created_at", "currency", "month", "organization", "policy", "spent", "threshold_pct", "type"]);
    }
    await db.updateTable("organizations").set({ monthly_budget: null }).where("id", "=", world.ids.acme).execute();
    await runtime().config.reload();
  });
});
