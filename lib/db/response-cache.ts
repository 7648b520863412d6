import { sql, type Kysely } from "kysely";
import type { DB } from "./schema";

/**
 * The response cache's Postgres store (response_cache, unlogged, service role only; migration
 * 20261208050001). Every query of it is here; lib/gateway/cache-store.ts calls these as the
 * service role. An entry is opaque text (the gateway's JSON); expiry is checked on read and
 * expired rows are deleted by prune(), which also keeps the table within its bounds, evicting
 * the entries that expire soonest first (with one TTL, the oldest).
 */

export interface CachePut {
  key: string;
  /** The organization's id, or "" for calls without one: the unit of the per-organization bound. */
  organizationKey: string;
  appId: string;
  entry: string;
  expiresAt: Date;
}

export interface CacheBounds {
  maxEntries: number;
  maxPerOrganization: number;
}

/** The entry under `key` unless it has expired. */
export async function readCached(db: Kysely<DB>, key: string): Promise<string | null> {
  const row = await db
    .selectFrom("response_cache")
    .select("entry")
    .where("key", "=", key)
    .where("expires_at", ">", sql<Date>`clock_timestamp()`)
    .executeTakeFirst();
  return row?.entry ?? null;
}

/** Stores (or replaces) an entry. */
export async function writeCached(db: Kysely<DB>, put: CachePut): Promise<void> {
  await db
    .insertInto("response_cache")
    .values({
      key: put.key, organization_key: put.organizationKey, app_id: put.appId, entry: put.entry,
      bytes: Buffer.byteLength(put.entry), expires_at: put.expiresAt,
    })
    .onConflict((oc) => oc.column("key").doUpdateSet((eb) => ({
      entry: eb.ref("excluded.entry"), bytes: eb.ref("excluded.bytes"), expires_at: eb.ref("excluded.expires_at"),
      created_at: sql<Date>`clock_timestamp()`, organization_key: eb.ref("excluded.organization_key"), app_id: eb.ref("excluded.app_id"),
    })))
    .execute();
}

/**
 * Deletes expired entries, then those of `organizationKey` beyond its bound, then any beyond the
 * overall bound (soonest expiry first). Returns how many rows went.
 */
export async function pruneCached(db: Kysely<DB>, organizationKey: string, bounds: CacheBounds): Promise<number> {
  const expired = await sql`delete from public.response_cache where expires_at <= clock_timestamp()`.execute(db);
  const perOrg = await sql`delete from public.response_cache where key in (
      select key from public.response_cache where organization_key = ${organizationKey}
      order by expires_at desc, created_at desc offset ${bounds.maxPerOrganization})`.execute(db);
  const overall = await sql`delete from public.response_cache where key in (
      select key from public.response_cache order by expires_at desc, created_at desc offset ${bounds.maxEntries})`.execute(db);
  return [expired, perOrg, overall].reduce((n, r) => n + Number(r.numAffectedRows ?? 0), 0);
}

/** How many entries an organization key holds (tests and the benchmark's report). */
export async function countCached(db: Kysely<DB>, organizationKey?: string): Promise<number> {
  let q = db.selectFrom("response_cache").select((eb) => eb.fn.countAll<string>().as("n"));
  if (organizationKey !== undefined) q = q.where("organization_key", "=", organizationKey);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}
