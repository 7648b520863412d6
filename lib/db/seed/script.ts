import { sql, type Transaction } from "kysely";
import type { DB } from "../schema";

/**
 * Runs a multi-statement SQL script (supabase/seed.sql) inside the caller's transaction, on pg and
 * PGlite alike. Kysely sends every statement through the extended protocol, which PGlite (and pg
 * with parameters) refuses for more than one command. Handing the text to PL/pgSQL's EXECUTE
 * (SPI accepts several commands) lets the server do the splitting: no hand-written SQL lexer, and
 * the script travels as a bound parameter, so no quoting of its content is needed either.
 */
const SCRIPT_SETTING = "llmcp.seed_script";
/** Read by seed.sql for its one now-relative row; unset under `supabase db reset` (= now()). */
export const SEED_NOW_SETTING = "llmcp.seed_now";

export async function runSqlScript(trx: Transaction<DB>, script: string, now?: Date): Promise<void> {
  // is_local = true: both settings vanish at the end of the transaction.
  await sql`select set_config(${SCRIPT_SETTING}, ${script}, true)`.execute(trx);
  if (now) await sql`select set_config(${SEED_NOW_SETTING}, ${now.toISOString()}, true)`.execute(trx);
  try {
    await sql.raw(`do $run$ begin execute current_setting('${SCRIPT_SETTING}'); end $run$`).execute(trx);
  } finally {
    await sql`select set_config(${SCRIPT_SETTING}, '', true)`.execute(trx);
  }
}
