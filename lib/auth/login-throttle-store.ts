import { errorMessage } from "@/lib/errors";
import { createHash } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { DB } from "@/lib/db/schema";
import { serviceDb } from "@/lib/db/service";
import { DEFAULT_LIMITS, LoginThrottle, type ThrottleLimits } from "./login-throttle";

/**
 * The login throttle shared by every instance (issue 16 item 3): the same keys and limits as
 * LoginThrottle — per (address, account) and per address, never per account alone, so nobody can
 * lock another person out — counted in Postgres (login_failures, migration 20261206100000) with
 * one atomic upsert per failure, so three instances refuse after the same count as one.
 *
 * A key's window starts at its first failure; the failure that reaches the limit restarts it, so
 * an address that reached the limit is refused for a full window after its last counted failure.
 * Keys are SHA-256 digests (no email or address is stored), each row's count stops at its limit,
 * and expired rows are deleted as failures arrive (at most once a minute per instance). If the
 * database does not answer, the process's own LoginThrottle decides and counts, as before.
 */
export class SharedLoginThrottle {
  private lastPrune = 0;

  constructor(
    private readonly db: () => Promise<Kysely<DB>>,
    private readonly fallback: LoginThrottle = new LoginThrottle(),
    private readonly limits: ThrottleLimits = DEFAULT_LIMITS,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  private keys(address: string, account: string): [string, number][] {
    return [
      [digest(`pair\n${address}\n${account}`), this.limits.perAddressAndAccount],
      [digest(`address\n${address}`), this.limits.perAddress],
    ];
  }

  async isThrottled(address: string, account: string): Promise<boolean> {
    const keys = this.keys(address, account);
    try {
      const db = await this.db();
      const rows = await db
        .selectFrom("login_failures")
        .select(["key", "failures"])
        .where("key", "in", keys.map(([k]) => k))
        .where("expires_at", ">", sql<Date>`clock_timestamp()`)
        .execute();
      return keys.some(([key, limit]) => rows.some((r) => r.key === key && r.failures >= limit));
    } catch (err) {
      this.onError(err);
      return this.fallback.isThrottled(address, account);
    }
  }

  async recordFailure(address: string, account: string): Promise<void> {
    const keys = this.keys(address, account);
    const windowSeconds = this.limits.windowMs / 1000;
    try {
      const db = await this.db();
      // One atomic upsert per key: instances failing at once each add theirs.
      for (const [key, limit] of keys) {
        await sql`
          insert into public.login_failures as f (key, failures, expires_at)
          values (${key}, 1, clock_timestamp() + make_interval(secs => ${windowSeconds}::float8))
          on conflict (key) do update set
            failures = case when f.expires_at <= clock_timestamp() then 1 else least(f.failures + 1, ${limit}::int) end,
            expires_at = case when f.expires_at <= clock_timestamp() or f.failures + 1 >= ${limit}::int
                              then clock_timestamp() + make_interval(secs => ${windowSeconds}::float8)
                              else f.expires_at end`.execute(db);
      }
      if (Date.now() - this.lastPrune > 60_000) {
        this.lastPrune = Date.now();
        await db.deleteFrom("login_failures").where("expires_at", "<", sql<Date>`clock_timestamp()`).execute();
      }
    } catch (err) {
      this.onError(err);
      this.fallback.recordFailure(address, account);
    }
  }

  /** A successful sign-in clears that address's count for that account (not the address's total). */
  async recordSuccess(address: string, account: string): Promise<void> {
    this.fallback.recordSuccess(address, account);
    try {
      const db = await this.db();
      await db.deleteFrom("login_failures").where("key", "=", this.keys(address, account)[0]![0]).execute();
    } catch (err) {
      this.onError(err);
    }
  }
}

function digest(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

const holder = globalThis as { __llmcpLoginThrottle?: SharedLoginThrottle };

/** The process's throttle (on globalThis so Next's dev reloads keep it), shared through the database. */
export function loginThrottle(): SharedLoginThrottle {
  holder.__llmcpLoginThrottle ??= new SharedLoginThrottle(serviceDb, new LoginThrottle(), DEFAULT_LIMITS, (err) =>
    console.warn(`[auth] login throttle not shared right now (counting per instance): ${errorMessage(err)}`));
  return holder.__llmcpLoginThrottle;
}
