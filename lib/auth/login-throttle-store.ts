import { errorMessage } from "@/lib/errors";
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import { clearLoginFailures, countLoginFailure, pruneLoginFailures, throttledKeys, type LoginFailureKey } from "@/lib/db/login-failures";
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

  /** The (address, account) key first, then the address's. */
  private keys(address: string, account: string): LoginFailureKey[] {
    return [
      { key: digest(`pair\n${address}\n${account}`), limit: this.limits.perAddressAndAccount },
      { key: digest(`address\n${address}`), limit: this.limits.perAddress },
    ];
  }

  async isThrottled(address: string, account: string): Promise<boolean> {
    const keys = this.keys(address, account);
    try {
      return (await throttledKeys(await this.db(), keys)).length > 0;
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
      await countLoginFailure(db, keys, windowSeconds);
      if (Date.now() - this.lastPrune > 60_000) {
        this.lastPrune = Date.now();
        await pruneLoginFailures(db);
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
      await clearLoginFailures(await this.db(), this.keys(address, account)[0]!.key);
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
