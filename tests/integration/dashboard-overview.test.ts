import { randomUUID } from "node:crypto";
import { Decimal } from "decimal.js";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OverviewStats } from "@/lib/db/overview";
import type { BudgetAlertRow } from "@/lib/db/overview-alerts";
import type { SavingsRow } from "@/lib/db/overview-savings";
import type { Database } from "@/lib/db/client";
import { handleOverview } from "@/lib/http/overview";
import type { JwtClaims } from "@/lib/db/rls";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids, type FixtureUser } from "@/tests/helpers/fixtures";

/**
 * GET /api/dashboard/overview through its handler, under RLS as fixture users, on PGlite and
 * PostgreSQL: signed out is a 401, each user sees only their organizations' spend, alerts and
 * savings, and savings are exact decimal arithmetic per currency.
 */

const NOW = new Date("2026-11-24T10:00:00Z");

/** Calls with a baseline (shadow) cost, on top of the fixture world's three calls of 10 Nov. */
const EXTRA_CALLS: { org: string; day: string; cost: string; baseline: string | null; currency: string; model: "mock-large" | "mock-small" }[] = [
  // Org A, USD, 12 Nov: one rollup row, both calls compared → saves 0.0032.
  { org: ids.orgA, day: "2026-11-12", cost: "0.002", baseline: "0.005", currency: "USD", model: "mock-small" },
  { org: ids.orgA, day: "2026-11-12", cost: "0.001", baseline: "0.0012", currency: "USD", model: "mock-small" },
  // Org A, USD, 13 Nov: one of two calls without a baseline → priced, but not compared.
  { org: ids.orgA, day: "2026-11-13", cost: "0.004", baseline: "0.009", currency: "USD", model: "mock-small" },
  { org: ids.orgA, day: "2026-11-13", cost: "0.004", baseline: null, currency: "USD", model: "mock-small" },
  // Org A, EUR: dearer than the baseline → negative savings, never added to USD.
  { org: ids.orgA, day: "2026-11-14", cost: "0.01", baseline: "0.008", currency: "EUR", model: "mock-small" },
  // Org B: invisible to A's users.
  { org: ids.orgB, day: "2026-11-12", cost: "0.003", baseline: "0.01", currency: "USD", model: "mock-small" },
  // Last month: outside month-to-date.
  { org: ids.orgA, day: "2026-10-30", cost: "1", baseline: "5", currency: "USD", model: "mock-small" },
];

async function addCalls(db: Database) {
  await sql`select public.ensure_llm_calls_partitions('2026-10-01'::date, '2026-11-30'::date)`.execute(db.kysely);
  await db.kysely
    .insertInto("llm_calls")
    .values(
      EXTRA_CALLS.map((c) => ({
        id: randomUUID(),
        request_id: randomUUID(),
        created_at: `${c.day}T09:00:00Z`,
        app_id: ids.app,
        organization_id: c.org,
        action_type: "classify",
        request_type: "classify",
        pipeline_stage: "triage",
        provider_id: ids.provider,
        provider_code: "rls-mock",
        model_id: ids.models.secondary,
        model_code: c.model,
        prompt_tokens: 100,
        completion_tokens: 20,
        total_tokens: 120,
        cost: c.cost,
        currency: c.currency,
        pricing_source: "database" as const,
        baseline_model_id: c.baseline === null ? null : ids.models.primary,
        baseline_cost: c.baseline,
        latency_ms: 100,
        status: "ok" as const,
      })),
    )
    .execute();
}

/** Decimal strings compared by value ("0.003000000000" equals "0.003"). */
function money(row: SavingsRow): Record<string, unknown> {
  return {
    currency: row.currency,
    baselineModel: row.baselineModel,
    pricedCalls: row.pricedCalls,
    comparedCalls: row.comparedCalls,
    cost: new Decimal(row.cost).toString(),
    baselineCost: new Decimal(row.baselineCost).toString(),
    savings: new Decimal(row.savings).toString(),
  };
}

