import { errorMessage } from "@/lib/errors";
import { sql, type Kysely } from "kysely";
import type { DB } from "./schema";
import { withServiceActor } from "./service-actor";

/**
 * llm_calls is partitioned by month and has no default partition (migration
 * 20261206060000_llm_calls_partition_upkeep.sql says why). These call the SQL that keeps it
 * covered: partitions from last month to a few months ahead, and any default partition an
 * operator attached drained into monthly ones. Startup, the cron route, the daily timer and
 * pg_cron run the same function; it is idempotent and serialized in the database.
 */

export const MONTHS_AHEAD = 3;

export interface PartitionStatus {
  /** Whether the month of `now` has its partition. */
  current_month: boolean;
  /** Consecutive months after the current one that have their partition. */
  months_ahead: number;
  default_partition: boolean;
  /** Rows waiting in a default partition; null when there is none (the normal state). */
  rows_in_default: number | null;
  partitions: number;
}

export interface UpkeepResult extends PartitionStatus {
  created: number;
  /** Rows moved from a default partition into their month's partition. */
  moved: number;
  drained_months: string[];
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Makes sure monthly llm_calls partitions exist from `monthsBack` ago to `monthsAhead` ahead. */
export async function ensurePartitions(db: Kysely<DB>, monthsBack = 1, monthsAhead = 2, now = new Date()): Promise<number> {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + monthsAhead, 1));
  const { rows } = await sql<{ created: number }>`
    select public.ensure_llm_calls_partitions(${day(from)}::date, ${day(to)}::date) as created`.execute(db);
  return rows[0]?.created ?? 0;
}

function toStatus(raw: Record<string, unknown>): PartitionStatus {
  return {
    current_month: raw.current_month === true,
    months_ahead: Number(raw.months_ahead ?? 0),
    default_partition: raw.default_partition === true,
    rows_in_default: raw.rows_in_default === null || raw.rows_in_default === undefined ? null : Number(raw.rows_in_default),
    partitions: Number(raw.partitions ?? 0),
  };
}

/**
 * One upkeep pass in its own transaction. lock_timeout bounds how long it waits behind other
 * sessions' locks (it fails and the next pass retries) so inserts never queue behind it for long.
 */
export async function runPartitionUpkeep(db: Kysely<DB>, options: { now?: Date; monthsAhead?: number } = {}): Promise<UpkeepResult> {
  const now = options.now ?? new Date();
  const result = await withServiceActor(db, "job:partitions", async (tx) => {
    await sql`set local lock_timeout = '5s'`.execute(tx);
    const { rows } = await sql<{ r: Record<string, unknown> }>`
      select public.llm_calls_partition_upkeep(${now.toISOString()}::timestamptz, ${options.monthsAhead ?? MONTHS_AHEAD}::int) as r`.execute(tx);
    return rows[0]!.r;
  });
  const raw = typeof result === "string" ? (JSON.parse(result) as Record<string, unknown>) : result;
  return {
    ...toStatus(raw),
    created: Number(raw.created ?? 0),
    moved: Number(raw.moved ?? 0),
    drained_months: Array.isArray(raw.drained_months) ? raw.drained_months.map(String) : [],
  };
}

export async function partitionStatus(db: Kysely<DB>, now = new Date()): Promise<PartitionStatus> {
  const { rows } = await sql<{ r: Record<string, unknown> | string }>`
    select public.llm_calls_partition_status(${now.toISOString()}::timestamptz) as r`.execute(db);
  const raw = rows[0]!.r;
  return toStatus(typeof raw === "string" ? (JSON.parse(raw) as Record<string, unknown>) : raw);
}

/**
 * Upkeep at server start: never fails the startup. A database without the upkeep migration
 * (Supabase before `db push`) or a lock held elsewhere is logged; the cron route, the timer and
 * the recorder's own partition retry cover for it.
 */
export async function upkeepAtStartup(db: Kysely<DB>, log: (line: string) => void, now = new Date()): Promise<UpkeepResult | null> {
  try {
    const result = await runPartitionUpkeep(db, { now });
    if (result.created > 0 || result.moved > 0) {
      log(`partitions: ${result.created} created, ${result.moved} row(s) moved out of the default partition`);
    }
    return result;
  } catch (err) {
    log(`partition upkeep failed (startup continues): ${errorMessage(err)}`);
    return null;
  }
}
