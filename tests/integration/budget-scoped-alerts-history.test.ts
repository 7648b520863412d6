import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { insertBudgetAlert, insertScopedBudgetAlert, type ScopedBudgetAlertRow } from "@/lib/db/budget-counters";
import { claimDueAlerts } from "@/lib/db/budget-webhooks";
import { loadBudgets } from "@/lib/db/budgets";
import { payloadOf } from "@/lib/engine/budget-webhook";
import { insertBudget } from "@/tests/helpers/budget-world";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids } from "@/tests/helpers/fixtures";

/**
 * Scoped threshold alerts in the database (migration 20261208100001) and on the Budgets page: the
 * history names the budget (scope, app or key, window) under RLS; removing a budget keeps its
 * alerts and their names and never collides with the organization's monthly alerts, which keep
 * their key (organization, month, threshold).
 */

const NOW = new Date("2026-11-24T12:00:00Z");

describe.each(databaseTargets())("scoped budget alerts in the history on $name", (target) => {
  let db: Database;
  let appDaily: string;
  let keyMonthly: string;

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    const eurBlock = { currency: "EUR", policy: "block" } as const;
    appDaily = await insertBudget(db.kysely, { organization_id: ids.orgA, app_id: ids.app, period: "day", amount: "25", ...eurBlock });
    keyMonthly = await insertBudget(db.kysely, { organization_id: ids.orgB, api_key_id: ids.apiKeys.B, period: "month", amount: "100", ...eurBlock });
  });
  afterAll(async () => {
    await db?.close();
  });

  const alert = (change: Partial<ScopedBudgetAlertRow>): ScopedBudgetAlertRow => ({
    budgetId: appDaily, organizationId: ids.orgA, scope: "app", window: "day", month: "2026-11-01", day: "2026-11-24",
    thresholdPct: 80, spent: "20.5", budget: "25", currency: "EUR", policy: "block", ...change,
  });

  it("records one alert per budget, period and threshold, beside the organization's monthly ones", async () => {
    expect(await insertScopedBudgetAlert(db.kysely, alert({}))).toBe(true);
    expect(await insertScopedBudgetAlert(db.kysely, alert({}))).toBe(false);
    expect(await insertScopedBudgetAlert(db.kysely, alert({ thresholdPct: 100, spent: "25.1" }))).toBe(true);
    expect(await insertScopedBudgetAlert(db.kysely, alert({ budgetId: keyMonthly, organizationId: ids.orgB, scope: "key", window: "month", day: null, spent: "81", budget: "100" }))).toBe(true);
    expect(await insertScopedBudgetAlert(db.kysely, alert({ budgetId: keyMonthly, organizationId: ids.orgB, scope: "key", window: "month", day: null, spent: "82", budget: "100" }))).toBe(false);
    // The fixture already holds organization A's 80 % alert for November: unchanged rule.
    const org = { organizationId: ids.orgA, month: "2026-11-01", spent: "9", budget: "10", currency: "EUR", policy: "alert" as const };
    expect(await insertBudgetAlert(db.kysely, { ...org, thresholdPct: 80 })).toBe(false);
    expect(await insertBudgetAlert(db.kysely, { ...org, thresholdPct: 100 })).toBe(true);
  });

  it("the history names the budget for its organization's finance, and only theirs", async () => {
    const asFinanceA = await loadBudgets(db, claimsFor("financeA"), NOW);
    expect(asFinanceA.alerts.map((a) => [a.thresholdPct, a.kind, a.scope, a.window, a.target, a.budgetId, a.day, a.spent])).toEqual(expect.arrayContaining([
      [80, "threshold", "app", "day", "RLS app", appDaily, "2026-11-24", "20.5"],
      [100, "threshold", "app", "day", "RLS app", appDaily, "2026-11-24", "25.1"],
      [80, "threshold", "organization", "month", null, null, null, "8.5"],
      [100, "threshold", "organization", "month", null, null, null, "9"],
    ]));
    expect(asFinanceA.alerts).toHaveLength(4);
    const asAdminB = await loadBudgets(db, claimsFor("adminB"), NOW);
    expect(asAdminB.alerts.filter((a) => a.scope === "key").map((a) => [a.target, a.window, a.month])).toEqual([["Key B", "month", "2026-11"]]);
    expect(asAdminB.alerts.some((a) => a.organizationId === ids.orgA)).toBe(false);
  });

  it("removing a budget keeps its alerts and names; the organization's alerts still dedupe", async () => {
    await db.kysely.deleteFrom("budgets").where("id", "=", appDaily).execute();
    const rows = await db.kysely.selectFrom("budget_alerts").select(["budget_id", "scope", "target_name", "threshold_pct"])
      .where("organization_id", "=", ids.orgA).where("scope", "=", "app").orderBy("threshold_pct").execute();
    expect(rows).toEqual([
      { budget_id: null, scope: "app", target_name: "RLS app", threshold_pct: 80 },
      { budget_id: null, scope: "app", target_name: "RLS app", threshold_pct: 100 },
    ]);
    const org = { organizationId: ids.orgA, month: "2026-11-01", spent: "9", budget: "10", currency: "EUR", policy: "alert" as const };
    expect(await insertBudgetAlert(db.kysely, { ...org, thresholdPct: 100 })).toBe(false);
    expect(await insertBudgetAlert(db.kysely, { ...org, thresholdPct: 120 })).toBe(true);
    const history = await loadBudgets(db, claimsFor("financeA"), NOW);
    expect(history.alerts.filter((a) => a.scope === "app").map((a) => [a.target, a.budgetId])).toEqual([["RLS app", null], ["RLS app", null]]);
  });

  it("the dispatcher's claim carries what the payload names", async () => {
    await db.kysely.insertInto("organization_webhooks").values({ organization_id: ids.orgB, url: "http://127.0.0.1:9/hooks/b" }).execute();
    const claimed = await claimDueAlerts(db.kysely, new Date(), 50);
    const key = claimed.find((c) => c.scope === "key");
    expect(key && payloadOf(key)).toMatchObject({
      type: "budget.threshold_crossed", budget_id: keyMonthly, scope: "key", key_name: "Key B", window: "monthly", period: "2026-11", amount: "100", spent: "81",
    });
    const removed = claimed.find((c) => c.scope === "app");
    expect(removed && payloadOf(removed)).toMatchObject({ budget_id: null, scope: "app", app_name: "RLS app", window: "daily", period: "2026-11-24", day: "2026-11-24" });
    const organization = claimed.find((c) => c.scope === "organization" && c.threshold_pct === 120);
    expect(organization && Object.keys(payloadOf(organization)).sort()).toEqual(["budget", "created_at", "currency", "month", "organization", "policy", "spent", "threshold_pct", "type"]);
  });

  it("the database refuses a daily threshold alert without its day and an unknown scope", async () => {
    const bad = (values: Record<string, unknown>) =>
      db.kysely.insertInto("budget_alerts").values({
        organization_id: ids.orgA, month: "2026-11-01", threshold_pct: 90, spent: "1", budget: "2", currency: "EUR", policy: "block", ...values,
      }).execute().then(() => null, (e: unknown) => (e as { code?: string }).code);
    expect(await bad({ budget_window: "day", scope: "app", budget_id: keyMonthly })).toBe("23514");
    expect(await bad({ budget_window: "month", scope: "app", budget_id: keyMonthly, day: "2026-11-24" })).toBe("23514");
    expect(await bad({ scope: "team" })).toBe("23514");
  });
});
