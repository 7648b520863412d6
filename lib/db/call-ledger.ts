import { sql, type Insertable, type Kysely } from "kysely";
import type { DB, LlmCallsTable } from "./schema";

/**
 * The recorder's statements on the call ledger (llm_calls), run as the service role by
 * lib/gateway/recorder/writer.ts (which batches, times out and bisects) and recorder.ts (probe).
 */

/** The conflict target of every insert: the table's unique (request_id, attempt, created_at). */
export const CALL_KEY = ["request_id", "attempt", "created_at"] as const;

/**
 * One statement for the whole batch: a multi-row insert that skips rows already recorded. The
 * rollup trigger is per statement, so this is also one rollup upsert per batch. Resolves to the
 * number of rows inserted (the rest were already there).
 */
export async function insertCalls(db: Kysely<DB>, rows: Insertable<LlmCallsTable>[]): Promise<number> {
  const result = await db
    .insertInto("llm_calls")
    .values(rows)
    .onConflict((oc) => oc.columns([...CALL_KEY]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** Creates the monthly partitions covering [fromDay, toDay] (YYYY-MM-DD). */
export async function ensureCallPartitions(db: Kysely<DB>, fromDay: string, toDay: string): Promise<void> {
  await sql`select public.ensure_llm_calls_partitions(${fromDay}::date, ${toDay}::date)`.execute(db);
}

/** `select 1`: proves the database answers. */
export async function probeDatabase(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}
