import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertScopedBudgetAlert } from "@/lib/db/budget-counters";
import { serviceDb } from "@/lib/db/service";
import { dayIn } from "@/lib/engine/date-range";
import { Dec } from "@/lib/engine/price";
import { budgetWebhooksIdle } from "@/lib/finance/budget-webhooks";
import { scopedAlertRaiser } from "@/lib/gateway/budget-alerts";
import { ScopedBudgets } from "@/lib/gateway/budget-scoped";
import { runtime } from "@/lib/gateway/runtime";
import { startBudgetWorld, type BudgetWorld } from "@/tests/helpers/budget-world";
import { KEYS } from "@/tests/helpers/gateway-world";
import { gatewayTargets } from "@/tests/helpers/databases";
import { until } from "./gateway/gated-upstream";

/**
 * Threshold alerts of budgets per app, per key and per day (issue 13) on a real gateway and a real
 * database: a burst of calls crossing 80 % and 100 % at once records exactly one row per
 * threshold, from one instance or two; a daily budget alerts again after the reporting time
 * zone's midnight; a key budget names its key; the webhook carries the budget's scope, name,
 * window and period.
 */

const targets = gatewayTargets();

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
  let bw: BudgetWorld;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  /** An amount as budgets.amount keeps it (numeric(20, 6)), rounded up. */
  const usd = (d: Dec) => d.toDecimalPlaces(6, Dec.ROUND_UP);

  async function resetBudgets(): Promise<void> {
    await bw.reset();
    receiver.received.length = 0;
  }

  const alertRows = async () =>
    (await serviceDb()).selectFrom("budget_alerts")
      .select(["budget_id", "scope", "budget_window", "target_name", sql<string>`month::text`.as("month"), sql<string | null>`day::text`.as("day"), "threshold_pct", sql<string>`spent::text`.as("spent"), "kind"])
      .where("organization_id", "=", bw.world.ids.acme).orderBy("day").orderBy("threshold_pct").execute();

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
    bw = await startBudgetWorld(target);
    receiver = await startReceiver();
    await (await serviceDb()).insertInto("organization_webhooks").values({ organization_id: bw.world.ids.acme, url: receiver.url }).execute();
    await runtime().config.reload();
  }, 120_000);

  afterAll(async () => {
    await budgetWebhooksIdle();
    await receiver?.close();
    await bw?.close();
  });

  it("an app's daily budget: 12 calls crossing 80 % and 100 % at once record exactly two alerts, and the webhook names the budget", async () => {
    await resetBudgets();
    const est = await bw.estimateUsd();
    const amount = usd(est.times(10));
    const budgetId = await bw.addBudget({ app_id: bw.world.ids.app, period: "day", amount: amount.toFixed(), policy: "alert" });
    const { answers } = await bw.burst(12);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await until(async () => receiver.received.length >= 2 && (await alertRows()).length >= 2, "two alerts delivered");
    // A second burst crosses both again: nothing new.
    expect((await bw.burst(12)).answers.every((a) => a.status === 200)).toBe(true);
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
        organization: { id: bw.world.ids.acme, slug: "acme", name: "Acme" },
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
    const est = await bw.estimateUsd();
    await bw.addBudget({ app_id: bw.world.ids.app, period: "month", amount: est.times(10).toFixed(), policy: "alert" });
    const a = instanceRaiser();
    const b = instanceRaiser();
    const one = new ScopedBudgets(serviceDb, { raiseAlerts: a.raise });
    const two = new ScopedBudgets(serviceDb, { raiseAlerts: b.raise });
    try {
      const [admitOne, admitTwo] = [await bw.admitter(one), await bw.admitter(two)];
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
    const budgetId = await bw.addBudget({ api_key_id: bw.acmeKeyId, period: "day", amount: "5", policy: "block" });
    const db = await serviceDb();
    const row = { budgetId, organizationId: bw.world.ids.acme, scope: "key" as const, window: "day" as const, month: "2026-12-01", day: "2026-12-07", spent: "4.5", budget: "5", currency: "USD", policy: "block" as const };
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
      const est = await bw.estimateUsd();
      // One estimate already spent at 23:30 Tokyo on Dec 7 (14:30 UTC); the daily budget is 1.1 estimates.
      await bw.spend(est.toFixed(), { at: new Date("2026-12-07T14:30:00Z") });
      const budgetId = await bw.addBudget({ app_id: bw.world.ids.app, period: "day", amount: usd(est.times("1.1")).toFixed(), policy: "alert" });
      const raiser = instanceRaiser();
      const budgets = new ScopedBudgets(serviceDb, { raiseAlerts: raiser.raise });
      try {
        const admit = await bw.admitter(budgets);
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
    const est = await bw.estimateUsd();
    await bw.spend(est.toFixed(), { withKey: true });
    // 1 estimate spent + this call's estimate = 2 of 2.2 (91 %).
    const budgetId = await bw.addBudget({ api_key_id: bw.acmeKeyId, period: "month", amount: usd(est.times("2.2")).toFixed(), policy: "block" });
    bw.gate.release();
    const res = await bw.chat();
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
    await db.updateTable("organizations").set({ monthly_budget: "0", budget_currency: "USD", budget_policy: "block" }).where("id", "=", bw.world.ids.acme).execute();
    await runtime().config.reload();
    bw.gate.release();
    await until(async () => (await bw.chat().then(async (r) => (await r.text(), r.status))) === 429 && receiver.received.length >= 2, "both organization alerts delivered");
    await budgetWebhooksIdle();
    const rows = await alertRows();
    expect(rows.map((r) => [r.budget_id, r.scope, r.budget_window, r.day, r.threshold_pct])).toEqual([[null, "organization", "month", null, 80], [null, "organization", "month", null, 100]]);
    for (const r of receiver.received) {
      expect(Object.keys(r.body).sort()).toEqual(["budget", "created_at", "currency", "month", "organization", "policy", "spent", "threshold_pct", "type"]);
    }
    await db.updateTable("organizations").set({ monthly_budget: null }).where("id", "=", bw.world.ids.acme).execute();
    await runtime().config.reload();
  });
});
