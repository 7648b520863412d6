import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { getEnv } from "@/lib/env";
import { serviceDb } from "@/lib/db/service";

/**
 * The key that signs local session JWTs: AUTH_SECRET when set (required for more than one
 * instance unless they share a database), else a random key generated once and kept in
 * `instance_secrets`, readable only by the service role, so every instance on the same
 * database agrees and sessions survive restarts.
 */
const SECRET_NAME = "session_signing_key";
let cached: Uint8Array | undefined;

export async function getSigningKey(): Promise<Uint8Array> {
  if (cached) return cached;
  const fromEnv = getEnv().AUTH_SECRET;
  if (fromEnv) {
    cached = new TextEncoder().encode(fromEnv);
    return cached;
  }
  const db = await serviceDb();
  await db
    .insertInto("instance_secrets")
    .values({ name: SECRET_NAME, value: randomBytes(48).toString("base64url") })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const { rows } = await sql<{ value: string }>`select value from public.instance_secrets where name = ${SECRET_NAME}`.execute(db);
  const value = rows[0]?.value;
  if (!value) throw new Error("session signing key could not be created");
  cached = new TextEncoder().encode(value);
  return cached;
}
