import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrator";
import { SharedLoginThrottle } from "@/lib/auth/login-throttle-store";
import { ConcurrencyLimiter, type Lease } from "@/lib/gateway/concurrency";
import { PostgresSlotStore } from "@/lib/gateway/concurrency-store";
import { GatewayError } from "@/lib/gateway/errors";
import { RateLimiter } from "@/lib/gateway/rate-limit";
import { PostgresRateLimitStore } from "@/lib/gateway/rate-limit-store";
import { createTempPostgresDatabase } from "@/tests/helpers/databases";

/**
 * Issue 16 items 1 and 3: three gateway instances on one database (three limiters, each with its
 * own store and, on PostgreSQL, its own connection pool) admit a key's limit once between them,
 * hold its concurrency cap once between them, and refuse sign-ins after the same count as one.
 */
const adminUrl = inject("pgAdminUrl");
const targets = [{ name: "pglite" }, ...(adminUrl ? [{ name: "postgres" }] : [])];

/** Waits for a condition, bounded: fails the test instead of hanging. */
async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs `total` calls of fn spread round-robin over the instances, at most `concurrency` at once. */
async function spread<T>(total: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      results[i] = await fn(i).then((value) => ({ status: "fulfilled" as const, value }), (reason: unknown) => ({ status: "rejected" as const, reason }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return results;
}

function expectRefusals(results: PromiseSettledResult<unknown>[], code: string): number {
  for (const r of results) {
    if (r.status === "rejected") {
      expect(r.reason).toBeInstanceOf(GatewayError);
      expect((r.reason as GatewayError).refusal).toBe(code);
    }
  }
  return results.filter((r) => r.status === "fulfilled").length;
}

describe.each(targets)("limits across three instances on $name", ({ name }) => {
  let dbs: Database[] = [];
  let drop: (() => Promise<void>) | undefined;
  const kysely = (i: number) => async () => dbs[i % dbs.length]!.kysely;

  beforeAll(async () => {
    if (name === "postgres") {
      const temp = await createTempPostgresDatabase(adminUrl);
      drop = temp.drop;
      dbs = await Promise.all([0, 1, 2].map(() => openDatabase({ url: temp.url, mode: "server", poolMax: 4 })));
    } else {
      dbs = [await openDatabase({ dataDir: "memory://" })];
    }
    await migrate(dbs[0]!);
  });
  afterAll(async () => {
    for (const db of dbs) await db.close();
    await drop?.();
  });

  it("rate_limit_take grants atomically, never past the limit", async () => {
    const store = new PostgresRateLimitStore(kysely(0));
    const key = randomUUID();
    const bucket = Math.floor(Date.now() / 60_000);
    const grants = await Promise.all(Array.from({ length: 20 }, (_, i) => new PostgresRateLimitStore(kysely(i)).take({ keyId: key, bucket, limit: 60, weight: 1, want: 5 })));
    expect(grants.reduce((a, g) => a + g.granted, 0)).toBe(60);
    expect(Math.max(...grants.map((g) => g.current))).toBe(60);
    // The previous minute counts by its weight; a hand-back lowers the row, never below 0.
    const next = await store.take({ keyId: key, bucket: bucket + 1, limit: 60, weight: 0.5, want: 100 });
    expect(next).toEqual({ granted: 30, current: 30, previous: 60 });
    await store.add([{ keyId: key, bucket: bucket + 1, hits: -50 }]);
    const row = await dbs[0]!.kysely.selectFrom("rate_limit_windows").select("hits").where("key_id", "=", key).where("bucket", "=", bucket + 1).executeTakeFirstOrThrow();
    expect(Number(row.hits)).toBe(0);
  });

  it.each([
    { shape: "200 at once", total: 200, concurrency: 200 },
    { shape: "300 at 30 concurrent", total: 300, concurrency: 30 },
  ])("a key limited to 60/min admits at most 60 + 3 of $shape over three instances", async ({ total, concurrency }) => {
    const fleet = [0, 1, 2].map((i) => new RateLimiter({ store: new PostgresRateLimitStore(kysely(i)) }));
    const key = randomUUID();
    const results = await spread(total, concurrency, async (i) => fleet[i % 3]!.hit(key, 60));
    const admitted = expectRefusals(results, "rate_limited_key");
    await Promise.all(fleet.map((rl) => rl.stop()));
    expect(admitted).toBeLessThanOrEqual(63);
    // Allowances are handed to waiting requests, so the fleet does not under-admit either.
    expect(admitted).toBeGreaterThanOrEqual(60 - 3);
    // Unless the minute rolled over during the burst, the shared row holds exactly what was admitted.
    const rows = await dbs[0]!.kysely.selectFrom("rate_limit_windows").select("hits").where("key_id", "=", key).execute();
    expect(rows.reduce((a, r) => a + Number(r.hits), 0)).toBe(admitted);
  });

  it("a key capped at 10 concurrent calls holds at most 10 + 3 over three instances, and a crashed instance's slots lapse", async () => {
    const fleet = [0, 1, 2].map((i) => new ConcurrencyLimiter({ store: new PostgresSlotStore(kysely(i), `instance-${i}`) }));
    const key = randomUUID();
    const results = await spread(200, 200, async (i) => fleet[i % 3]!.acquire(key, 10));
    const held = results.flatMap((r) => (r.status === "fulfilled" ? [r.value as Lease] : []));
    expectRefusals(results, "concurrency_limited");
    expect(held.length).toBeLessThanOrEqual(13);
    expect(held.length).toBeGreaterThanOrEqual(10 - 3);
    for (const lease of held) lease.release();
    await Promise.all(fleet.map((l) => l.stop()));

    // An instance that dies holding every slot (short lease, never renewed) blocks the key only
    // until its lease lapses.
    const crashed = new ConcurrencyLimiter({ store: new PostgresSlotStore(kysely(0), "crashed", 300), renewMs: 60_000 });
    const other = new ConcurrencyLimiter({ store: new PostgresSlotStore(kysely(1), "survivor") });
    const key2 = randomUUID();
    const hog = await spread(10, 10, async () => crashed.acquire(key2, 10));
    expect(expectRefusals(hog, "concurrency_limited")).toBe(10);
    await expect(Promise.resolve().then(() => other.acquire(key2, 10))).rejects.toBeInstanceOf(GatewayError);
    let lease: Lease | null = null;
    await until(async () => {
      lease = await Promise.resolve().then(() => other.acquire(key2, 10)).catch(() => null);
      return lease !== null;
    }, "the crashed instance's lease to lapse");
    (lease as Lease | null)?.release();
    await other.stop();
  });

  it("three login throttles on one database refuse after the same count as one, and never lock the owner out", async () => {
    const throttles = [0, 1, 2].map((i) => new SharedLoginThrottle(kysely(i)));
    const attacker = `198.51.100.${Math.floor(Math.random() * 200)}`;
    const account = `${randomUUID()}@example.com`;
    let checked = 0;
    for (let i = 0; i < 30; i++) {
      const t = throttles[i % 3]!;
      if (await t.isThrottled(attacker, account)) break;
      checked += 1;
      await t.recordFailure(attacker, account);
    }
    expect(checked).toBe(10);
    // The owner's own address is not affected; a success clears only that pair.
    expect(await throttles[1]!.isThrottled("192.0.2.10", account)).toBe(false);
    await throttles[2]!.recordSuccess(attacker, account);
    expect(await throttles[0]!.isThrottled(attacker, account)).toBe(false);
    // Spraying many accounts from one address stops at 50 across the fleet.
    const sprayer = `203.0.113.${Math.floor(Math.random() * 200)}`;
    let sprayed = 0;
    for (let i = 0; i < 80; i++) {
      const t = throttles[i % 3]!;
      if (await t.isThrottled(sprayer, `user${i}@example.com`)) break;
      sprayed += 1;
      await t.recordFailure(sprayer, `user${i}@example.com`);
    }
    expect(sprayed).toBe(50);
  });
});
