import { sql, type Kysely } from "kysely";
import type { DB } from "@/lib/db/schema";
import type { RateLimitStore, TakeRequest, TakeResult, WindowIncrement } from "./rate-limit";

/**
 * The shared windows behind RateLimiter, in Postgres (rate_limit_windows). take() is one call of
 * rate_limit_take() (migration 20261206100000), which grants under the row lock only what keeps
 * the window within the limit; add() adds owed hits or hands back unused allowance in one
 * statement. Runs as the service role.
 */
export class PostgresRateLimitStore implements RateLimitStore {
  constructor(private readonly db: () => Promise<Kysely<DB>>) {}

  async take(req: TakeRequest): Promise<TakeResult> {
    const db = await this.db();
    const { rows } = await sql<{ granted: string | number; current_hits: string | number; previous_hits: string | number }>`
      select * from public.rate_limit_take(${req.keyId}::uuid, ${req.bucket}::int, ${req.limit}::bigint, ${req.weight}::float8, ${req.want}::bigint)`.execute(db);
    const r = rows[0]!;
    return { granted: Number(r.granted), current: Number(r.current_hits), previous: Number(r.previous_hits) };
  }

  async add(increments: WindowIncrement[]): Promise<void> {
    if (increments.length === 0) return;
    const db = await this.db();
    const keys = increments.map((i) => i.keyId);
    const buckets = increments.map((i) => i.bucket);
    const hits = increments.map((i) => i.hits);
    // Summed per window first; hand-backs only lower existing rows, never below 0.
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

  async prune(beforeBucket: number): Promise<void> {
    const db = await this.db();
    await db.deleteFrom("rate_limit_windows").where("bucket", "<", beforeBucket).execute();
  }
}
