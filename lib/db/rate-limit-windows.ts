import { sql, type Kysely } from "kysely";
import type { DB } from "./schema";

/**
 * The gateway's shared rate-limit windows (rate_limit_windows), one row per (key, minute bucket).
 * rateLimitTake() is one call of rate_limit_take() (migration 20261206100000), which grants under
 * the row lock only what keeps the window within the limit; addWindowHits() adds owed hits or
 * hands back unused allowance in one statement. The caller (lib/gateway/rate-limit-store.ts) runs
 * them as the service role.
 */

export interface WindowTake {
  keyId: string;
  bucket: number;
  limit: number;
  /** Weight of the previous bucket: 1 - elapsed fraction of this minute. */
  weight: number;
  want: number;
}

export interface WindowHits {
  keyId: string;
  bucket: number;
  hits: number;
}

export async function rateLimitTake(db: Kysely<DB>, req: WindowTake): Promise<{ granted: number; current: number; previous: number }> {
  const { rows } = await sql<{ granted: string | number; current_hits: string | number; previous_hits: string | number }>`
      select * from public.rate_limit_take(${req.keyId}::uuid, ${req.bucket}::int, ${req.limit}::bigint, ${req.weight}::float8, ${req.want}::bigint)`.execute(db);
  const r = rows[0]!;
  return { granted: Number(r.granted), current: Number(r.current_hits), previous: Number(r.previous_hits) };
}

/** One statement for all increments, summed per window first; hand-backs only lower existing rows, never below 0. */
export async function addWindowHits(db: Kysely<DB>, increments: WindowHits[]): Promise<void> {
  const keys = increments.map((i) => i.keyId);
  const buckets = increments.map((i) => i.bucket);
  const hits = increments.map((i) => i.hits);
  await sql`
      with t as (
        select key_id, bucket, sum(hits)::bigint as hits
          from unnest(${keys}::uuid[], ${buckets}::int[], ${hits}::bigint[]) as i(key_id, bucket, hits)
         group by key_id, bucket
      ), upd as (
        update public.rate_limit_windows w set hits = greatest(0, w.hits + t.hits)
          from t where w.key_id = t.key_id and w.bucket = t.bucket
        returning w.key_id, w.bucket
      )
      insert into public.rate_limit_windows as w (key_id, bucket, hits)
      select t.key_id, t.bucket, t.hits from t
       where t.hits > 0 and not exists (select 1 from upd where upd.key_id = t.key_id and upd.bucket = t.bucket)
      on conflict (key_id, bucket) do update set hits = w.hits + excluded.hits`.execute(db);
}

export async function pruneWindows(db: Kysely<DB>, beforeBucket: number): Promise<void> {
  await db.deleteFrom("rate_limit_windows").where("bucket", "<", beforeBucket).execute();
}
