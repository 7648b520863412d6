import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/lib/db/service";
import { estimateCost, estimateTokens } from "@/lib/engine/budget";
import { Dec } from "@/lib/engine/price";
import { runtime } from "@/lib/gateway/runtime";
import { MESSAGES, startBudgetWorld, type BudgetWorld } from "@/tests/helpers/budget-world";
import { flushed } from "@/tests/helpers/gateway-world";
import { gatewayTargets } from "@/tests/helpers/databases";

/**
 * Budgets per organization × app, per API key and per day (issue 13) on a real gateway and a real
 * database: N concurrent calls against a budget with headroom for K reach the provider K times
 * (the others get a 429 naming the budget, and keep their ledger row); the tightest of several
 * budgets decides; the organization's monthly budget stays mirrored in organizations; a daily
 * window starts at the reporting time zone's midnight, not UTC's.
 */

const targets = gatewayTargets();

describe.each(targets)("budgets per app, key and day on $name", (target) => {
  let bw: BudgetWorld;

  beforeAll(async () => {
    bw = await startBudgetWorld(target);
  }, 120_000);

  afterAll(async () => {
    await bw?.close();
  });

  it("mirrors the organization's monthly budget both ways", async () => {
    const db = await serviceDb();
    await db.updateTable("organizations").set({ monthly_budget: "12.5", budget_currency: "EUR", budget_policy: "block" }).where("id", "=", bw.world.ids.acme).execute();
    const mirrored = await db.selectFrom("budgets").select(["period", "amount", "currency", "policy", "app_id", "api_key_id"])
      .where("organization_id", "=", bw.world.ids.acme).execute();
    expect(mirrored.map((b) => ({ ...b, amount: new Dec(b.amount).toFixed() }))).toEqual([
      { period: "month", amount: "12.5", currency: "EUR", policy: "block", app_id: null, api_key_id: null },
    ]);
    await db.updateTable("budgets").set({ amount: "20", policy: "alert" }).where("organization_id", "=", bw.world.ids.acme).execute();
    const org = await db.selectFrom("organizations").select(["monthly_budget", "budget_policy"]).where("id", "=", bw.world.ids.acme).executeTakeFirstOrThrow();
    expect([new Dec(org.monthly_budget!).toFixed(), org.budget_policy]).toEqual(["20", "alert"]);
    await db.deleteFrom("budgets").where("organization_id", "=", bw.world.ids.acme).execute();
    expect((await db.selectFrom("organizations").select("monthly_budget").where("id", "=", bw.world.ids.acme).executeTakeFirstOrThrow()).monthly_budget).toBeNull();
  });

  it("an app budget admits only its headroom of a burst: 30 concurrent calls, headroom for 4", async () => {
    await bw.reset();
    const est = await bw.estimateUsd();
    await bw.addBudget({ app_id: bw.world.ids.app, period: "month", amount: est.times(4).toFixed(), policy: "block" });
    const { reached, answers } = await bw.burst(30);
    expect(reached).toBe(4);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(26);
    expect(refused[0]!.body).toContain("monthly app budget acme × wb");
    expect(answers.filter((a) => a.status === 200)).toHaveLength(4);
    // Refused calls keep their ledger row, naming the budget; every row carries the key.
    await flushed();
    const db = await serviceDb();
    const rows = await db.selectFrom("llm_calls").select(["error_type", "api_key_id", "trace"]).where("organization_id", "=", bw.world.ids.acme).execute();
    expect(rows.filter((r) => r.error_type === "budget_exceeded")).toHaveLength(26);
    expect(rows.every((r) => r.api_key_id === bw.acmeKeyId)).toBe(true);
    expect(JSON.stringify(rows.find((r) => r.error_type === "budget_exceeded")!.trace)).toContain("monthly app budget acme × wb");
  });

  it("a key's daily budget admits its headroom of a burst: 20 concurrent calls, headroom for 3", async () => {
    await bw.reset();
    const est = await bw.estimateUsd();
    await bw.addBudget({ api_key_id: bw.acmeKeyId, period: "day", amount: est.times(3).toFixed(), policy: "block" });
    const { reached, answers } = await bw.burst(20);
    expect(reached).toBe(3);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(17);
    expect(answers.find((a) => a.status === 429)!.body).toContain("daily API key budget");
  });

  it("the tightest budget decides: a nearly spent alert budget admits what a roomier block budget would refuse too", async () => {
    await bw.reset();
    const est = await bw.estimateUsd();
    // Both over for the next call; the key budget (alert) has less headroom than the app budget (block).
    await bw.spend(est.times(10).toFixed(), { withKey: true });
    await bw.addBudget({ app_id: bw.world.ids.app, period: "month", amount: est.times("10.5").toFixed(), policy: "block" });
    await bw.addBudget({ api_key_id: bw.acmeKeyId, period: "day", amount: est.times(2).toFixed(), policy: "alert" });
    bw.gate.release();
    const admitted = await bw.chat();
    expect(admitted.status).toBe(200);
    await admitted.text();
    // The key budget raised to be roomy: the app budget (block) is now the tightest, and refuses.
    await (await serviceDb()).updateTable("budgets").set({ amount: est.times(100).toFixed() }).where("api_key_id", "=", bw.acmeKeyId).execute();
    await runtime().config.reload();
    const refused = await bw.chat();
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain("monthly app budget acme × wb");
  });

  it("an exhausted app budget with policy downgrade moves the call to the cheapest configured model", async () => {
    await bw.reset();
    await bw.spend("3");
    await bw.addBudget({ app_id: bw.world.ids.app, period: "month", amount: "2", policy: "downgrade" });
    bw.gate.release();
    // "draft" routes to backup-model (1.00 / 2.00 per Mtok); the app's cheapest is primary-model (0.15 / 0.60).
    const res = await bw.chat({ action: "draft", maxTokens: 50 });
    expect(res.status).toBe(200);
    await res.text();
    await flushed();
    const row = await (await serviceDb()).selectFrom("llm_calls").select(["model_code", "routing_source", "trace"])
      .where("organization_id", "=", bw.world.ids.acme).where("action_type", "=", "draft").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ model_code: "primary-model", routing_source: "budget_downgrade" });
    expect(JSON.stringify(row.trace)).toContain("monthly app budget acme × wb");
  });

  it("a daily window starts at the reporting time zone's midnight", async () => {
    await bw.reset();
    const db = await serviceDb();
    await db.insertInto("app_configuration").values({ key: "reporting.time_zone", scope: "global", value_type: "string", value: JSON.stringify("Asia/Tokyo") }).execute();
    // 5 USD at 23:30 in Tokyo on Dec 7 (14:30 UTC); a daily budget of 6 USD.
    await bw.spend("5", { at: new Date("2026-12-07T14:30:00Z") });
    await bw.addBudget({ app_id: bw.world.ids.app, period: "day", amount: "6", policy: "block" });
    // A call estimated at about 2 USD: the request is sized so.
    const admit = await bw.admitter(runtime().scopedBudgets, 2_000_000);
    const admitAt = (iso: string) => admit(Date.parse(iso));
    const { snapshot } = await runtime().config.get();
    const perCall = estimateCost(snapshot, bw.world.ids.primaryModel, estimateTokens({ messages: MESSAGES, max_tokens: 2_000_000 }, {}, 1024), Date.now())!.amount;
    expect(perCall.gt(1) && perCall.lte(6)).toBe(true);
    // 23:50 Tokyo, same day as the 5 USD: over. 00:10 Tokyo the next day (still Dec 7 in UTC): a fresh window.
    const late = await admitAt("2026-12-07T14:50:00Z");
    expect(late).toMatchObject({ ok: false, error: "budget_exceeded" });
    const next = await admitAt("2026-12-07T15:10:00Z");
    expect(next.ok).toBe(true);
    const counters = await db.selectFrom("budget_counters").select([sql<string>`month::text`.as("start"), "spent"]).orderBy("month").execute();
    expect(counters.map((c) => [c.start, new Dec(c.spent).toFixed()])).toEqual([["2026-12-07", "5"], ["2026-12-08", "0"]]);
    await db.deleteFrom("app_configuration").where("key", "=", "reporting.time_zone").execute();
  });
});
