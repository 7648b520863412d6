import { sql, type Kysely } from "kysely";
import type { DB } from "./schema";

/**
 * Named secrets every instance on one database shares (instance_secrets, readable only by the
 * service role): the first instance to ask stores its candidate, every later one reads that.
 * lib/auth/secret.ts keeps the session signing key here when AUTH_SECRET is not set.
 */
export async function sharedInstanceSecret(db: Kysely<DB>, name: string, candidate: string): Promise<string | undefined> {
  await db
    .insertInto("instance_secrets")
    .values({ name, value: candidate })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const { rows } = await sql<{ value: string }>`select value from public.instance_secrets where name = ${name}`.execute(db);
  return rows[0]?.value;
}
