import { randomUUID } from "node:crypto";
import { Decimal } from "decimal.js";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { loadCompleteness } from "@/lib/db/completeness";
import { loadCosts, type CostsData } from "@/lib/db/costs";
import { loadTimeZone } from "@/lib/db/time-zone";
import { parseCostFilters, type CostFilters } from "@/lib/schemas/cost-filters";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids } from "@/tests/helpers/fixtures";

/**
 * Date ranges (issue 12 item 4) on the real loaders under RLS: the same calls summed per day of
 * UTC and of Europe/Amsterdam (the ledger path), the reporting.time_zone rule (an organization's
 * own zone for its single-organization view, the global one otherwise), and a 400-day range by month.
 * Amsterdam is answered by the hourly rollup (llm_call_hourly), India's +05:30 by the ledger.
 */

const AMS = "Europe/Amsterdam";

/** EUR calls of organization A at instants chosen around midnight in Amsterdam (UTC+1 in November, +2 in April). */
const CALLS: { at: string; cost: string }[] = [
  { at: "2026-11-14T23:30:00Z", cost: "1.25" }, // UTC 14 Nov, Amsterdam 15 Nov 00:30
  { at: "2026-11-15T12:00:00Z", cost: "2.5" }, // 15 Nov both
  { at: "2026-11-15T23:30:00Z", cost: "4.000000000001" }, // UTC 15 Nov, Amsterdam 16 Nov
  { at: "2025-12-15T12:00:00Z", cost: "5" }, // December 2025 both
  { at: "2026-03-31T22:30:00Z", cost: "8" }, // UTC March, Amsterdam 1 April 00:30 (summer time)
];

/** Bucket → exact sum over the series, for comparing. */
function sums(data: CostsData): Record<string, string> {
  return Object.fromEntries(
    data.daily.map((d) => [d.day, Object.values(d.values).reduce((s, v) => s.plus(v), new Decimal(0)).toFixed()]),
  );
}

