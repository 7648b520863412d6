import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { loadCallTotals, listCalls, resolveCallFilters } from "@/lib/db/calls";
import { loadCompleteness } from "@/lib/db/completeness";
import { loadCosts } from "@/lib/db/costs";
import { loadFeedback } from "@/lib/db/feedback";
import { loadCacheSavings } from "@/lib/db/cache-savings";
import { loadSavings } from "@/lib/db/savings";
import { costsToCsv } from "@/lib/reports/costs-csv";
import { parseCallFilters } from "@/lib/schemas/call-filters";
import type { CostFilters } from "@/lib/schemas/cost-filters";
import { parseSavingsFilters } from "@/lib/schemas/savings-filters";
import { parseCsv } from "@/e2e/csv";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids } from "@/tests/helpers/fixtures";

/**
 * Issue 12's date ranges on the pages that came after Costs, on the real loaders under RLS:
 * Completeness and Feedback count days of the reporting time zone (Europe/Amsterdam against UTC
 * on the same calls), the Calls total line equals the Costs total for the same days and
 * organization (UTC and Amsterdam), a Calls link's `tz` selects exactly that zone's day, Savings
 * takes presets and zone days, and the Costs CSV carries one line per period of the chart.
 */

const AMS = "Europe/Amsterdam";

/**
 * Calls of organization A around Amsterdam's midnights (UTC+1 in November). `complete` false
 * leaves the pipeline stage out (an incomplete record); every priced call has a baseline.
 */
const CALLS: { at: string; cost: string | null; complete: boolean }[] = [
  { at: "2026-11-14T22:30:00Z", cost: "1.25", complete: true }, // the 14th in both (23:30 in Amsterdam)
  { at: "2026-11-14T23:30:00Z", cost: "2.5", complete: false }, // UTC 14th, Amsterdam 15th 00:30
  { at: "2026-11-15T12:00:00Z", cost: "0.000000000007", complete: true }, // the 15th in both
  { at: "2026-11-15T23:15:00Z", cost: null, complete: false }, // UTC 15th, Amsterdam 16th (no price)
  { at: "2026-11-16T10:00:00Z", cost: "4", complete: true }, // the 16th in both
];

/** Feedback of organization A: score and the instant it was given. */
const FEEDBACK: { at: string; score: number; correct: boolean | null }[] = [
  { at: "2026-11-14T23:30:00Z", score: 5, correct: true }, // Amsterdam 15th, UTC 14th
  { at: "2026-11-15T12:00:00Z", score: 3, correct: false }, // 15th in both
  { at: "2026-11-15T23:15:00Z", score: 1, correct: null }, // Amsterdam 16th, UTC 15th
];

const DAY15: CostFilters = { from: "2026-11-15", to: "2026-11-15", org: ids.orgA };
const MID: CostFilters = { from: "2026-11-14", to: "2026-11-16", org: ids.orgA };

