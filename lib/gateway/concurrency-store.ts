import os from "node:os";
import type { Kysely } from "kysely";
import { renewSlots, reserveSlots } from "@/lib/db/concurrency-slots";
import type { DB } from "@/lib/db/schema";
import type { SlotStore } from "./concurrency";

/**
 * The shared concurrency leases behind ConcurrencyLimiter, in Postgres (concurrency_slots; the
 * statements live in lib/db/concurrency-slots.ts): one row per (key, instance) with the slots
 * that instance holds and an expiry. reserve() is one call of concurrency_reserve(), which sets
 * this instance's row under a per-key lock, never past the cap counting the other instances' rows.
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
    return reserveSlots(await this.db(), { keyId, instanceId: this.instanceId, cap, need, share, ttlMs: this.ttlMs });
  }

  async renew(): Promise<void> {
    await renewSlots(await this.db(), this.instanceId, this.ttlMs);
  }
}

/** INSTANCE_ID when set (a stable name for this instance), else hostname-pid. */
export function defaultInstanceId(): string {
  const id = process.env.INSTANCE_ID?.trim();
  return (id && id.length <= 200 ? id : `${os.hostname()}-${process.pid}`).slice(0, 200);
}
