import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import type { Database } from "@/lib/db/client";
import { loadSavings } from "@/lib/db/savings";
import { SAVINGS_CSV_HEADER, savingsRowCells, savingsToCsv, shownSavingsRows } from "@/lib/reports/savings-csv";
import { parseSavingsFilters, savingsGranularity, type SavingsFilters } from "@/lib/schemas/savings-filters";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids } from "@/tests/helpers/fixtures";

/** Savings loader and CSV, under RLS as fixture users, on calls written through the rollup trigger. */

/** August to November: past 93 days, so by month (the day view is in dashboard-date-range-pages.test.ts). */
const RANGE: SavingsFilters = { from: "2026-08-01", to: "2026-11-30", org: null };
const NOW = new Date("2026-11-24T10:00:00Z");

describe("savings filters", () => {
  it.each([
    // The last 6 months by default; the shared control's days and presets; old month links still open.
    [{}, { from: "2026-06-01", to: "2026-11-24", org: null, preset: null, zone: "UTC" }],
    [{ preset: "last_month" }, { from: "2026-10-01", to: "2026-10-31", org: null, preset: "last_month", zone: "UTC" }],
    [{ from: "2025-12", to: "2026-02", org: ids.orgA }, { from: "2025-12-01", to: "2026-02-28", org: ids.orgA, preset: null, zone: "UTC" }],
    [{ from: "2026-11-03", to: "2026-11-05" }, { from: "2026-11-03", to: "2026-11-05", org: null, preset: null, zone: "UTC" }],
  ])("accepts %j", (params, expected) => {
    expect(parseSavingsFilters(params, NOW)).toEqual({ ok: true, filters: expected });
  });

  it.each([
    [{ from: "2026-13" }, "from", "Use a date like"],
    [{ from: "2026-11", to: "2026-10" }, "from", "on or before"],
    [{ from: "2020-01", to: "2026-11" }, "to", "at most 5 years"],
    [{ org: "acme" }, "org", "Unknown organization"],
    [{ preset: "last_year" }, "preset", "Unknown period"],
  ])("refuses %j with an error on %s and shows the defaults", (params, field, message) => {
    const parsed = parseSavingsFilters(params, NOW);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[field]?.join(" ")).toContain(message);
    expect(parsed.filters).toMatchObject({ from: "2026-06-01", to: "2026-11-24" });
  });

  it("reads by day up to 93 days and by month beyond", () => {
    expect(savingsGranularity({ from: "2026-10-01", to: "2026-11-30" })).toBe("day");
    expect(savingsGranularity(RANGE)).toBe("month");
  });
});

type Call = { org: string | null; at: string; cost: string | null; baseline: string | null; currency: string | null; model?: string };