describe.each(databaseTargets())("date ranges on $name", (target) => {
  let db: Database;

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    await sql`select public.ensure_llm_calls_partitions('2025-11-01'::date, '2026-12-31'::date)`.execute(db.kysely);
    await db.kysely
      .insertInto("llm_calls")
      .values(
        CALLS.map((c) => ({
          id: randomUUID(), request_id: randomUUID(), created_at: c.at, app_id: ids.app, organization_id: ids.orgA,
          action_type: "classify", request_type: "classify", pipeline_stage: "triage", provider_id: ids.provider,
          provider_code: "rls-mock", model_id: ids.models.primary, model_code: "mock-large", prompt_tokens: 100,
          completion_tokens: 20, total_tokens: 120, cost: c.cost, currency: "EUR", pricing_source: "database" as const,
          price_id: ids.prices.primary, latency_ms: 250, status: "ok" as const,
        })),
      )
      .execute();
  });
  afterAll(async () => {
    await db?.close();
  });

  const mid: CostFilters = { from: "2026-11-14", to: "2026-11-16", org: ids.orgA };

  it("sums per UTC day from the rollup", async () => {
    const data = await loadCosts(db, claimsFor("financeA"), { ...mid, zone: "UTC" });
    expect(data).toMatchObject({ zone: "UTC", granularity: "day" });
    expect(sums(data)).toEqual({ "2026-11-14": "1.25", "2026-11-15": "6.500000000001" });
    expect(data.total.amount).toBe("7.750000000001");
  });

  it("sums per Amsterdam day from the ledger: each call moves to its local day, the total is whole", async () => {
    const data = await loadCosts(db, claimsFor("financeA"), { ...mid, zone: AMS });
    expect(data).toMatchObject({ zone: AMS, granularity: "day" });
    expect(sums(data)).toEqual({ "2026-11-15": "3.75", "2026-11-16": "4.000000000001" });
    expect(data.total.amount).toBe("7.750000000001");
    expect(data.breakdowns.model.map((r) => [r.key, r.calls, r.amount])).toEqual([["mock-large", 3, "7.750000000001"]]);
    // RLS holds on the ledger path too: B's finance user sees none of A's calls.
    expect((await loadCosts(db, claimsFor("adminB"), { ...mid, org: null, zone: AMS }).then((d) => d.total.calls))).toBe(0);
  });

  it("serves 400 days by month, in either zone", async () => {
    const parsed = parseCostFilters({ from: "2025-11-01", to: "2026-12-05", org: ids.orgA }, new Date("2026-12-07T10:00:00Z"), AMS);
    expect(parsed.ok).toBe(true);
    const utc = await loadCosts(db, claimsFor("financeA"), { ...parsed.filters, zone: "UTC" });
    expect(utc.granularity).toBe("month");
    // The fixture's November call is in USD without a rate: counted, never plotted as EUR.
    expect(sums(utc)).toEqual({ "2025-12": "5", "2026-03": "8", "2026-11": "7.750000000001" });
    const ams = await loadCosts(db, claimsFor("financeA"), parsed.filters);
    expect(sums(ams)).toEqual({ "2025-12": "5", "2026-04": "8", "2026-11": "7.750000000001" });
    expect(ams.total.calls).toBe(utc.total.calls);
    const completeness = await loadCompleteness(db, claimsFor("financeA"), parsed.filters);
    // Completeness follows the zone too: the call of 31 March 22:30 UTC is April's in Amsterdam.
    expect(completeness.daily.map((d) => [d.day, d.calls])).toEqual([["2025-12", 1], ["2026-04", 1], ["2026-11", 4]]);
  });

  it("refuses more than 5 years, and resolves presets in the zone", () => {
    const now = new Date("2026-11-30T23:30:00Z"); // 1 December 00:30 in Amsterdam
    expect(parseCostFilters({ from: "2020-01-01", to: "2026-11-30" }, now).ok).toBe(false);
    expect(parseCostFilters({ preset: "this_month" }, now, AMS).filters).toMatchObject({ from: "2026-12-01", to: "2026-12-01", preset: "this_month", zone: AMS });
    expect(parseCostFilters({ preset: "this_month" }, now).filters).toMatchObject({ from: "2026-11-01", to: "2026-11-30", zone: "UTC" });
  });

  it("takes the zone from reporting.time_zone: the organization's own for its view, the global one for all", async () => {
    expect(await loadTimeZone(db, claimsFor("financeA"), ids.orgA)).toBe("UTC");
    await db.kysely
      .insertInto("app_configuration")
      .values([
        { key: "reporting.time_zone", scope: "global", value_type: "string", value: JSON.stringify("America/New_York") },
        { key: "reporting.time_zone", scope: "organization", organization_id: ids.orgA, value_type: "string", value: JSON.stringify(AMS) },
        { key: "reporting.time_zone", scope: "organization", organization_id: ids.orgB, value_type: "string", value: JSON.stringify("Mars/Olympus") },
      ])
      .execute();
    try {
      expect(await loadTimeZone(db, claimsFor("financeA"), ids.orgA)).toBe(AMS);
      expect(await loadTimeZone(db, claimsFor("financeA"), null)).toBe("America/New_York");
      // An invalid stored zone reads as UTC, never a broken page.
      expect(await loadTimeZone(db, claimsFor("adminB"), ids.orgB)).toBe("UTC");
      // A's row is invisible to B's users: asking for A's zone gives the global one.
      expect(await loadTimeZone(db, claimsFor("adminB"), ids.orgA)).toBe("America/New_York");
    } finally {
      await db.kysely.deleteFrom("app_configuration").where("key", "=", "reporting.time_zone").execute();
    }
  });

  it("keeps the hourly rollup equal to the ledger through insert, repricing and delete; +05:30 reads the ledger", async () => {
    const id = randomUUID();
    const view = (zone: string) => loadCosts(db, claimsFor("financeA"), { ...mid, zone }).then(sums);
    await db.kysely
      .insertInto("llm_calls")
      .values({
        id, request_id: randomUUID(), created_at: "2026-11-15T18:45:00Z", app_id: ids.app, organization_id: ids.orgA,
        action_type: "classify", request_type: "classify", pipeline_stage: "triage", provider_id: ids.provider,
        provider_code: "rls-mock", model_id: ids.models.primary, model_code: "mock-large", cost: "0.5", currency: "EUR",
        pricing_source: "database" as const, price_id: ids.prices.primary, status: "ok" as const,
      })
      .execute();
    // 18:45 UTC is 19:45 in Amsterdam (the 15th) and 00:15 on the 16th in Kolkata.
    expect(await view(AMS)).toEqual({ "2026-11-15": "4.25", "2026-11-16": "4.000000000001" });
    expect(await view("Asia/Kolkata")).toEqual({ "2026-11-15": "3.75", "2026-11-16": "4.500000000001" });
    await db.kysely.updateTable("llm_calls").set({ cost: "0.75" }).where("id", "=", id).execute();
    expect(await view(AMS)).toEqual({ "2026-11-15": "4.5", "2026-11-16": "4.000000000001" });
    await db.kysely.deleteFrom("llm_calls").where("id", "=", id).execute();
    expect(await view(AMS)).toEqual({ "2026-11-15": "3.75", "2026-11-16": "4.000000000001" });
    const { rows } = await sql<{ hourly: string; ledger: string }>`
      select (select sum(cost)::text from public.llm_call_hourly) as hourly, (select sum(cost)::text from public.llm_calls) as ledger`.execute(db.kysely);
    expect(rows[0]?.hourly).toBe(rows[0]?.ledger);
  });
});
