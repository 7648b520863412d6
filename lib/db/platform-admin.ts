import { sql, type Kysely } from "kysely";
import type { DB } from "./schema";

/**
 * Whether the database itself confirms that the user whose claims the transaction runs under is a
 * platform admin (public.is_platform_admin(), the function the RLS policies use). Admin jobs ask
 * this under the user's RLS transaction before they take the service-role path: the session's
 * memberships are only the app's early refusal, the database is what decides.
 */
export async function isPlatformAdmin(tx: Kysely<DB>): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`select public.is_platform_admin() as ok`.execute(tx);
  return Boolean(rows[0]?.ok);
}
