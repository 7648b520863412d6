import { randomUUID } from "node:crypto";
import { Decimal } from "decimal.js";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { loadBudgets } from "@/lib/db/budgets";
import { loadCacheSavings } from "@/lib/db/cache-savings";
import { loadCosts } from "@/lib/db/costs";
import { loadOrganizationSpend } from "@/lib/db/organization-page";
import { loadOverview } from "@/lib/db/overview";
import { loadSavings } from "@/lib/db/savings";
import { loadCallTotals } from "@/lib/db/calls";
import { costsToCsv } from "@/lib/reports/costs-csv";
import { savingsToCsv } from "@/lib/reports/savings-csv";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids, type FixtureUser } from "@/tests/helpers/fixtures";
import { parseCsv } from "@/e2e/csv";

/**
 * Issue 12, "one money truth": for the same range and organizations, Overview, Costs, Savings,
 * Budgets and both CSVs show the same amount, exactly (decimal strings, not rounded), on PGlite
 * and PostgreSQL. Calls are seeded in EUR (the reporting currency), USD (rate 0.92) and GBP (no
 * rate: listed apart everywhere, never added, never dropped), in December, away from the fixture
 * world's November calls; every call has a baseline, so Savings compares all of them. Response
 * cache hits (cost 0, their own model so they never share a rollup row with a priced call) carry
 * what they saved: Overview's and the organization page's "saved by cache" equal Savings' for the
 * same days and organizations (issue 13).
 */

const NOW = new Date("2026-12-20T10:00:00Z");
const MONTH = { from: "2026-12-01", to: "2026-12-20" } as const;
const LAST_30 = { from: "2026-11-21", to: "2026-12-20" } as const;

const CALLS: { org: string; day: string; cost: string; currency: string; model?: string }[] = [
  { org: ids.orgA, day: "2026-12-02", cost: "1.234567891234", currency: "EUR" },
  { org: ids.orgA, day: "2026-12-03", cost: "0.000012", currency: "EUR", model: "tiny-model" },
  { org: ids.orgA, day: "2026-12-05", cost: "0.63", currency: "USD" },
  { org: ids.orgA, day: "2026-12-05", cost: "0.004321", currency: "USD" },
  { org: ids.orgA, day: "2026-12-07", cost: "0.5", currency: "GBP" },
  { org: ids.orgB, day: "2026-12-04", cost: "2.000001", currency: "USD" },
  { org: ids.orgB, day: "2026-12-19", cost: "0.333333333333", currency: "EUR" },
];

/** Cache hits: what each saved, in the original call's currency (GBP has no rate). */
const HITS: { org: string; at: string; saved: string; currency: string }[] = [
  { org: ids.orgA, at: "2026-12-04T08:00:00Z", saved: "0.25", currency: "EUR" },
  { org: ids.orgA, at: "2026-12-06T23:59:59Z", saved: "0.1", currency: "USD" },
  { org: ids.orgA, at: "2026-12-08T00:00:00Z", saved: "1.5", currency: "GBP" },
  { org: ids.orgB, at: "2026-12-10T12:00:00Z", saved: "0.333333333333", currency: "USD" },
  // Before the month: on no page's "this month".
  { org: ids.orgA, at: "2026-11-30T23:59:59Z", saved: "100", currency: "EUR" },
];

/** The exact expected "saved by cache" in EUR for some organizations over the month (from HITS, not from a page). */
function expectedCache(orgs: string[]) {
  const hits = HITS.filter((h) => orgs.includes(h.org) && h.at.slice(0, 10) >= MONTH.from && h.at.slice(0, 10) <= MONTH.to);
  const rate: Record<string, string> = { EUR: "1", USD: "0.92" };
  const amount = hits.filter((h) => rate[h.currency]).reduce((s, h) => s.plus(new Decimal(h.saved).times(rate[h.currency]!)), new Decimal(0));
  const gbp = hits.filter((h) => h.currency === "GBP").reduce((s, h) => s.plus(h.saved), new Decimal(0));
  return { hits: hits.length, amount: amount.toFixed(), unconverted: gbp.isZero() ? {} : { GBP: gbp.toFixed() } };
}

