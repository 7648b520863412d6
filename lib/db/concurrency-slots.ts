import { sql, type Kysely } from "kysely";
import type { DB } from "./schema";

/**
 * The gateway's shared concurrency leases (concurrency_slots): one row per (key, instance) with
 * the slots that instance holds and an expiry. reserveSlots() is one call of concurrency_reserve()
 * (migration 20261206100000), which sets this instance's row under a per-key transaction lock,
 * never past the cap counting the other instances' unexpired rows. renewSlots() pushes one
 * instance's expiries forward and deletes every lapsed row. Called by lib/gateway/concurrency-store.ts
 * as the service role.
 */

export interface SlotReservation {
  keyId: string;
  instanceId: string;
  cap: number;
  need: number;
  share: number;
  ttlMs: number;
}

export async function reserveSlots(db: Kysely<DB>, r: SlotReservation): Promise<{ held: number; others: number }> {
  const { rows } = await sql<{ held: number; others: number }>`
      select held, others from public.concurrency_reserve(${r.keyId}::uuid, ${r.instanceId}, ${r.cap}::int, ${r.need}::int, ${r.share}::int, ${r.ttlMs}::int)`.execute(db);
  return { held: Number(rows[0]!.held), others: Number(rows[0]!.others) };
}

/** Two statements: this instance's leases pushed forward, then every lapsed lease (any instance) deleted. */
export async function renewSlots(db: Kysely<DB>, instanceId: string, ttlMs: number): Promise<void> {
  await sql`update public.concurrency_slots set expires_at = clock_timestamp() + make_interval(secs => ${ttlMs / 1000}::float8)
      where instance_id = ${instanceId}`.execute(db);
  await sql`delete from public.concurrency_slots where expires_at < clock_timestamp()`.execute(db);
}