describe.each(databaseTargets())("dashboard savings on $name", (target) => {
  let db: Database;

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    await sql`select public.ensure_llm_calls_partitions('2026-10-01'::date, '2026-11-30'::date)`.execute(db.kysely);
    const calls: Call[] = [
      // A, November, EUR: 0.30 actual against 1.20 baseline.
      { org: ids.orgA, at: "2026-11-03T09:00:00Z", cost: "0.10", baseline: "0.50", currency: "EUR" },
      { org: ids.orgA, at: "2026-11-03T10:00:00Z", cost: "0.20", baseline: "0.70", currency: "EUR" },
      // A, November, GBP (no rate): its own row, never added to EUR.
      { org: ids.orgA, at: "2026-11-04T09:00:00Z", cost: "1.00", baseline: "3.00", currency: "GBP" },
      // A, November: a failed call without any cost (counted, not compared).
      { org: ids.orgA, at: "2026-11-05T09:00:00Z", cost: null, baseline: null, currency: null },
      // A, October: a day whose rollup row mixes calls with and without a baseline: not compared.
      { org: ids.orgA, at: "2026-10-05T09:00:00Z", cost: "0.05", baseline: "0.15", currency: "EUR" },
      { org: ids.orgA, at: "2026-10-05T11:00:00Z", cost: "0.07", baseline: null, currency: "EUR" },
      { org: ids.orgA, at: "2026-10-06T09:00:00Z", cost: "0.02", baseline: "0.04", currency: "EUR" },
      // B, November, EUR: more expensive than its baseline.
      { org: ids.orgB, at: "2026-11-07T09:00:00Z", cost: "1.000000000001", baseline: "0.5", currency: "EUR" },
    ];
    await db.kysely
      .insertInto("llm_calls")
      .values(
        calls.map((c, i) => ({
          request_id: `99000000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`,
          created_at: c.at,
          app_id: ids.app,
          organization_id: c.org,
          provider_code: "rls-mock",
          model_code: "mock-small",
          status: c.cost === null ? ("failed" as const) : ("ok" as const),
          cost: c.cost,
          currency: c.currency,
          pricing_source: c.cost === null ? null : ("database" as const),
          baseline_cost: c.baseline,
          baseline_model_id: c.baseline === null ? null : ids.models.primary,
        })),
      )
      .execute();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("finance of A sees exact savings per month for A only, currencies kept apart", async () => {
    const data = await loadSavings(db, claimsFor("financeA"), RANGE);
    expect(data.organizations.map((o) => o.id)).toEqual([ids.orgA]);
    const rows = data.rows.map((r) => ({ org: r.organizationId, month: r.period, currency: r.currency, calls: r.calls, compared: r.compared, actual: r.actual, baseline: r.baseline, savings: r.savings, pct: r.pct }));
    expect(rows).toEqual([
      { org: ids.orgA, month: "2026-10", currency: "EUR", calls: 3, compared: 1, actual: "0.02", baseline: "0.04", savings: "0.02", pct: "50" },
      // November EUR: 2 EUR calls, the failed call and the fixture's USD call (USD has no rate, but
      // it has no baseline, so it only counts as a call without one).
      { org: ids.orgA, month: "2026-11", currency: "EUR", calls: 3, compared: 2, actual: "0.3", baseline: "1.2", savings: "0.9", pct: "75" },
      { org: ids.orgA, month: "2026-11", currency: "GBP", calls: 1, compared: 1, actual: "1", baseline: "3", savings: "2", pct: "66.666666666666666667" },
      { org: ids.orgA, month: "2026-11", currency: "USD", calls: 1, compared: 0, actual: "0", baseline: "0", savings: "0", pct: null },
    ]);
    expect(data.rows.filter((r) => !r.converted).map((r) => r.currency)).toEqual(["GBP", "USD"]);
    expect(data.totals.map((t) => [t.currency, t.actual, t.baseline, t.compared])).toEqual([
      ["EUR", "0.32", "1.24", 3],
      ["GBP", "1", "3", 1],
      ["USD", "0", "0", 0],
    ]);
    expect(data.chart).toEqual([
      { period: "2026-08", actual: "0", baseline: "0" },
      { period: "2026-09", actual: "0", baseline: "0" },
      { period: "2026-10", actual: "0.02", baseline: "0.04" },
      { period: "2026-11", actual: "0.3", baseline: "1.2" },
    ]);
    expect(data.apps).toHaveLength(3);
    expect(data.apps[0]).toMatchObject({ app: "RLS app", baselineModel: "mock-large", currency: "EUR", compared: 3 });
  });

  it("a platform admin sees both organizations; negative savings stay negative; the org filter narrows", async () => {
    const all = await loadSavings(db, claimsFor("platformAdmin"), RANGE);
    const b = all.rows.find((r) => r.organizationId === ids.orgB && r.currency === "EUR");
    expect(b).toMatchObject({ period: "2026-11", actual: "1.000000000001", baseline: "0.5", savings: "-0.500000000001", compared: 1 });
    expect(new Set(all.rows.map((r) => r.organizationId))).toEqual(new Set([ids.orgA, ids.orgB, null]));
    const onlyB = await loadSavings(db, claimsFor("platformAdmin"), { ...RANGE, org: ids.orgB });
    expect(new Set(onlyB.rows.map((r) => r.organizationId))).toEqual(new Set([ids.orgB]));
    // A filter never widens what RLS allows.
    expect((await loadSavings(db, claimsFor("financeA"), { ...RANGE, org: ids.orgB })).rows).toEqual([]);
    expect((await loadSavings(db, claimsFor("outsider"), RANGE)).rows).toEqual([]);
  });

  it("converts with reporting.fx_rates like the Costs page and exports exactly the shown rows", async () => {
    await db.kysely
      .insertInto("app_configuration")
      .values([
        { key: "reporting.currency", scope: "global", value_type: "string", value: JSON.stringify("EUR") },
        { key: "reporting.fx_rates", scope: "global", value_type: "json", value: JSON.stringify({ GBP: "1.2" }) },
      ])
      .execute();
    try {
      // November alone is 30 days, so by day: 3, 4 and 5 November.
      const data = await loadSavings(db, claimsFor("financeA"), { ...RANGE, from: "2026-11-01" });
      // Per day: 0.30 EUR on the 3rd, 1.00 GBP × 1.2 on the 4th, a call without cost on the 5th,
      // the fixture's USD call (no rate, its own row) on the 10th.
      expect(data.granularity).toBe("day");
      expect(data.rows.map((r) => [r.period, r.currency, r.actual, r.baseline, r.savings, r.compared])).toEqual([
        ["2026-11-03", "EUR", "0.3", "1.2", "0.9", 2],
        ["2026-11-04", "EUR", "1.2", "3.6", "2.4", 1],
        ["2026-11-05", "EUR", "0", "0", "0", 0],
        ["2026-11-10", "USD", "0", "0", "0", 0],
      ]);
      // 0.30 EUR + 1.00 GBP × 1.2 = 1.50 EUR actual; 1.20 + 3.60 = 4.80 EUR baseline.
      expect(data.totals.map((t) => [t.currency, t.actual, t.baseline, t.savings, t.compared])).toEqual([
        ["EUR", "1.5", "4.8", "3.3", 3],
        ["USD", "0", "0", "0", 0],
      ]);
      expect(data.currencies).toEqual([
        { currency: "EUR", rate: "1" },
        { currency: "GBP", rate: "1.2" },
        { currency: "USD", rate: null },
      ]);
      const shown = shownSavingsRows(data);
      expect(shown[0]).toMatchObject({ section: "Organization and period", organization: "Org A", period: "2026-11-03", actual: "0.3", baseline: "1.2", savings: "0.9", savingsPct: "75.0", withoutBaseline: 0 });
      const csv = savingsToCsv(data).trimEnd().split("\r\n");
      expect(csv[0]).toBe(SAVINGS_CSV_HEADER.join(","));
      expect(csv.slice(1)).toEqual(shown.map((r) => savingsRowCells(r).join(",")));
      // Exact amounts, not rounded to cents.
      expect(csv).toContain("Total,,2026-11-01 to 2026-11-30,,,4,3,1,1.5,4.8,3.3,68.8,EUR,");
    } finally {
      await sql`delete from public.app_configuration where key in ('reporting.currency', 'reporting.fx_rates')`.execute(db.kysely);
    }
  });
});