async function seed(db: Database) {
  await sql`select public.ensure_llm_calls_partitions('2026-12-01'::date, '2026-12-31'::date)`.execute(db.kysely);
  await db.kysely
    .insertInto("llm_calls")
    .values(
      CALLS.map((c) => ({
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
        model_code: c.model ?? "mock-small",
        prompt_tokens: 100,
        completion_tokens: 20,
        total_tokens: 120,
        cost: c.cost,
        currency: c.currency,
        pricing_source: "database" as const,
        baseline_model_id: ids.models.primary,
        baseline_cost: new Decimal(c.cost).times(2).toFixed(),
        latency_ms: 100,
        status: "ok" as const,
      })),
    )
    .execute();
  await sql`select public.ensure_llm_calls_partitions('2026-11-01'::date, '2026-11-30'::date)`.execute(db.kysely);
  await db.kysely
    .insertInto("llm_calls")
    .values(
      HITS.map((h) => ({
        request_id: randomUUID(), created_at: h.at, app_id: ids.app, organization_id: h.org, provider_code: "rls-mock",
        model_code: "cached-model", status: "ok" as const, cost: "0", currency: h.currency, pricing_source: "cache" as const,
        total_tokens: 0, cache_hit: true, cache_saved_cost: h.saved,
      })),
    )
    .execute();
  await db.kysely
    .insertInto("app_configuration")
    .values([
      { key: "reporting.currency", scope: "global", value_type: "string", value: JSON.stringify("EUR") },
      { key: "reporting.fx_rates", scope: "global", value_type: "json", value: JSON.stringify({ USD: "0.92" }) },
    ])
    .execute();
  // Org B budgets in USD: its budget counts USD calls only (the gateway's rule), its spend is converted like everywhere.
  await db.kysely.updateTable("organizations").set({ budget_currency: "USD", monthly_budget: "10" }).where("id", "=", ids.orgB).execute();
}

/** The exact expected amount in EUR for some calls (computed here from the seed, not copied from a page). */
function expected(orgs: string[], range: { from: string; to: string }) {
  const calls = CALLS.filter((c) => orgs.includes(c.org) && c.day >= range.from && c.day <= range.to);
  const rate: Record<string, string> = { EUR: "1", USD: "0.92" };
  const amount = calls.filter((c) => rate[c.currency]).reduce((s, c) => s.plus(new Decimal(c.cost).times(rate[c.currency]!)), new Decimal(0));
  const gbp = calls.filter((c) => c.currency === "GBP").reduce((s, c) => s.plus(c.cost), new Decimal(0));
  return { amount: amount.toFixed(), unconverted: gbp.isZero() ? {} : { GBP: gbp.toFixed() } };
}

const VIEWS: { user: FixtureUser; orgs: string[] }[] = [
  { user: "financeA", orgs: [ids.orgA] },
  { user: "platformAdmin", orgs: [ids.orgA, ids.orgB] },
];

