import os from "node:os";
import { sql, type Kysely } from "kysely";
import type { DB } from "@/lib/db/schema";
import type { SlotStore } from "./concurrency";

/**
 * The shared concurrency leases behind ConcurrencyLimiter, in Postgres (concurrency_slots): one
 * row per (key, instance) with the slots that instance holds and an expiry. reserve() is one call
 * of concurrency_reserve() (migration 20261206100000), which sets this instance's row under a
 * per-key transaction lock, never past the cap counting the other instances' unexpired rows.
 * renew() pushes this instance's expiries forward and deletes every lapsed row (a crashed
 * instance's slots stop counting once its lease lapses). Runs as the service role.
 */
export class PostgresSlotStore implements SlotStore {
  constructor(
    private readonly db: () => Promise<Kysely<DB>>,
    readonly instanceId: string = defaultInstanceId(),
    private readonly ttlMs = 30_000,
  ) {}

  async reserve(keyId: string, cap: number, need: number, share: number): Promise<{ held: number; others: number }> {
    const db = await this.db();
    const { rows } = await sql<{ held: number; others: number }>`
      select held, others from public.concurrency_reserve(${keyId}::uuid, ${this.instanceId}, ${cap}::int, ${need}::int, ${share}::int, ${this.ttlMs}::int)`.execute(db);
    return { held: Number(rows[0]!.held), others: Number(rows[0]!.others) };
  }

  async renew(): Promise<void> {
    const db = await this.db();
    await sql`update public.concurrency_slots set expires_at = clock_timestamp() + make_interval(secs => ${this.ttlMs / 1000}::float8)
      where instance_id = ${this.instanceId}`.execute(db);
    await sql`delete from public.concurrency_slots where expires_at < clock_timestamp()`.execute(db);
  }
}

/** INSTANCE_ID when set (a stable name for this instance), else hostname-pid. */
export function defaultInstanceId(): string {
  const id = process.env.INSTANCE_ID?.trim();
  return (id && id.length <= 200 ? id : `${os.hostname()}-${process.pid}`).slice(0, 200);
}
