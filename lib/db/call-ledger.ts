import { sql, type Insertable, type Kysely } from "kysely";
import type { DB, LlmCallsTable } from "./schema";

/**
 * The recorder's statements on the call ledger (llm_calls), run as the service role by
 * lib/gateway/recorder/writer.ts (which batches, times out and bisects) and recorder.ts (probe).
 */

/** The conflict target of every insert: the table's unique (request_id, attempt, created_at). */
export const CALL_KEY = ["request_id", "attempt", "created_at"] as const;

/** Columns the recorder hands over as JSON text (attempt-record.ts serializes them once). */
const JSON_TEXT_COLUMNS: ReadonlySet<string> = new Set(["trace", "prompt"]);

/**
 * JSON.stringify, except that a bigint becomes its digits and a non-finite number its name:
 * PostgreSQL then refuses a value its column cannot hold (a data error the writer isolates)
 * instead of JSON turning it into null without a word.
 */
function batchJson(rows: readonly object[]): string {
  return JSON.stringify(rows, (_key, value: unknown) => {
    if (typeof value === "bigint") return value.toString();
    if (typeof value === "number" && !Number.isFinite(value)) return String(value);
    return value;
  });
}

/**
 * One statement per batch (per set of columns present, which is one set for the gateway's rows):
 * the rows travel as ONE JSON parameter that PostgreSQL unpacks with json_populate_record, so the
 * gateway's process does not compile a statement of rows × columns parameters nor convert each
 * value (it measured as the recorder's main cost on the hot path). A column absent from a row
 * keeps its default, as in a multi-row insert; the JSON-text columns (trace, prompt) are parsed by
 * PostgreSQL as jsonb. Rows already recorded are skipped; the rollup trigger is per statement, so
 * this is one rollup upsert per batch. Resolves to the number of rows inserted.
 */
export async function insertCalls(db: Kysely<DB>, rows: Insertable<LlmCallsTable>[]): Promise<number> {
  const groups = new Map<string, { columns: string[]; rows: Insertable<LlmCallsTable>[] }>();
  for (const row of rows) {
    // The writer's rows come from toRow (record.ts): the same columns in the same order, so no sort.
    const columns = Object.keys(row).filter((c) => (row as Record<string, unknown>)[c] !== undefined);
    const signature = columns.join(",");
    const group = groups.get(signature);
    if (group) group.rows.push(row);
    else groups.set(signature, { columns, rows: [row] });
  }
  // Several column sets (rare: records built by different code) are one transaction, so the
  // batch lands or fails whole, as the writer's accounting and bisection expect.
  const insertAll = async (tx: Kysely<DB>): Promise<number> => {
    let inserted = 0;
    for (const { columns, rows: group } of groups.values()) inserted += await insertGroup(tx, columns, group);
    return inserted;
  };
  return groups.size > 1 ? db.transaction().execute(insertAll) : insertAll(db);
}

async function insertGroup(db: Kysely<DB>, columns: string[], rows: Insertable<LlmCallsTable>[]): Promise<number> {
  if (columns.length === 0) return 0;
  const target = sql.join(columns.map((c) => sql.ref(c)));
  const values = sql.join(columns.map((c) => (JSON_TEXT_COLUMNS.has(c) ? sql`(e.v ->> ${c})::jsonb` : sql.ref(`r.${c}`))));
  const result = await sql`
    insert into public.llm_calls (${target})
    select ${values}
    from json_array_elements(${batchJson(rows)}::json) as e(v)
    cross join lateral json_populate_record(null::public.llm_calls, e.v) as r
    on conflict (${sql.join(CALL_KEY.map((c) => sql.ref(c)))}) do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Creates the monthly partitions covering [fromDay, toDay] (YYYY-MM-DD). */
export async function ensureCallPartitions(db: Kysely<DB>, fromDay: string, toDay: string): Promise<void> {
  await sql`select public.ensure_llm_calls_partitions(${fromDay}::date, ${toDay}::date)`.execute(db);
}

/** `select 1`: proves the database answers. */
export async function probeDatabase(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}
