import { sql, type Kysely } from "kysely";
import type { DB } from "./schema";

/** Makes sure monthly llm_calls partitions exist from `monthsBack` ago to `monthsAhead` ahead. */
export async function ensurePartitions(db: Kysely<DB>, monthsBack = 1, monthsAhead = 2, now = new Date()): Promise<number> {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + monthsAhead, 1));
  const { rows } = await sql<{ created: number }>`
    select public.ensure_llm_calls_partitions(${from.toISOString().slice(0, 10)}::date, ${to.toISOString().slice(0, 10)}::date) as created`.execute(db);
  return rows[0]?.created ?? 0;
}
