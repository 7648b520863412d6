import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { RateLimiter } from "@/lib/gateway/rate-limit";
import { PostgresRateLimitStore } from "@/lib/gateway/rate-limit-store";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";

/**
 * Rate limits across gateway instances: two limiters (two instances) sharing the Postgres
 * counters admit a key's limit once between them, not once each.
 */

function admitted(rl: RateLimiter, key: string, limit: number, n: number, at: number): number {
  let ok = 0;
  for (let i = 0; i < n; i++) {
    try {
      rl.hit(key, limit, at + i);
      ok += 1;
    } catch {
      /* 429 */
    }
  }
  return ok;
}

describe.each(databaseTargets())("shared rate-limit counters on $name", (target) => {
  let db: Database;
  let store: PostgresRateLimitStore;

  beforeAll(async () => {
    db = await openMigrated(target);
    store = new PostgresRateLimitStore(async () => db.kysely);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("adds increments atomically and returns global counts with the previous window", async () => {
    const key = randomUUID();
    expect(await store.sync([{ keyId: key, bucket: 100, hits: 7 }])).toEqual([{ keyId: key, bucket: 100, count: 7 }]);
    const counts = await store.sync([{ keyId: key, bucket: 101, hits: 2 }, { keyId: randomUUID(), bucket: 101, hits: 0 }]);
    expect(counts).toEqual(expect.arrayContaining([{ keyId: key, bucket: 101, count: 2 }, { keyId: key, bucket: 100, count: 7 }]));
    // Concurrent instances adding to the same window lose nothing.
    await Promise.all(Array.from({ length: 20 }, () => store.sync([{ keyId: key, bucket: 101, hits: 1 }])));
    const after = await store.sync([{ keyId: key, bucket: 101, hits: 0 }]);
    expect(after.find((c) => c.bucket === 101)?.count).toBe(22);
    await store.prune(101);
    const rows = await db.kysely.selectFrom("rate_limit_windows").select(["bucket"]).where("key_id", "=", key).execute();
    expect(rows.map((r) => r.bucket)).toEqual([101]);
  });

  it("two instances together admit the key's limit once", async () => {
    const key = randomUUID();
    const a = new RateLimiter({ store, syncMs: 60_000 });
    const b = new RateLimiter({ store, syncMs: 60_000 });
    const t = 60_000 * 29_000_000;
    expect(admitted(a, key, 20, 12, t)).toBe(12);
    expect(admitted(b, key, 20, 1, t + 20)).toBe(1);
    await a.sync(t + 30);
    await b.sync(t + 30);
    expect(admitted(b, key, 20, 20, t + 40)).toBe(7);
    await b.sync(t + 70);
    await a.sync(t + 70);
    expect(admitted(a, key, 20, 5, t + 80)).toBe(0);
    const row = await db.kysely.selectFrom("rate_limit_windows").select("hits").where("key_id", "=", key).executeTakeFirstOrThrow();
    expect(Number(row.hits)).toBe(20);
  });
});
