import { sql, type Kysely } from "kysely";
import type { DB } from "@/lib/db/schema";
import type { RateLimitStore, WindowCount, WindowIncrement } from "./rate-limit";

/**
 * The shared counters behind RateLimiter, in Postgres (rate_limit_windows): one statement adds
 * every increment atomically (insert … on conflict do update) and returns the global counts of
 * those windows plus each key's previous window. Runs as the service role, off the hot path.
 */
export class PostgresRateLimitStore implements RateLimitStore {
  constructor(private readonly db: () => Promise<Kysely<DB>>) {}

  async sync(increments: WindowIncrement[]): Promise<WindowCount[]> {
    if (increments.length === 0) return [];
    const db = await this.db();
    const keys = increments.map((i) => i.keyId);
    const buckets = increments.map((i) => i.bucket);
    const hits = increments.map((i) => i.hits);
    const { rows } = await sql<{ key_id: string; bucket: number; hits: string | number }>`
      with inc as (
        select * from unnest(${keys}::uuid[], ${buckets}::int[], ${hits}::bigint[]) as t(key_id, bucket, hits)
      ), up as (
        insert into public.rate_limit_windows as w (key_id, bucket, hits)
        select key_id, bucket, hits from inc
        on conflict (key_id, bucket) do update set hits = w.hits + excluded.hits
        returning w.key_id, w.bucket, w.hits
      )
      select key_id::text, bucket, hits from up
      union all
      select w.key_id::text, w.bucket, w.hits
        from public.rate_limit_windows w
        join (select key_id, max(bucket) - 1 as bucket from inc group by key_id) p
          on p.key_id = w.key_id and p.bucket = w.bucket`.execute(db);
    return rows.map((r) => ({ keyId: r.key_id, bucket: Number(r.bucket), count: Number(r.hits) }));
  }

  async prune(beforeBucket: number): Promise<void> {
    const db = await this.db();
    await db.deleteFrom("rate_limit_windows").where("bucket", "<", beforeBucket).execute();
  }
}
