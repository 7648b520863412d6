import { errorMessage } from "@/lib/errors";
import { sql, type Kysely } from "kysely";
import type { DB } from "./schema";
import { withServiceActor } from "./service-actor";

/**
 * Ledger retention: drops llm_calls partitions older than the global setting
 * `ledger.retention_months` (null or absent = keep everything). Global scope only: partitions
 * hold every organization's calls, so a per-organization value could not be honoured by dropping
 * a partition. The daily rollups (llm_call_daily, llm_call_incomplete_daily,
 * production_feedback_daily) are kept: detaching and dropping a partition is DDL, not a DELETE,
 * so no rollup trigger on llm_calls fires and the dashboards keep the dropped months' totals.
 *
 * Each partition is detached with `DETACH PARTITION … CONCURRENTLY` (PostgreSQL 14+: only SHARE
 * UPDATE EXCLUSIVE on llm_calls, inserts carry on; it cannot run inside a transaction and is
 * refused while a default partition exists), falling back to a plain detach under a short
 * lock_timeout where that fails (PGlite, an operator-attached default). A detach interrupted
 * halfway is finished with `… FINALIZE` on the next run. Every drop is written to audit_log.
 */

export const RETENTION_SETTING = "ledger.retention_months";
/** Below this the job refuses: last month's calls may still be arriving (spool replay, repricing). */
export const MIN_RETENTION_MONTHS = 2;

export interface DroppedPartition {
  partition: string;
  month: string;
  rows: number;
  detach: "concurrently" | "plain" | "finalize" | "already detached";
}

export interface RetentionResult {
  months: number | null;
  /** Partitions whose month starts before this (UTC) are dropped. */
  cutoff: string | null;
  dropped: DroppedPartition[];
  refused?: string;
  errors: { partition: string; message: string }[];
}

const PARTITION_NAME = /^llm_calls_(\d{4})_(\d{2})$/;

/** The global retention setting: a whole number of months, null when unset. Throws on a bad value. */
export async function readRetentionMonths(db: Kysely<DB>): Promise<number | null> {
  const row = await db.selectFrom("app_configuration").select(["value", "value_type"])
    .where("key", "=", RETENTION_SETTING).where("scope", "=", "global").executeTakeFirst();
  if (!row || row.value === null) return null;
  if (typeof row.value !== "number" || !Number.isInteger(row.value)) {
    throw new Error(`${RETENTION_SETTING} must be a whole number of months or null (got ${JSON.stringify(row.value)})`);
  }
  return row.value;
}

interface Candidate {
  name: string;
  attached: boolean;
  detachPending: boolean;
}

/** Monthly partitions of llm_calls, plus tables of that name left detached by an interrupted run. */
async function listMonthlyTables(db: Kysely<DB>): Promise<Candidate[]> {
  const { rows } = await sql<{ name: string; attached: boolean; pending: boolean }>`
    select c.relname as name, i.inhrelid is not null as attached, coalesce(i.inhdetachpending, false) as pending
    from pg_catalog.pg_class c
    left join pg_catalog.pg_inherits i on i.inhrelid = c.oid and i.inhparent = 'public.llm_calls'::regclass
    where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and c.relname ~ '^llm_calls_[0-9]{4}_[0-9]{2}$'
    order by c.relname`.execute(db);
  return rows.map((r) => ({ name: r.name, attached: r.attached, detachPending: r.pending }));
}

async function detach(db: Kysely<DB>, c: Candidate): Promise<DroppedPartition["detach"]> {
  const table = sql.table(`public.${c.name}`);
  if (!c.attached) return "already detached";
  if (c.detachPending) {
    await sql`alter table public.llm_calls detach partition ${table} finalize`.execute(db);
    return "finalize";
  }
  try {
    await sql`alter table public.llm_calls detach partition ${table} concurrently`.execute(db);
    return "concurrently";
  } catch (err) {
    // A concurrent detach that failed after its first transaction leaves the partition pending.
    const [now] = (await listMonthlyTables(db)).filter((t) => t.name === c.name);
    if (!now?.attached) return "concurrently";
    if (now.detachPending) {
      await sql`alter table public.llm_calls detach partition ${table} finalize`.execute(db);
      return "finalize";
    }
    void err;
  }
  await db.transaction().execute(async (tx) => {
    await sql`set local lock_timeout = '2s'`.execute(tx);
    await sql`alter table public.llm_calls detach partition ${table}`.execute(tx);
  });
  return "plain";
}

/**
 * Drops the partitions older than the retention. `months` overrides the setting (tests, the
 * benchmark); `now` moves the clock. Never drops the current or a future month.
 */
export async function runRetention(
  db: Kysely<DB>,
  options: { now?: Date; months?: number | null; log?: (line: string) => void } = {},
): Promise<RetentionResult> {
  const now = options.now ?? new Date();
  const log = options.log ?? (() => {});
  const months = options.months !== undefined ? options.months : await readRetentionMonths(db);
  const result: RetentionResult = { months, cutoff: null, dropped: [], errors: [] };
  if (months === null) return result;
  if (!Number.isInteger(months) || months < MIN_RETENTION_MONTHS) {
    result.refused = `${RETENTION_SETTING} = ${months} is below the minimum of ${MIN_RETENTION_MONTHS} months; nothing dropped`;
    log(result.refused);
    return result;
  }
  const thisMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const cutoff = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1);
  result.cutoff = new Date(cutoff).toISOString().slice(0, 10);
  for (const c of await listMonthlyTables(db)) {
    const m = PARTITION_NAME.exec(c.name);
    if (!m) continue;
    const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, 1);
    const end = Date.UTC(Number(m[1]), Number(m[2]), 1);
    if (start >= cutoff || end > thisMonth) continue;
    const month = new Date(start).toISOString().slice(0, 7);
    try {
      const table = sql.table(`public.${c.name}`);
      const { rows } = await sql<{ n: string }>`select count(*) as n from ${table}`.execute(db);
      const count = Number(rows[0]?.n ?? 0);
      const how = await detach(db, c);
      await withServiceActor(db, "job:retention", async (tx) => {
        await sql`drop table ${table}`.execute(tx);
        const before = JSON.stringify({ partition: c.name, month, rows: count, retention_months: months, detach: how });
        await tx.insertInto("audit_log").values({
          actor_id: null, actor_email: null, actor_role: "service", actor_kind: "job:retention", table_name: "llm_calls", record_id: c.name,
          organization_id: null, action: "delete", before: sql`${before}::jsonb`, after: null,
        }).execute();
      });
      result.dropped.push({ partition: c.name, month, rows: count, detach: how });
      log(`retention: dropped ${c.name} (${count} call(s), ${month}; ${RETENTION_SETTING} = ${months}, detached ${how})`);
    } catch (err) {
      const message = errorMessage(err);
      result.errors.push({ partition: c.name, message });
      log(`retention: ${c.name} not dropped: ${message}`);
    }
  }
  return result;
}
