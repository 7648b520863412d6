import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "./schema";

/**
 * Service writers name themselves for the audit trail: a write without a signed-in user sets the
 * transaction-local `app.actor` ("gateway" or "job:<name>"), which the audit triggers copy into
 * audit_log.actor_kind (migration 20261208020000); the Audit page then shows "gateway" or
 * "job: retrain". Kept apart from lib/db/service.ts so query modules (retrain, retention) can
 * use it without importing the database instance.
 */

/** "gateway" for the gateway's request path, "job:<name>" for a background job, cron route or script. */
export type ServiceActor = "gateway" | `job:${string}`;

const ACTOR = /^(gateway|job:[a-z][a-z0-9_.-]{0,59})$/;

export function isServiceActor(value: unknown): value is ServiceActor {
  return typeof value === "string" && ACTOR.test(value);
}

/** Names the writer for the rest of the transaction `tx` (transaction-local, like `set local`). */
export async function setServiceActor(tx: Transaction<DB>, actor: ServiceActor): Promise<void> {
  if (!isServiceActor(actor)) throw new Error(`invalid service actor ${JSON.stringify(actor)}: use "gateway" or "job:<name>"`);
  await sql`select set_config('app.actor', ${actor}, true)`.execute(tx);
}

/** Runs `fn` in one transaction as the named service writer (its audited writes say who). */
export async function withServiceActor<T>(db: Kysely<DB>, actor: ServiceActor, fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  if (!isServiceActor(actor)) throw new Error(`invalid service actor ${JSON.stringify(actor)}: use "gateway" or "job:<name>"`);
  return db.transaction().execute(async (tx) => {
    await setServiceActor(tx, actor);
    return fn(tx);
  });
}