describe.each(databaseTargets())("overview route on $name", (target) => {
  let db: Database;
  const get = (claims: JwtClaims | null) => handleOverview({ getClaims: async () => claims, getDb: async () => db, now: () => NOW });
  const statsFor = async (user: FixtureUser) => {
    const res = await get(claimsFor(user));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    return (await res.json()) as OverviewStats;
  };

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    await addCalls(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("answers 401 JSON when signed out, without reading anything", async () => {
    const res = await handleOverview({
      getClaims: async () => null,
      getDb: () => Promise.reject(new Error("must not be opened")),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { type: "unauthorized", message: "Sign in to see the overview." } });
  });

  it("answers 503 JSON without internals when the database fails", async () => {
    const res = await handleOverview({ getClaims: async () => claimsFor("financeA"), getDb: () => Promise.reject(new Error("connect ECONNREFUSED 10.0.0.1:5432")) });
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: { type: "unavailable" } });
    expect(text).not.toContain("ECONNREFUSED");
  });

  it("finance of A sees only A's spend, alerts and savings, with exact savings per currency", async () => {
    const stats = await statsFor("financeA");
    expect(stats.generatedAt).toBe(NOW.toISOString());
    // One row per organization: EUR is the reporting currency; USD has no rate here, so it stays apart.
    expect(stats.currency).toBe("EUR");
    expect(stats.monthToDate.map((r) => [r.organizationName, new Decimal(r.spend.amount).toString(), r.spend.unconverted, r.budgetCurrency])).toEqual([
      ["Org A", "0.01", { USD: "0.0116" }, "EUR"],
    ]);
    expect(new Decimal(stats.monthToDate[0]!.budgetSpent).toString()).toBe("0.01");
    expect(stats.budgetAlerts.map((a: BudgetAlertRow) => [a.organizationName, a.thresholdPct, new Decimal(a.spent).toString(), new Decimal(a.budget).toString(), a.currency])).toEqual([
      ["Org A", 80, "8.5", "10", "EUR"],
    ]);
    expect(stats.savings.map((r) => [r.appName, r.appId])).toEqual([["RLS app", ids.app], ["RLS app", ids.app]]);
    expect(stats.savings.map(money)).toEqual([
      { currency: "EUR", baselineModel: "mock-large", pricedCalls: 1, comparedCalls: 1, cost: "0.01", baselineCost: "0.008", savings: "-0.002" },
      // 10 Nov fixture call (no baseline) and the partial 13 Nov row are priced but not compared.
      { currency: "USD", baselineModel: "mock-large", pricedCalls: 5, comparedCalls: 2, cost: "0.003", baselineCost: "0.0062", savings: "0.0032" },
    ]);
    // The daily trend holds A's calls only (1 + 2 + 2 + 1 in November, 1 in October).
    expect(stats.daily.reduce((n, d) => n + d.calls, 0)).toBe(7);
  });

  it("a platform admin sees every organization's alerts and savings", async () => {
    const stats = await statsFor("platformAdmin");
    expect(stats.budgetAlerts.map((a) => a.organizationName).sort()).toEqual(["Org A", "Org B"]);
    const usd = stats.savings.find((r) => r.currency === "USD");
    // A's 5 priced USD calls, B's fixture call and extra call, the fixture call without an organization.
    expect(usd && money(usd)).toMatchObject({ pricedCalls: 8, comparedCalls: 3, cost: "0.006", baselineCost: "0.0162", savings: "0.0102" });
  });

  it("an outsider gets a valid, empty overview", async () => {
    const stats = await statsFor("outsider");
    expect(stats.monthToDate).toEqual([]);
    expect(stats.savings).toEqual([]);
    expect(stats.budgetAlerts).toEqual([]);
    expect(stats.callsToday).toBe(0);
  });
});