describe.each(databaseTargets())("date ranges on Completeness, Feedback, Calls and Savings on $name", (target) => {
  let db: Database;

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    await sql`select public.ensure_llm_calls_partitions('2026-11-01'::date, '2026-12-31'::date)`.execute(db.kysely);
    await db.kysely
      .insertInto("llm_calls")
      .values(
        CALLS.map((c) => ({
          id: randomUUID(), request_id: randomUUID(), created_at: c.at, app_id: ids.app, organization_id: ids.orgA,
          action_type: "classify", request_type: "classify", pipeline_stage: c.complete ? "triage" : null, provider_id: ids.provider,
          provider_code: "rls-mock", model_id: ids.models.primary, model_code: "mock-large", prompt_tokens: 100,
          completion_tokens: 20, total_tokens: 120, cost: c.cost, currency: c.cost === null ? null : "EUR",
          pricing_source: c.cost === null ? null : ("database" as const), price_id: c.cost === null ? null : ids.prices.primary,
          baseline_cost: c.cost === null ? null : "5", baseline_model_id: c.cost === null ? null : ids.models.primary,
          latency_ms: 250, status: "ok" as const,
        })),
      )
      .execute();
    await db.kysely
      .insertInto("production_feedback")
      .values(
        FEEDBACK.map((f) => ({
          request_id: randomUUID(), organization_id: ids.orgA, app_id: ids.app, action_type: "classify", query_pattern: "zoned",
          model_code: "mock-zoned", quality_score: f.score, is_correct: f.correct, source: "seed" as const, created_at: new Date(f.at),
        })),
      )
      .execute();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("Completeness counts per Amsterdam day (hourly rollups) and per UTC day (daily rollups); totals agree", async () => {
    const claims = claimsFor("financeA");
    const utc = await loadCompleteness(db, claims, { ...MID, zone: "UTC" });
    const ams = await loadCompleteness(db, claims, { ...MID, zone: AMS });
    // Only the fixture's own call of the 10th is outside; the five calls fall on these days.
    expect(utc.daily.map((d) => [d.day, d.calls, d.complete])).toEqual([["2026-11-14", 2, 1], ["2026-11-15", 2, 1], ["2026-11-16", 1, 1]]);
    expect(ams.daily.map((d) => [d.day, d.calls, d.complete])).toEqual([["2026-11-14", 1, 1], ["2026-11-15", 2, 1], ["2026-11-16", 2, 1]]);
    // Whole range: the same calls, the same coverage, incomplete groups and missing prices either way.
    for (const key of ["calls", "complete", "coverage", "incomplete", "missingPrices"] as const) expect(ams[key]).toEqual(utc[key]);
    expect(ams.incomplete.reduce((n, g) => n + g.count, 0)).toBe(2);
    // One Amsterdam day differs from the UTC day of the same date.
    const dayUtc = await loadCompleteness(db, claims, { ...DAY15, zone: "UTC" });
    const dayAms = await loadCompleteness(db, claims, { ...DAY15, zone: AMS });
    expect([dayUtc.calls, dayUtc.complete, dayUtc.coverage.find((c) => c.field === "cost")?.present]).toEqual([2, 1, 1]);
    expect([dayAms.calls, dayAms.complete, dayAms.coverage.find((c) => c.field === "cost")?.present]).toEqual([2, 1, 2]);
    // RLS holds on the ledger path: B's admin sees none of A's calls.
    expect((await loadCompleteness(db, claimsFor("adminB"), { ...MID, org: null, zone: AMS })).calls).toBe(0);
  });

  it("Completeness: the hourly rollups (Amsterdam) agree with the ledger (Kolkata, +05:30) through repricing and delete", async () => {
    const claims = claimsFor("financeA");
    const view = async (zone: string) => {
      const d = await loadCompleteness(db, claims, { ...MID, zone });
      return { calls: d.calls, complete: d.complete, coverage: d.coverage, incomplete: d.incomplete, missing: d.missingPrices };
    };
    // Over the whole three days both zones see the same five calls (none near the edges in Kolkata either).
    expect(await view(AMS)).toEqual(await view("Asia/Kolkata"));
    const id = randomUUID();
    await db.kysely
      .insertInto("llm_calls")
      .values({
        id, request_id: randomUUID(), created_at: "2026-11-15T18:45:00Z", app_id: ids.app, organization_id: ids.orgA,
        action_type: "classify", request_type: "classify", provider_id: ids.provider, provider_code: "rls-mock",
        model_id: ids.models.primary, model_code: "mock-large", prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, status: "ok" as const,
      })
      .execute();
    const missing = async (zone: string) => (await view(zone)).missing.find((m) => m.model === "mock-large")?.unpriced;
    expect(await missing(AMS)).toBe(2);
    expect(await view(AMS)).toEqual(await view("Asia/Kolkata"));
    await db.kysely.updateTable("llm_calls").set({ cost: "0.5", currency: "EUR", pricing_source: "database" }).where("id", "=", id).execute();
    expect(await missing(AMS)).toBe(1);
    expect(await view(AMS)).toEqual(await view("Asia/Kolkata"));
    await db.kysely.deleteFrom("llm_calls").where("id", "=", id).execute();
    expect(await view(AMS)).toEqual(await view("Asia/Kolkata"));
    const { rows } = await sql<{ hourly: number; ledger: number; incomplete_hourly: number; incomplete_daily: number }>`
      select (select sum(complete_calls)::int from public.llm_call_quality_hourly) as hourly,
             (select count(*)::int from public.llm_calls where record_complete) as ledger,
             (select sum(calls)::int from public.llm_call_incomplete_hourly) as incomplete_hourly,
             (select sum(calls)::int from public.llm_call_incomplete_daily) as incomplete_daily`.execute(db.kysely);
    expect(rows[0]?.hourly).toBe(rows[0]?.ledger);
    expect(rows[0]?.incomplete_hourly).toBe(rows[0]?.incomplete_daily);
  });

  it("Feedback counts the feedback of the zone's days: summary and distribution", async () => {
    const claims = claimsFor("financeA");
    const utc = await loadFeedback(db, claims, { ...DAY15, zone: "UTC" });
    const ams = await loadFeedback(db, claims, { ...DAY15, zone: AMS });
    const zoned = (d: typeof utc) => d.summary.by_model.find((g) => g.key === "mock-zoned");
    // UTC 15th: scores 3 and 1; Amsterdam 15th: scores 5 and 3.
    expect(zoned(utc)).toMatchObject({ count: 2, avg_score: 2, correctness_rate: 0 });
    expect(zoned(ams)).toMatchObject({ count: 2, avg_score: 4, correctness_rate: 0.5 });
    expect(ams.distribution.filter((b) => b.count > 0).map((b) => [b.score, b.count])).toEqual([[3, 1], [5, 1]]);
    expect(utc.distribution.filter((b) => b.count > 0).map((b) => [b.score, b.count])).toEqual([[1, 1], [3, 1]]);
    // The three days hold all three either way.
    for (const zone of ["UTC", AMS]) expect(zoned(await loadFeedback(db, claims, { ...MID, zone }))?.count).toBe(3);
    expect(zoned(await loadFeedback(db, claimsFor("adminB"), { ...MID, org: null, zone: AMS }))).toBeUndefined();
  });

  it("the Calls total equals the Costs total for the same days and organization, in UTC and in Amsterdam", async () => {
    await db.kysely
      .insertInto("app_configuration")
      .values([{ key: "reporting.fx_rates", scope: "global", value_type: "json", value: JSON.stringify({ USD: "0.92" }) }])
      .execute();
    try {
      for (const user of ["financeA", "platformAdmin"] as const) {
        for (const zone of ["UTC", AMS]) {
          for (const range of [DAY15, MID, { from: "2026-11-01", to: "2026-11-30", org: null }]) {
            const costs = await loadCosts(db, claimsFor(user), { ...range, zone });
            const calls = await loadCallTotals(db, claimsFor(user), { organization: range.org ?? undefined, from: range.from, to: range.to, zone });
            expect({ calls: calls.calls, amount: calls.amount, unconverted: calls.unconverted }).toEqual({
              calls: costs.total.calls, amount: costs.total.amount, unconverted: costs.total.unconverted,
            });
          }
        }
      }
      // The fixture's USD call is converted at 0.92 in both.
      const nov = await loadCallTotals(db, claimsFor("financeA"), { from: "2026-11-01", to: "2026-11-30" });
      expect(nov.unconverted).toEqual({});
    } finally {
      await db.kysely.deleteFrom("app_configuration").where("key", "=", "reporting.fx_rates").execute();
    }
  });

  it("a Calls link with tz selects exactly that zone's day; without tz the reporting zone applies; presets resolve in it", async () => {
    const claims = claimsFor("financeA");
    const times = async (params: Record<string, string>) =>
      (await listCalls(db, claims, await resolveCallFilters(db, claims, parseCallFilters(params)))).rows.map((r) => r.createdAt.toISOString()).sort();
    expect(await times({ from: "2026-11-15", to: "2026-11-15", tz: AMS })).toEqual(["2026-11-14T23:30:00.000Z", "2026-11-15T12:00:00.000Z"]);
    expect(await times({ from: "2026-11-15", to: "2026-11-15" })).toEqual(["2026-11-15T12:00:00.000Z", "2026-11-15T23:15:00.000Z"]);
    await db.kysely
      .insertInto("app_configuration")
      .values([
        { key: "reporting.time_zone", scope: "global", value_type: "string", value: JSON.stringify("UTC") },
        { key: "reporting.time_zone", scope: "organization", organization_id: ids.orgA, value_type: "string", value: JSON.stringify(AMS) },
      ])
      .execute();
    try {
      // Organization A's own zone for a view of A; the URL's tz still wins.
      expect(await times({ organization: ids.orgA, from: "2026-11-15", to: "2026-11-15" })).toEqual(["2026-11-14T23:30:00.000Z", "2026-11-15T12:00:00.000Z"]);
      expect(await times({ organization: ids.orgA, from: "2026-11-15", to: "2026-11-15", tz: "UTC" })).toEqual(["2026-11-15T12:00:00.000Z", "2026-11-15T23:15:00.000Z"]);
      const resolved = await resolveCallFilters(db, claims, parseCallFilters({ organization: ids.orgA, preset: "yesterday" }), new Date("2026-11-15T23:30:00Z"));
      expect(resolved).toMatchObject({ from: "2026-11-15", to: "2026-11-15", zone: AMS, preset: "yesterday" });
    } finally {
      await db.kysely.deleteFrom("app_configuration").where("key", "=", "reporting.time_zone").execute();
    }
  });

  it("Savings takes presets and counts the zone's days; bad params fall back to the defaults", async () => {
    const now = new Date("2026-11-16T12:00:00Z");
    const parsed = parseSavingsFilters({ preset: "yesterday", org: ids.orgA }, now, AMS);
    expect(parsed).toMatchObject({ ok: true, filters: { from: "2026-11-15", to: "2026-11-15", preset: "yesterday", zone: AMS } });
    const ams = await loadSavings(db, claimsFor("financeA"), parsed.filters);
    // Amsterdam's 15th: 2.5 (baseline 5) and 0.000000000007 (baseline 5), both compared.
    expect(ams.totals).toEqual([
      expect.objectContaining({ currency: "EUR", calls: 2, compared: 2, actual: "2.500000000007", baseline: "10", savings: "7.499999999993" }),
    ]);
    expect(ams.rows.map((r) => r.period)).toEqual(["2026-11-15"]);
    const utc = await loadSavings(db, claimsFor("financeA"), { ...parsed.filters, zone: "UTC" });
    // UTC's 15th: 0.000000000007 compared, the unpriced call counted without a baseline.
    expect(utc.totals.map((t) => [t.calls, t.compared, t.actual])).toEqual([[2, 1, "0.000000000007"]]);
    for (const params of [{ preset: "fortnight" }, { from: "2026-11-31" }, { from: "yesterday", to: "today" }]) {
      const bad = parseSavingsFilters(params, now, AMS);
      expect(bad.ok).toBe(false);
      expect(bad.filters).toMatchObject({ from: "2026-06-01", to: "2026-11-16", zone: AMS });
    }
  });

  it("Savings and saved-by-cache: the hourly rollup equals the ledger per hour and group through a hit, repricing and delete", async () => {
    const claims = claimsFor("financeA");
    const cache = async (zone: string) => {
      const c = await loadCacheSavings(db, claims, { from: MID.from, to: MID.to, organizationId: ids.orgA, zone });
      return { hits: c.hits, saved: c.saved };
    };
    // The rollup's rows against the ledger grouped the same way: no row of either is missing from the other.
    const drift = async () => {
      const { rows } = await sql<{ n: number }>`
        with ledger as (
          select date_trunc('hour', c.created_at at time zone 'UTC') at time zone 'UTC' as hour, c.organization_id, c.app_id,
            c.provider_code, c.model_code, c.pipeline_stage, c.request_type, c.currency, count(*)::bigint as calls,
            count(c.cost)::bigint as calls_with_cost, count(c.baseline_cost)::bigint as calls_with_baseline,
            coalesce(sum(c.cost), 0)::numeric(28, 12) as cost, coalesce(sum(c.baseline_cost), 0)::numeric(28, 12) as baseline_cost,
            (count(*) filter (where c.cache_hit))::bigint as cache_hits, coalesce(sum(c.cache_saved_cost), 0)::numeric(28, 12) as cache_saved_cost
          from public.llm_calls c group by 1, 2, 3, 4, 5, 6, 7, 8),
        hourly as (
          select hour, organization_id, app_id, provider_code, model_code, pipeline_stage, request_type, currency, calls, calls_with_cost,
            calls_with_baseline, cost, baseline_cost, cache_hits, cache_saved_cost
          from public.llm_call_savings_hourly where calls <> 0)
        select ((select count(*) from (select * from ledger except select * from hourly) x)
              + (select count(*) from (select * from hourly except select * from ledger) y))::int as n`.execute(db.kysely);
      return rows[0]?.n;
    };
    expect(await drift()).toBe(0);
    const hit = randomUUID();
    await db.kysely
      .insertInto("llm_calls")
      .values({
        id: hit, request_id: randomUUID(), created_at: "2026-11-15T12:10:00Z", app_id: ids.app, organization_id: ids.orgA,
        action_type: "classify", request_type: "classify", pipeline_stage: "triage", provider_id: ids.provider, provider_code: "rls-mock",
        model_id: ids.models.primary, model_code: "mock-large", prompt_tokens: 0, completion_tokens: 0, total_tokens: 0,
        cost: "0", currency: "EUR", pricing_source: "cache", cache_hit: true, cache_saved_cost: "0.000000000321", status: "ok" as const,
      })
      .execute();
    try {
      expect(await drift()).toBe(0);
      // Amsterdam (hourly rollup) and Kolkata (ledger) see the one hit in these days alike.
      expect(await cache(AMS)).toEqual({ hits: 1, saved: expect.objectContaining({ byCurrency: { EUR: "0.000000000321" } }) });
      expect(await cache(AMS)).toEqual(await cache("Asia/Kolkata"));
      await db.kysely.updateTable("llm_calls").set({ cache_saved_cost: "0.5" }).where("id", "=", hit).execute();
      expect(await drift()).toBe(0);
      expect((await cache(AMS)).saved.byCurrency).toEqual({ EUR: "0.5" });
    } finally {
      await db.kysely.deleteFrom("llm_calls").where("id", "=", hit).execute();
    }
    expect(await drift()).toBe(0);
    expect((await cache(AMS)).hits).toBe(0);
  });

  it("the Costs CSV has one line per period of the chart in the zone, adding up to the total", async () => {
    const data = await loadCosts(db, claimsFor("financeA"), { ...MID, zone: AMS });
    const csv = parseCsv(costsToCsv(data));
    const days = csv.filter((r) => r[0] === `Day (${AMS})`);
    expect(days.map((r) => [r[1], r[2], r[3], r[4], r[5]])).toEqual([
      ["2026-11-14", "1", "1.25", "EUR", ""],
      ["2026-11-15", "2", "2.500000000007", "EUR", ""],
      ["2026-11-16", "2", "4", "EUR", ""],
    ]);
    expect(csv.find((r) => r[0] === "Total")?.slice(2, 5)).toEqual(["5", "7.750000000007", "EUR"]);
    const months = parseCsv(costsToCsv(await loadCosts(db, claimsFor("financeA"), { from: "2026-06-01", to: "2026-11-30", org: ids.orgA, zone: AMS })));
    // (November also has a line of its own for the fixture's USD call: no rate here.)
    expect(months.filter((r) => r[0] === `Month (${AMS})` && r[5] === "").map((r) => r[1])).toEqual(["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]);
  });
});
