import { randomBytes } from "node:crypto";
import { getEnv } from "@/lib/env";
import { sharedInstanceSecret } from "@/lib/db/auth-secret";
import { serviceDb } from "@/lib/db/service";

/**
 * The key that signs local session JWTs: AUTH_SECRET when set (required for more than one
 * instance unless they share a database), else a random key generated once and kept in
 * `instance_secrets`, readable only by the service role, so every instance on the same
 * database agrees and sessions survive restarts.
 */
const SECRET_NAME = "session_signing_key";
// Per database instance: a process that switches databases (tests) must not reuse another's key.
const cache = new WeakMap<object, Uint8Array>();

export async function getSigningKey(): Promise<Uint8Array> {
  const fromEnv = getEnv().AUTH_SECRET;
  if (fromEnv) return new TextEncoder().encode(fromEnv);
  const db = await serviceDb();
  const hit = cache.get(db);
  if (hit) return hit;
  const value = await sharedInstanceSecret(db, SECRET_NAME, randomBytes(48).toString("base64url"));
  if (!value) throw new Error("session signing key could not be created");
  const key = new TextEncoder().encode(value);
  cache.set(db, key);
  return key;
}
