import fs from "node:fs";
import { sql, type Kysely } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import type { DB } from "@/lib/db/schema";
import { createRecorder, type Recorder, type RecorderOptions } from "@/lib/gateway/recorder/recorder";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { countRows, quietLog, rollupDrift, spoolFiles, StatementSpy, tempSpoolDir, waitFor } from "./recorder/helpers";
import { makeRecord, records } from "./recorder/records";

/**
 * The recorder on a healthy database: batching, idempotency, poison records, close(), and many
 * concurrent writers. Outages and crashes are in recorder-outage.test.ts.
 */
describe.each(databaseTargets())("recorder on $name", (target) => {
  let db: Database;
  let k: Kysely<DB>;
  let run = 0;
  const open: { recorder: Recorder; dir: string }[] = [];

  /** A recorder on this database with a fresh spool dir; closed and cleaned up after each test. */
  function recorder(options: Partial<RecorderOptions> = {}, spy?: StatementSpy): { r: Recorder; dir: string } {
    const dir = options.spoolDir ?? tempSpoolDir();
    const kysely = spy ? k.withPlugin(spy) : k;
    const r = createRecorder({ getDb: async () => kysely, spoolDir: dir, log: quietLog, retryMinMs: 20, ...options });
    open.push({ recorder: r, dir });
    return { r, dir };
  }

  beforeAll(async () => {
    db = await openMigrated(target);
    k = db.kysely;
  });
  afterEach(async () => {
    run += 1;
    for (const { recorder: r, dir } of open.splice(0)) {
      await r.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  afterAll(async () => {
    await db?.close();
  });

  it("batches: N records take at most ceil(N / maxBatch) statements, and the rollup equals the ledger", async () => {
    const spy = new StatementSpy();
    const { r } = recorder({ maxBatch: 250, flushIntervalMs: 10_000 }, spy);
    for (const rec of records(run, 1_000)) r.record(rec);
    await r.flush();
    expect(await countRows(k, run)).toBe(1_000);
    expect(spy.inserts).toBeLessThanOrEqual(Math.ceil(1_000 / 250));
    expect(r.stats()).toMatchObject({ recorded: 1_000, written: 1_000, pending: 0, spooled: 0, failedBatches: 0 });
    expect(await rollupDrift(k)).toEqual([]);
  });

  it("flushes on its timer without anyone calling flush()", async () => {
    const { r } = recorder({ flushIntervalMs: 30 });
    for (const rec of records(run, 7)) r.record(rec);
    await waitFor(async () => (await countRows(k, run)) === 7);
    expect(r.stats().pending).toBe(0);
  });

  it("is idempotent: the same attempt twice (same batch, later batch, another recorder) is one row", async () => {
    const { r } = recorder({ flushIntervalMs: 10_000 });
    const first = records(run, 50);
    for (const rec of [...first, ...first]) r.record(rec);
    await r.flush();
    for (const rec of first.slice(0, 10)) r.record({ ...rec });
    await r.flush();
    const { r: other } = recorder();
    other.record(first[0]!);
    await other.flush();
    // A retry is a new attempt of the same request: a second row, by design.
    r.record({ ...first[1]!, attempt: 2 });
    await r.flush();
    expect(await countRows(k, run)).toBe(51);
    expect(r.stats()).toMatchObject({ written: 51, duplicates: 60 });
    expect(await rollupDrift(k)).toEqual([]);
  });

  it("replays a batch whose commit succeeded but whose reply was lost, without duplicates", async () => {
    const spy = new StatementSpy();
    spy.loseAcks = 1;
    const { r, dir } = recorder({ flushIntervalMs: 10_000, maxBatch: 100, retryMinMs: 60_000 }, spy);
    await r.replay(); // the start-up replay (an empty spool) is over; the next one waits retryMinMs
    for (const rec of records(run, 100)) r.record(rec);
    await r.flush();
    expect(r.stats()).toMatchObject({ spooled: 100, failedBatches: 1, databaseDown: true });
    expect(spoolFiles(dir).open).toHaveLength(1);
    await r.replay();
    expect(r.stats()).toMatchObject({ spooled: 0, duplicates: 100, written: 0, databaseDown: false });
    expect(await countRows(k, run)).toBe(100);
    expect(spoolFiles(dir).segments).toHaveLength(0);
    expect(await rollupDrift(k)).toEqual([]);
  });

  it("dead-letters poison records (CHECK violations) and lands every other record", async () => {
    const { r, dir } = recorder({ flushIntervalMs: 10_000, maxBatch: 500 });
    const good = records(run, 300);
    const poison = [
      makeRecord(run, 1_000, { status: "weird" as "ok" }),
      makeRecord(run, 1_001, { prompt_tokens: -5 }),
      makeRecord(run, 1_002, { currency: "usd" }),
      makeRecord(run, 1_003, { cost: "0.1", pricing_source: null }),
      makeRecord(run, 1_004, { request_id: "not-a-uuid" }),
    ];
    good.splice(17, 0, poison[0]!);
    good.splice(150, 0, poison[1]!, poison[2]!);
    good.push(poison[3]!, poison[4]!);
    for (const rec of good) r.record(rec);
    await r.flush();
    expect(await countRows(k, run)).toBe(300);
    expect(r.stats()).toMatchObject({ written: 300, deadLettered: 5, spooled: 0, failedBatches: 0 });
    const dead = spoolFiles(dir).deadLetter.map((line) => JSON.parse(line) as { error: { code: string }; record: { request_id: string } });
    expect(dead.map((d) => d.error.code).sort()).toEqual(["22P02", "23514", "23514", "23514", "23514"]);
    expect(dead.map((d) => d.record.request_id)).toContain("not-a-uuid");
    expect(await rollupDrift(k)).toEqual([]);
  });

  it("creates a missing monthly partition and retries when no default partition catches the row", async () => {
    const { r } = recorder();
    r.record(makeRecord(run, 1, { created_at: new Date(Date.now() + 200 * 24 * 3600 * 1000) }));
    r.record(makeRecord(run, 2));
    await r.flush();
    expect(await countRows(k, run)).toBe(2);
    expect(r.stats()).toMatchObject({ written: 2, deadLettered: 0, failedBatches: 0 });
  });

  it("writes prompt-cache writes and their price in every partition, and dead-letters a negative count", async () => {
    const { r, dir } = recorder({ flushIntervalMs: 10_000 });
    const written = { cache_write_tokens: 3, cached_tokens: 5, cache_write_price_per_mtok: "3.75" };
    const now = makeRecord(run, 1, written);
    // Months ahead: a partition created after the migration ran (or the default) must have it too.
    const later = makeRecord(run, 2, { ...written, created_at: new Date(Date.now() + 200 * 24 * 3600 * 1000) });
    const none = makeRecord(run, 3);
    for (const rec of [now, later, none, makeRecord(run, 4, { cache_write_tokens: -1 })]) r.record(rec);
    await r.flush();
    expect(r.stats()).toMatchObject({ written: 3, deadLettered: 1 });
    const rows = await k
      .selectFrom("llm_calls")
      .select(["request_id", "cache_write_tokens", sql<string | null>`cache_write_price_per_mtok::text`.as("price")])
      .where("request_id", "in", [now.request_id, later.request_id, none.request_id])
      .orderBy("request_id")
      .execute();
    expect(rows.map((x) => [x.cache_write_tokens, x.price])).toEqual([[3, "3.75000000"], [3, "3.75000000"], [null, null]]);
    expect(spoolFiles(dir).deadLetter.map((line) => (JSON.parse(line) as { error: { code: string } }).error.code)).toEqual(["23514"]);
    const { rows: partitions } = await sql<{ part: string; has: boolean }>`
      select c.relname as part, exists (
        select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'cache_write_tokens' and not a.attisdropped
      ) as has
      from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'public.llm_calls'::regclass`.execute(k);
    expect(partitions.length).toBeGreaterThan(1);
    expect(partitions.filter((x) => !x.has)).toEqual([]);
  });

  it("ignores properties that are not columns instead of failing the batch", async () => {
    const { r } = recorder();
    r.record({ ...makeRecord(run, 1), extra: { nested: true } } as ReturnType<typeof makeRecord>);
    await r.flush();
    expect(await countRows(k, run)).toBe(1);
  });

  it("close() flushes the buffer, and records after close go to the spool synchronously", async () => {
    const { r, dir } = recorder({ flushIntervalMs: 60_000, maxBatch: 1_000 });
    for (const rec of records(run, 123)) r.record(rec);
    expect(r.stats().pending).toBe(123);
    await r.close();
    expect(await countRows(k, run)).toBe(123);
    r.record(makeRecord(run, 500));
    expect(spoolFiles(dir).segments).toHaveLength(1);
    expect(r.stats().spooled).toBe(1);

    const { r: next } = recorder({ spoolDir: dir });
    await waitFor(() => next.stats().spooled === 0 && next.stats().written === 1);
    expect(await countRows(k, run)).toBe(124);
  });

  it("records 10,000 attempts from 100 concurrent tasks as exactly 10,000 rows", async () => {
    const spy = new StatementSpy();
    const { r } = recorder({ flushIntervalMs: 20, maxBatch: 500 }, spy);
    await Promise.all(
      Array.from({ length: 100 }, async (_, task) => {
        for (let i = 0; i < 100; i++) {
          r.record(makeRecord(run, task * 100 + i));
          if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
        }
      }),
    );
    await r.flush();
    expect(await countRows(k, run)).toBe(10_000);
    expect(r.stats()).toMatchObject({ recorded: 10_000, written: 10_000, duplicates: 0, pending: 0, spooled: 0 });
    expect(spy.inserts).toBeLessThan(10_000 / 10);
    expect(await rollupDrift(k)).toEqual([]);
  });
});
