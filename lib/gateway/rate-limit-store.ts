import type { Kysely } from "kysely";
import { addWindowHits, pruneWindows, rateLimitTake } from "@/lib/db/rate-limit-windows";
import type { DB } from "@/lib/db/schema";
import type { RateLimitStore, TakeRequest, TakeResult, WindowIncrement } from "./rate-limit";

/**
 * The shared windows behind RateLimiter, in Postgres (rate_limit_windows; the statements live in
 * lib/db/rate-limit-windows.ts). take() is one call of rate_limit_take(), which grants under the
 * row lock only what keeps the window within the limit; add() adds owed hits or hands back unused
 * allowance in one statement. Runs as the service role.
 */
export class PostgresRateLimitStore implements RateLimitStore {
  constructor(private readonly db: () => Promise<Kysely<DB>>) {}

  async take(req: TakeRequest): Promise<TakeResult> {
    return rateLimitTake(await this.db(), req);
  }

  async add(increments: WindowIncrement[]): Promise<void> {
    if (increments.length === 0) return;
    await addWindowHits(await this.db(), increments);
  }

  async prune(beforeBucket: number): Promise<void> {
    await pruneWindows(await this.db(), beforeBucket);
  }
}
