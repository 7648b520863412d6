import type { Kysely } from "kysely";
import type { DB } from "./schema";
import { getDb } from "./instance";

export { isServiceActor, setServiceActor, withServiceActor, type ServiceActor } from "./service-actor";

/**
 * THE SERVICE-ROLE PATH. It BYPASSES ROW LEVEL SECURITY: queries run as the database owner.
 * Only the gateway's hot path (scoped by the app key), the recorder, migrations, demo seeding
 * and background jobs may use it. Dashboard reads and admin writes must use withUser()
 * (lib/db/rls.ts) instead.
 *
 * A service write has no signed-in user, so it names itself: `withServiceActor(db, "job:retrain",
 * fn)` runs `fn` in a transaction whose `app.actor` setting the audit triggers copy into
 * audit_log.actor_kind (migration 20261208020000), and the Audit page shows "gateway" or
 * "job: retrain" instead of a label inferred from the table (lib/db/service-actor.ts).
 */
export async function serviceDb(): Promise<Kysely<DB>> {
  return (await getDb()).kysely;
}
