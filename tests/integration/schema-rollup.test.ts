import { sql, type Insertable, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import type { DB, LlmCallsTable } from "@/lib/db/schema";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { createFixtureWorld, ids } from "@/tests/helpers/fixtures";

/**
 * The daily rollup is kept by statement triggers on llm_calls. Whatever happens to the ledger
 * (batched inserts, repricing, a call moved to another day or month, deletes, duplicate
 * deliveries), llm_call_daily must equal the aggregate over llm_calls.
 */

const KEY = "day, organization_id, app_id, provider_code, model_code, pipeline_stage, request_type, currency";

/** Rows where rollup and aggregate disagree (zero-call rollup rows left by deletes are ignored). */
async function rollupDrift(db: Kysely<DB>): Promise<unknown[]> {
  const { rows } = await sql`
    with agg as (
      select (created_at at time zone 'UTC')::date as day, organization_id, app_id, provider_code, model_code,
        pipeline_stage, request_type, currency,
        count(*)::bigint as calls, count(*) filter (where status = 'ok')::bigint as ok_calls,
        count(*) filter (where status = 'failed')::bigint as failed_calls,
        count(*) filter (where is_fallback)::bigint as fallback_calls,
        count(*) filter (where record_complete)::bigint as complete_calls,
        count(total_tokens)::bigint as calls_with_tokens, count(cost)::bigint as calls_with_cost,
        count(*) filter (where pricing_source = 'fallback')::bigint as fallback_priced_calls,
        coalesce(sum(prompt_tokens), 0)::bigint as prompt_tokens, coalesce(sum(completion_tokens), 0)::bigint as completion_tokens,
        coalesce(sum(cached_tokens), 0)::bigint as cached_tokens, coalesce(sum(total_tokens), 0)::bigint as total_tokens,
        coalesce(sum(cost), 0)::numeric(28, 12) as cost, coalesce(sum(baseline_cost), 0)::numeric(28, 12) as baseline_cost,
        count(baseline_cost)::bigint as calls_with_baseline,
        coalesce(sum(latency_ms), 0)::bigint as latency_ms_sum, count(latency_ms)::bigint as latency_count
      from public.llm_calls group by ${sql.raw(KEY)}
    ),
    roll as (
      select ${sql.raw(KEY)}, calls, ok_calls, failed_calls, fallback_calls, complete_calls, calls_with_tokens,
        calls_with_cost, fallback_priced_calls, prompt_tokens, completion_tokens, cached_tokens, total_tokens,
        cost, baseline_cost, calls_with_baseline, latency_ms_sum, latency_count
      from public.llm_call_daily where calls <> 0
    )
    select 'missing from rollup' as problem, * from (select * from agg except select * from roll) a
    union all
    select 'not in ledger' as problem, * from (select * from roll except select * from agg) r`.execute(db);
  return [...rows, ...(await incompleteDrift(db))];
}

/** llm_call_incomplete_daily against the ledger: incomplete calls per (day, organization, app, purpose). */
async function incompleteDrift(db: Kysely<DB>): Promise<unknown[]> {
  const { rows } = await sql`
    with agg as (
      select (created_at at time zone 'UTC')::date as day, organization_id, app_id, purpose, count(*)::bigint as calls
      from public.llm_calls
      -- refusals (failed, no provider) are not counted as incomplete (migration 20261206011000)
      where not record_complete and not (status = 'failed' and provider_code is null) group by 1, 2, 3, 4
    ),
    roll as (select day, organization_id, app_id, purpose, calls from public.llm_call_incomplete_daily where calls <> 0)
    select 'missing from incomplete rollup' as problem, * from (select * from agg except select * from roll) a
    union all
    select 'incomplete rollup not in ledger' as problem, * from (select * from roll except select * from agg) r`.execute(db);
  return rows;
}

const rollupTotals = (db: Kysely<DB>) =>
  db.selectFrom("llm_call_daily").select((eb) => [eb.fn.sum<string>("calls").as("calls"), eb.fn.sum<string>("cost").as("cost")]).executeTakeFirstOrThrow();

function call(n: number, change: Partial<Insertable<LlmCallsTable>> = {}): Insertable<LlmCallsTable> {
  const orgs = [ids.orgA, ids.orgB, null];
  const priced = n % 5 !== 0;
  return {
    request_id: `00000000-0000-4000-a000-${n.toString(16).padStart(12, "0")}`,
    created_at: new Date(Date.UTC(2026, 10, 3 + (n % 3), n % 24, n % 60)).toISOString(),
    app_id: ids.app,
    organization_id: orgs[n % 3]!,
    pipeline_stage: n % 4 === 0 ? null : ["triage", "draft"][n % 2]!,
    request_type: "classify",
    provider_code: "rls-mock",
    model_code: n % 2 ? "mock-large" : "mock-small",
    prompt_tokens: 100 + n,
    completion_tokens: n % 7 === 0 ? null : 10 + n,
    cached_tokens: n % 3 === 0 ? 50 : null,
    total_tokens: n % 7 === 0 ? null : 110 + 2 * n,
    cost: priced ? `0.${(1000 + n).toString()}00000001` : null,
    currency: priced ? (n % 11 === 0 ? "EUR" : "USD") : null,
    pricing_source: priced ? (n % 6 === 0 ? "fallback" : "database") : null,
    baseline_cost: n % 4 === 1 ? "0.05" : null,
    latency_ms: n % 9 === 0 ? null : 200 + n,
    status: n % 8 === 0 ? "failed" : "ok",
    is_fallback: n % 10 === 3,
    ...change,
  };
}

describe.each(databaseTargets())("llm_call_daily rollup on $name", (target) => {
  let db: Database;
  let k: Kysely<DB>;

  beforeAll(async () => {
    db = await openMigrated(target);
    k = db.kysely;
    await createFixtureWorld(k);
    await sql`select public.ensure_llm_calls_partitions('2026-11-01'::date, '2026-12-31'::date)`.execute(k);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("matches the ledger after batched and single inserts", async () => {
    await k.insertInto("llm_calls").values(Array.from({ length: 60 }, (_, i) => call(i + 1))).execute();
    for (let n = 61; n <= 66; n++) await k.insertInto("llm_calls").values(call(n)).execute();
    expect(await rollupDrift(k)).toEqual([]);
    expect(Number((await rollupTotals(k)).calls)).toBe(3 + 66);
    const incomplete = await sql<{ n: number }>`select coalesce(sum(calls), 0)::int as n from public.llm_call_incomplete_daily`.execute(k);
    expect(incomplete.rows[0]!.n).toBeGreaterThan(0);
  });

  it("matches after repricing (an update of cost)", async () => {
    const repriced = await k.updateTable("llm_calls").set({ cost: sql`cost * 2` }).where("organization_id", "=", ids.orgA).where("cost", "is not", null).execute();
    expect(Number(repriced[0]!.numUpdatedRows)).toBeGreaterThan(10);
    await k.updateTable("llm_calls").set({ cost: "0.5", pricing_source: "database", currency: "USD" }).where("cost", "is", null).where("organization_id", "=", ids.orgB).execute();
    expect(await rollupDrift(k)).toEqual([]);
  });

  it("matches after calls move to another day, another month (partition) and another organization", async () => {
    await k.updateTable("llm_calls").set({ created_at: sql`created_at + interval '1 day'` }).where("organization_id", "=", ids.orgB).execute();
    await k.updateTable("llm_calls").set({ created_at: "2026-12-02T08:00:00Z" }).where("request_id", "=", call(4).request_id).execute();
    await k.updateTable("llm_calls").set({ organization_id: ids.orgA }).where("organization_id", "is", null).where("status", "=", "failed").execute();
    expect(await rollupDrift(k)).toEqual([]);
    const december = await sql<{ n: number }>`select count(*)::int as n from public.llm_calls_2026_12`.execute(k);
    expect(december.rows[0]!.n).toBe(1);
  });

  it("matches after deletes, leaving no negative counter", async () => {
    await k.deleteFrom("llm_calls").where("status", "=", "failed").execute();
    await k.deleteFrom("llm_calls").where("request_id", "=", call(5).request_id).execute();
    expect(await rollupDrift(k)).toEqual([]);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from public.llm_call_daily where calls < 0 or cost < 0 or total_tokens < 0`.execute(k);
    expect(rows[0]!.n).toBe(0);
  });

  it("records a redelivered attempt once (on conflict do nothing) and a retry as a new row", async () => {
    const before = await rollupTotals(k);
    const again = call(9); // organization A: never moved or deleted above
    const insertOnce = () =>
      k.insertInto("llm_calls").values(again).onConflict((oc) => oc.columns(["request_id", "attempt", "created_at"]).doNothing()).executeTakeFirst();
    expect(Number((await insertOnce()).numInsertedOrUpdatedRows)).toBe(0);
    expect(await rollupTotals(k)).toEqual(before);
    await expect(k.insertInto("llm_calls").values(again).execute()).rejects.toMatchObject({ code: "23505" });

    const retry = await k.insertInto("llm_calls").values({ ...again, attempt: 2 })
      .onConflict((oc) => oc.columns(["request_id", "attempt", "created_at"]).doNothing()).executeTakeFirst();
    expect(Number(retry.numInsertedOrUpdatedRows)).toBe(1);
    expect(Number((await rollupTotals(k)).calls)).toBe(Number(before.calls) + 1);
    expect(await rollupDrift(k)).toEqual([]);
  });

  it("notices drift (the comparison is not vacuous)", async () => {
    await k.updateTable("llm_call_daily").set({ cost: sql`cost + 1` }).where("organization_id", "=", ids.orgA).where("day", "=", "2026-11-10").execute();
    expect(await rollupDrift(k)).toHaveLength(2);
  });

  it("keeps production_feedback_daily equal to the feedback rows through inserts, updates and deletes", async () => {
    const drift = async () => {
      const { rows } = await sql`
        with agg as (
          select (created_at at time zone 'UTC')::date as day, organization_id, app_id, model_code, query_pattern,
                 count(*)::bigint as feedback, sum(quality_score)::bigint as score_sum,
                 count(is_correct)::bigint as judged, (count(*) filter (where is_correct))::bigint as correct
          from public.production_feedback group by 1, 2, 3, 4, 5
        ),
        roll as (
          select day, organization_id, app_id, model_code, query_pattern, feedback, score_sum, judged, correct
          from public.production_feedback_daily where feedback <> 0
        )
        select 'missing from rollup' as problem, * from (select * from agg except select * from roll) a
        union all
        select 'not in feedback' as problem, * from (select * from roll except select * from agg) r`.execute(k);
      return rows;
    };
    const orgs = [ids.orgA, ids.orgB, null];
    await k.insertInto("production_feedback").values(Array.from({ length: 40 }, (_, n) => ({
      request_id: `00000000-0000-4000-b000-${n.toString(16).padStart(12, "0")}`,
      organization_id: orgs[n % 3]!, app_id: ids.app, model_code: n % 4 === 0 ? null : ["mock-large", "mock-small"][n % 2]!,
      query_pattern: n % 5 === 0 ? null : "short", quality_score: 1 + (n % 5), is_correct: n % 3 === 0 ? null : n % 2 === 0,
      source: "seed" as const, created_at: new Date(Date.UTC(2026, 10, 3 + (n % 4), n % 24)),
    }))).execute();
    expect(await drift()).toEqual([]);
    const totals = await sql<{ n: number }>`select sum(feedback)::int as n from public.production_feedback_daily`.execute(k);
    expect(totals.rows[0]!.n).toBeGreaterThanOrEqual(40);
    await k.updateTable("production_feedback").set({ quality_score: 5, is_correct: true, created_at: sql`created_at + interval '1 day'` }).where("organization_id", "=", ids.orgB).execute();
    await k.updateTable("production_feedback").set({ organization_id: ids.orgA }).where("organization_id", "is", null).execute();
    expect(await drift()).toEqual([]);
    await k.deleteFrom("production_feedback").where("quality_score", "<", 3).execute();
    expect(await drift()).toEqual([]);
  });
});
