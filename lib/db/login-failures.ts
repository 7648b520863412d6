import { sql, type Kysely } from "kysely";
import type { DB } from "./schema";

/**
 * The shared login throttle's counts (login_failures, migration 20261206100000): one row per
 * SHA-256 key, its failure count capped at the key's limit, and when its window ends. The policy
 * (which keys, which limits, what happens when the database does not answer) is
 * lib/auth/login-throttle-store.ts; these are its queries, on the service-role connection.
 */

export interface LoginFailureKey {
  key: string;
  limit: number;
}

/** The keys among `keys` whose count has reached their limit inside an unexpired window. */
export async function throttledKeys(db: Kysely<DB>, keys: LoginFailureKey[]): Promise<string[]> {
  const rows = await db
    .selectFrom("login_failures")
    .select(["key", "failures"])
    .where("key", "in", keys.map((k) => k.key))
    .where("expires_at", ">", sql<Date>`clock_timestamp()`)
    .execute();
  return keys.filter(({ key, limit }) => rows.some((r) => r.key === key && r.failures >= limit)).map((k) => k.key);
}

/**
 * Counts one failure for each key with one atomic upsert per key, so instances failing at once
 * each add theirs. A key's window starts at its first failure; the failure that reaches the limit
 * restarts it.
 */
export async function countLoginFailure(db: Kysely<DB>, keys: LoginFailureKey[], windowSeconds: number): Promise<void> {
  for (const { key, limit } of keys) {
    await sql`
          insert into public.login_failures as f (key, failures, expires_at)
          values (${key}, 1, clock_timestamp() + make_interval(secs => ${windowSeconds}::float8))
          on conflict (key) do update set
            failures = case when f.expires_at <= clock_timestamp() then 1 else least(f.failures + 1, ${limit}::int) end,
            expires_at = case when f.expires_at <= clock_timestamp() or f.failures + 1 >= ${limit}::int
                              then clock_timestamp() + make_interval(secs => ${windowSeconds}::float8)
                              else f.expires_at end`.execute(db);
  }
}

/** Deletes the rows whose window has ended. */
export async function pruneLoginFailures(db: Kysely<DB>): Promise<void> {
  await db.deleteFrom("login_failures").where("expires_at", "<", sql<Date>`clock_timestamp()`).execute();
}

/** Forgets one key's failures (a successful sign-in). */
export async function clearLoginFailures(db: Kysely<DB>, key: string): Promise<void> {
  await db.deleteFrom("login_failures").where("key", "=", key).execute();
}
