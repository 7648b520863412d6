import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { deleteScopedBudget, loadScopedBudgetsAs, saveScopedBudget } from "@/lib/db/budget-scopes";
import { withUser } from "@/lib/db/rls";
import { scopedBudgetSchema } from "@/lib/schemas/budget-scope";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids, type FixtureUser } from "@/tests/helpers/fixtures";
import { outcome } from "@/tests/helpers/outcome";

/**
 * The Budgets page's budgets of every scope under RLS: spend in the current window (converted
 * into the budget's currency, the zone's day), forecasts beside monthly budgets, writes by
 * platform admins only with the scope checked (the key must be usable by the organization), and
 * one budget per scope and window.
 */

const NOW = new Date("2026-11-20T12:00:00Z");

describe.each(databaseTargets())("budgets of every scope on $name", (target) => {
  let db: Database;
  const as = <T>(user: FixtureUser, fn: Parameters<typeof withUser<T>>[2]) => withUser(db, claimsFor(user), fn);
  const input = (change: object = {}) => scopedBudgetSchema.parse({
    organizationId: ids.orgA, scope: "key", appId: "", apiKeyId: ids.apiKeys.A, window: "day", amount: "5", currency: "EUR", policy: "block", ...change,
  });

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    // Today (Nov 20): 1.25 EUR with key A at 10:00 UTC, 0.75 EUR without a key; yesterday 9 EUR with key A.
    await db.kysely.insertInto("llm_calls").values([
      { at: "2026-11-20T10:00:00Z", cost: "1.25", key: ids.apiKeys.A },
      { at: "2026-11-20T11:00:00Z", cost: "0.75", key: null },
      { at: "2026-11-19T10:00:00Z", cost: "9", key: ids.apiKeys.A },
    ].map((c) => ({
      request_id: randomUUID(), created_at: new Date(c.at), app_id: ids.app, organization_id: ids.orgA, api_key_id: c.key,
      status: "ok" as const, cost: c.cost, currency: "EUR", pricing_source: "database" as const, total_tokens: 1,
    }))).execute();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("platform admins add a key's daily budget; its spend is the key's calls of the zone's day", async () => {
    const { id } = await as("platformAdmin", (tx) => saveScopedBudget(tx, input()));
    const data = await loadScopedBudgetsAs(db, claimsFor("financeA"), NOW);
    const row = data.budgets.find((b) => b.id === id)!;
    expect(row).toMatchObject({ scope: "key", window: "day", windowStart: "2026-11-20", amount: "5", spent: "1.25", pct: "25.0", over: false, policy: "block" });
    // Finance may not read keys: the key shows by its id.
    expect(row.target).toBe(`Key ${ids.apiKeys.A.slice(0, 8)}`);
    const asAdmin = await loadScopedBudgetsAs(db, claimsFor("adminA"), NOW);
    expect(asAdmin.budgets.find((b) => b.id === id)?.target).toBe("Key A");
    // The organization's monthly budget (mirrored from organizations) is listed with its forecast;
    // A also spent USD, and without a USD rate the forecast is not made up: the currency is named.
    expect(data.budgets.some((b) => b.scope === "organization" && b.window === "month" && b.amount === "1000")).toBe(true);
    expect(data.forecasts.find((f) => f.organizationId === ids.orgA)).toMatchObject({ currency: "EUR", budget: "1000", monthEnd: null, unconvertible: ["USD"] });
    // Viewers and other organizations see none of A's budgets.
    expect((await loadScopedBudgetsAs(db, claimsFor("viewerA"), NOW)).budgets).toEqual([]);
    await as("platformAdmin", (tx) => deleteScopedBudget(tx, id));
  });

  it("only platform admins write; the scope must exist and fit the organization; one budget per scope and window", async () => {
    expect(await outcome(() => as("adminA", (tx) => saveScopedBudget(tx, input())))).toBe("42501");
    expect(await outcome(() => as("platformAdmin", (tx) => saveScopedBudget(tx, input({ apiKeyId: ids.apiKeys.B }))), "message"))
      .toBe("refused: That API key is pinned to another organization.");
    expect(await outcome(() => as("platformAdmin", (tx) => saveScopedBudget(tx, input({ scope: "app", appId: randomUUID() }))), "message"))
      .toBe("refused: That app does not exist (any more).");
    const { id } = await as("platformAdmin", (tx) => saveScopedBudget(tx, input({ scope: "app", appId: ids.app, window: "month" })));
    expect(await outcome(() => as("platformAdmin", (tx) => saveScopedBudget(tx, input({ scope: "app", appId: ids.app, window: "month" }))), "message"))
      .toBe("refused: There already is a monthly budget for that scope: edit it instead.");
    await as("platformAdmin", (tx) => saveScopedBudget(tx, input({ id, scope: "app", appId: ids.app, window: "month", amount: "7.5" })));
    const edited = await db.kysely.selectFrom("budgets").select("amount").where("id", "=", id).executeTakeFirstOrThrow();
    expect(edited.amount).toMatch(/^7\.50*$/);
    expect(await outcome(() => as("financeA", (tx) => deleteScopedBudget(tx, id)))).toBe("refused");
    const audit = await db.kysely.selectFrom("audit_log").select("action").where("table_name", "=", "budgets").where("record_id", "=", id).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["insert", "update"]);
  });
});