describe.each(databaseTargets())("one money truth on $name", (target) => {
  let db: Database;

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    await seed(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it.each(VIEWS)("$user: Overview, Costs, Savings, Budgets and the CSVs agree exactly", async ({ user, orgs }) => {
    const claims = claimsFor(user);
    const want = expected(orgs, MONTH);
    expect(want.amount).not.toBe("0");

    const costs = await loadCosts(db, claims, { ...MONTH, org: null });
    expect({ amount: costs.total.amount, unconverted: costs.total.unconverted }).toEqual(want);

    const overview = await loadOverview(db, claims, NOW);
    expect(overview.currency).toBe("EUR");
    expect({ amount: overview.monthTotal.amount, unconverted: overview.monthTotal.unconverted }).toEqual(want);
    // One row per organization, and the rows add up to the total.
    expect(overview.monthToDate.map((r) => r.organizationId).sort()).toEqual([...orgs].sort());
    const rowsSum = overview.monthToDate.reduce((s, r) => s.plus(r.spend.amount), new Decimal(0));
    expect(rowsSum.toFixed()).toBe(want.amount);
    // The 30-day cost card is the Costs total for the same 30 days.
    const costs30 = await loadCosts(db, claims, { ...LAST_30, org: null });
    expect({ amount: overview.cost30.amount, unconverted: overview.cost30.unconverted }).toEqual({ amount: costs30.total.amount, unconverted: costs30.total.unconverted });
    expect(overview.cost30.amount).toBe(expected(orgs, LAST_30).amount);
    const trendSum = overview.daily.reduce((s, d) => s.plus(d.cost), new Decimal(0));
    expect(trendSum.toFixed()).toBe(overview.cost30.amount);

    const budgets = await loadBudgets(db, claims, NOW);
    expect({ amount: budgets.total.amount, unconverted: budgets.total.unconverted }).toEqual(want);
    expect(budgets.organizations.reduce((s, o) => s.plus(o.spentAll.amount), new Decimal(0)).toFixed()).toBe(want.amount);

    // Every call has a baseline: the Savings base (actual cost compared) is the same spend.
    const savings = await loadSavings(db, claims, { ...MONTH, org: null });
    const eur = savings.totals.find((t) => t.converted);
    expect(eur?.currency).toBe("EUR");
    expect(eur?.actual).toBe(want.amount);
    expect(eur?.baseline).toBe(new Decimal(want.amount).times(2).toFixed());
    const gbp = savings.totals.find((t) => !t.converted);
    expect(gbp ? { GBP: gbp.actual } : {}).toEqual(want.unconverted);

    // The Calls total line for the same days: the ledger summed by the same rule (lib/db/money.ts).
    const calls = await loadCallTotals(db, claims, { from: MONTH.from, to: MONTH.to });
    expect({ amount: calls.amount, unconverted: calls.unconverted }).toEqual(want);
    expect(calls.calls).toBe(costs.total.calls);

    // The CSVs carry the same exact amounts, the unconverted ones on lines of their own.
    const costsCsv = parseCsv(costsToCsv(costs));
    expect(costsCsv.find((r) => r[0] === "Total" && r[5] === "")?.slice(3, 5)).toEqual([want.amount, "EUR"]);
    expect(costsCsv.filter((r) => r[0] === "Total" && r[5] === "yes").map((r) => [r[4], r[3]])).toEqual(Object.entries(want.unconverted));
    const savingsCsv = parseCsv(savingsToCsv(savings));
    expect(savingsCsv.find((r) => r[0] === "Total" && r[13] === "")?.[8]).toBe(want.amount);
  });

  it.each(VIEWS)("$user: Overview's and the organization page's 'saved by cache' equal Savings' for the same days", async ({ user, orgs }) => {
    const claims = claimsFor(user);
    const want = expectedCache(orgs);
    expect(want.hits).toBeGreaterThan(0);
    // Savings reads the card for its filters in its zone (app/(dashboard)/savings/page.tsx).
    const savings = await loadSavings(db, claims, { ...MONTH, org: null });
    const onSavings = await loadCacheSavings(db, claims, { ...MONTH, organizationId: null, zone: savings.zone });
    expect({ hits: onSavings.hits, amount: onSavings.saved.amount, unconverted: onSavings.saved.unconverted }).toEqual(want);

    const overview = await loadOverview(db, claims, NOW);
    expect(overview.cacheSaved).toMatchObject({ from: MONTH.from, to: MONTH.to, hits: onSavings.hits });
    expect(overview.cacheSaved.saved).toEqual(onSavings.saved);

    for (const org of orgs) {
      const page = await loadOrganizationSpend(db, claims, org, { now: NOW });
      const filtered = await loadCacheSavings(db, claims, { ...MONTH, organizationId: org, zone: savings.zone });
      expect(page.cacheSaved).toMatchObject({ from: MONTH.from, to: MONTH.to, hits: filtered.hits });
      expect(page.cacheSaved.saved).toEqual(filtered.saved);
      const one = expectedCache([org]);
      expect({ hits: filtered.hits, amount: filtered.saved.amount, unconverted: filtered.saved.unconverted }).toEqual(one);
    }
  });

  it("a budget counts its own currency; the converted spend is shown beside it", async () => {
    const budgets = await loadBudgets(db, claimsFor("platformAdmin"), NOW);
    const b = budgets.organizations.find((o) => o.id === ids.orgB);
    expect(b?.currency).toBe("USD");
    expect(b?.spent).toBe("2.000001");
    expect(b?.spentAll.amount).toBe(expected([ids.orgB], MONTH).amount);
    const overview = await loadOverview(db, claimsFor("platformAdmin"), NOW);
    const row = overview.monthToDate.find((r) => r.organizationId === ids.orgB);
    expect([row?.budgetSpent, row?.budgetCurrency, row?.budget && new Decimal(row.budget).toFixed()]).toEqual(["2.000001", "USD", "10"]);
  });

  it("a cost of 0.000012 exports as 0.000012, not 0.00", async () => {
    const costs = await loadCosts(db, claimsFor("financeA"), { ...MONTH, org: null });
    expect(costsToCsv(costs).split("\r\n")).toContain("Model,tiny-model,1,0.000012,EUR,");
  });
});
