import type { Kysely } from "kysely";
import type { DB } from "./schema";
import { getDb } from "./instance";

/**
 * THE SERVICE-ROLE PATH. It BYPASSES ROW LEVEL SECURITY: queries run as the database owner.
 * Only the gateway's hot path (scoped by the app key), the recorder, migrations, demo seeding
 * and background jobs may use it. Dashboard reads and admin writes must use withUser()
 * (lib/db/rls.ts) instead.
 */
export async function serviceDb(): Promise<Kysely<DB>> {
  return (await getDb()).kysely;
}
