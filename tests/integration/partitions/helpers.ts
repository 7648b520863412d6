import { sql, type Kysely } from "kysely";
import type { DB } from "@/lib/db/schema";

/** Ledger checks shared by the partition upkeep and retention tests. */

const KEY = "day, organization_id, app_id, provider_code, model_code, pipeline_stage, request_type, currency";

/** llm_call_daily and llm_call_incomplete_daily rows that disagree with the ledger (zero rows ignored). */
export async function rollupDrift(db: Kysely<DB>): Promise<unknown[]> {
  const daily = await sql`
    with agg as (
      select (created_at at time zone 'UTC')::date as day, organization_id, app_id, provider_code, model_code,
        pipeline_stage, request_type, currency, count(*)::bigint as calls,
        count(*) filter (where status = 'ok')::bigint as ok_calls, count(*) filter (where record_complete)::bigint as complete_calls,
        coalesce(sum(total_tokens), 0)::bigint as total_tokens, coalesce(sum(cost), 0)::numeric(28, 12) as cost,
        coalesce(sum(latency_ms), 0)::bigint as latency_ms_sum
      from public.llm_calls group by ${sql.raw(KEY)}),
    roll as (
      select ${sql.raw(KEY)}, calls, ok_calls, complete_calls, total_tokens, cost, latency_ms_sum
      from public.llm_call_daily where calls <> 0)
    select 'missing from rollup' as problem, * from (select * from agg except select * from roll) a
    union all
    select 'not in ledger' as problem, * from (select * from roll except select * from agg) r`.execute(db);
  const incomplete = await sql`
    with agg as (
      select (created_at at time zone 'UTC')::date as day, organization_id, app_id, purpose, count(*)::bigint as calls
      from public.llm_calls
      -- refusals (failed, no provider) are not counted as incomplete (migration 20261206011000)
      where not record_complete and not (status = 'failed' and provider_code is null) group by 1, 2, 3, 4),
    roll as (select day, organization_id, app_id, purpose, calls from public.llm_call_incomplete_daily where calls <> 0)
    select 'missing from incomplete rollup' as problem, * from (select * from agg except select * from roll) a
    union all
    select 'incomplete rollup not in ledger' as problem, * from (select * from roll except select * from agg) r`.execute(db);
  return [...daily.rows, ...incomplete.rows];
}

export async function ledgerCount(db: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from public.llm_calls`.execute(db);
  return rows[0]!.n;
}

export async function rollupTotals(db: Kysely<DB>): Promise<{ calls: number; incomplete: number; cost: string }> {
  const { rows } = await sql<{ calls: number; cost: string }>`
    select coalesce(sum(calls), 0)::int as calls, coalesce(sum(cost), 0)::text as cost from public.llm_call_daily`.execute(db);
  const inc = await sql<{ n: number }>`select coalesce(sum(calls), 0)::int as n from public.llm_call_incomplete_daily`.execute(db);
  return { calls: rows[0]!.calls, cost: rows[0]!.cost, incomplete: inc.rows[0]!.n };
}

/** Rows stored in a partition other than their own month's (a default partition included). */
export async function misplacedRows(db: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from public.llm_calls
    where tableoid::regclass::text <> 'llm_calls_' || to_char(created_at at time zone 'UTC', 'YYYY_MM')`.execute(db);
  return rows[0]!.n;
}

export async function partitionNames(db: Kysely<DB>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_catalog.pg_inherits i join pg_catalog.pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'public.llm_calls'::regclass order by 1`.execute(db);
  return rows.map((r) => r.name);
}

/** The month `i` months after `base` (UTC), plus `day` days and `hour` hours. */
export function monthAt(base: Date, i: number, day = 0, hour = 0): Date {
  return new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth() + i, 1 + day, hour));
}

export const partitionOf = (d: Date) => `llm_calls_${d.toISOString().slice(0, 7).replace("-", "_")}`;
