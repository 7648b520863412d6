import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import type { Database } from "@/lib/db/client";
import { costsToCsv, periodCostRows, shownCostRows } from "@/lib/reports/costs-csv";
import { loadCosts } from "@/lib/db/costs";
import { convertAmounts, reportingCurrencyFrom } from "@/lib/engine/currency";
import { parseCostFilters, type CostFilters } from "@/lib/schemas/cost-filters";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids } from "@/tests/helpers/fixtures";

/** Costs loader, currency conversion and CSV, under RLS as fixture users. */

const NOV: CostFilters = { from: "2026-11-01", to: "2026-11-30", org: null };
const NOW = new Date("2026-11-24T10:00:00Z");

describe("cost filters", () => {
  it.each([
    [{}, { from: "2026-10-26", to: "2026-11-24", org: null, preset: null, zone: "UTC" }],
    [{ from: "2026-11-01", to: "2026-11-30", org: ids.orgA }, { from: "2026-11-01", to: "2026-11-30", org: ids.orgA, preset: null, zone: "UTC" }],
    [{ preset: "last_7_days" }, { from: "2026-11-18", to: "2026-11-24", org: null, preset: "last_7_days", zone: "UTC" }],
  ])("accepts %j", (params, expected) => {
    expect(parseCostFilters(params, NOW)).toEqual({ ok: true, filters: expected });
  });

  it.each([
    [{ from: "2026-02-30" }, "from", "not a valid calendar date"],
    [{ from: "24/11/2026" }, "from", "Use a date like"],
    [{ from: "2026-11-20", to: "2026-11-01" }, "from", "on or before"],
    [{ from: "2020-01-01", to: "2026-11-01" }, "to", "at most 5 years"],
    [{ org: "acme" }, "org", "Unknown organization"],
  ])("refuses %j with an error on %s", (params, field, message) => {
    const parsed = parseCostFilters(params, NOW);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors[field]?.join(" ")).toContain(message);
    expect(parsed.filters.to).toBe("2026-11-24");
  });
});

describe("currency conversion", () => {
  const eurWithUsd = reportingCurrencyFrom("EUR", { USD: "0.92" });
  it("converts with the rate and keeps currencies without one apart", () => {
    const out = convertAmounts(
      [{ currency: "EUR", amount: "1.5" }, { currency: "USD", amount: "2" }, { currency: "GBP", amount: "3" }, { currency: "GBP", amount: "0.25" }],
      eurWithUsd,
    );
    expect(out).toEqual({ amount: "3.34", unconverted: { GBP: "3.25" } });
  });
  it("falls back to EUR and no rates for malformed settings", () => {
    expect(reportingCurrencyFrom("euro", { USD: "-1" })).toMatchObject({ currency: "EUR", rates: {}, fromSettings: { currency: false, rates: false } });
  });
});

describe.each(databaseTargets())("dashboard costs on $name", (target) => {
  let db: Database;

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("finance of A sees only A's costs; USD is not converted without a rate", async () => {
    const data = await loadCosts(db, claimsFor("financeA"), NOV);
    expect(data.reporting.currency).toBe("EUR");
    expect(data.breakdowns.organization.map((r) => r.key)).toEqual([ids.orgA]);
    expect(data.total).toMatchObject({ calls: 1, amount: "0", unconverted: { USD: "0.0006" } });
    expect(data.currencies).toEqual([{ currency: "USD", rate: null }]);
    expect(data.series.map((s) => s.key)).toEqual([ids.orgA]);
  });

  it("a platform admin sees every organization and calls without one", async () => {
    const data = await loadCosts(db, claimsFor("platformAdmin"), NOV);
    expect(data.breakdowns.organization.map((r) => r.key).sort()).toEqual([ids.orgA, ids.orgB, null].sort());
    expect(data.total.calls).toBe(3);
  });

  it("an outsider sees nothing, and the org filter narrows but never widens", async () => {
    expect((await loadCosts(db, claimsFor("outsider"), NOV)).total.calls).toBe(0);
    const other = await loadCosts(db, claimsFor("financeA"), { ...NOV, org: ids.orgB });
    expect(other.total.calls).toBe(0);
  });

  it("converts with the rate from settings and exports exactly the shown rows", async () => {
    await db.kysely
      .insertInto("app_configuration")
      .values([
        { key: "reporting.currency", scope: "global", value_type: "string", value: JSON.stringify("EUR") },
        { key: "reporting.fx_rates", scope: "global", value_type: "json", value: JSON.stringify({ USD: "0.92" }) },
      ])
      .execute();
    try {
      const data = await loadCosts(db, claimsFor("financeA"), NOV);
      expect(data.total).toMatchObject({ amount: "0.000552", unconverted: {} });
      expect(data.currencies).toEqual([{ currency: "USD", rate: "0.92" }]);
      const rows = shownCostRows(data);
      expect(rows.map((r) => r.breakdown)).toEqual(["Organization", "Model", "Provider", "Pipeline stage", "Request type", "Total"]);
      const csv = costsToCsv(data).trimEnd().split("\r\n");
      expect(csv[0]).toBe("breakdown,name,calls,cost,currency,not_converted");
      const line = (r: (typeof rows)[number]) => [r.breakdown, r.name, r.calls, r.cost, r.currency, ""].join(",");
      // The breakdowns, then one line per day of the chart (30 November days, UTC), then the total.
      expect(csv.slice(1, rows.length)).toEqual(rows.slice(0, -1).map(line));
      expect(csv.slice(rows.length, rows.length + 30)).toEqual(periodCostRows(data).map(line));
      expect(periodCostRows(data).map((r) => r.breakdown)).toEqual(Array(30).fill("Day (UTC)"));
      expect(periodCostRows(data).find((r) => r.calls > 0)).toMatchObject({ cost: "0.000552", currency: "EUR" });
      const totalRow = rows.at(-1);
      expect(totalRow && csv.at(-1)).toBe(totalRow && line(totalRow));
      expect(data.periods.reduce((n, p) => n + p.calls, 0)).toBe(data.total.calls);
      // Exact: 0.0006 USD × 0.92 is 0.000552 EUR, not 0.00.
      expect(csv).toContain("Model,mock-large,1,0.000552,EUR,");
    } finally {
      await sql`delete from public.app_configuration where key in ('reporting.currency', 'reporting.fx_rates')`.execute(db.kysely);
    }
  });
});
