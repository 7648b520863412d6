/**
 * Recorder micro-benchmark: `npx tsx scripts/bench/micro/recorder.ts [records]`.
 * Runs on PGlite (memory://) and, when TEST_DATABASE_URL names an admin connection, on a
 * throwaway PostgreSQL database created and dropped here. For each it prints
 *   - the cost of record() on the response path (ns per call, nothing awaited), journal off and on,
 *   - sustained records/s into the table with flushes interleaved with a producer,
 *   - records/s into the disk spool while the database is down, and the replay rate after.
 * Every phase checks the row count: a fast number that lost records would be worthless.
 */
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql, type Kysely } from "kysely";
import pg from "pg";
import { openDatabase, type Database } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrator";
import type { DB } from "@/lib/db/schema";
import type { CallRecord } from "@/lib/gateway/recorder/record";
import { createRecorder, type RecorderOptions } from "@/lib/gateway/recorder/recorder";

const N = Number(process.argv[2] ?? 100_000);

function call(n: number): CallRecord {
  return {
    request_id: randomUUID(),
    attempt: 1,
    created_at: new Date(),
    organization_id: n % 2 ? "0a000000-0000-4000-8000-00000000000a" : null,
    pipeline_stage: "triage",
    request_type: "classify",
    provider_code: "mock",
    model_code: n % 3 ? "mock-large" : "mock-small",
    prompt_tokens: 120,
    completion_tokens: 30,
    total_tokens: 150,
    cost: "0.000045",
    currency: "USD",
    pricing_source: "database",
    latency_ms: 12,
    status: "ok",
  };
}

const rows = async (k: Kysely<DB>) => (await sql<{ n: number }>`select count(*)::int as n from public.llm_calls`.execute(k)).rows[0]!.n;
const tick = () => new Promise((resolve) => setImmediate(resolve));
const rate = (count: number, ms: number) => `${Math.round((count / ms) * 1000).toLocaleString("en-US")} records/s`;

async function bench(name: string, db: Database): Promise<void> {
  const k = db.kysely;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmcp-bench-spool-"));
  let down = false;
  const getDb = async () => {
    if (down) throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    return k;
  };
  const base: RecorderOptions = { getDb, spoolDir: dir, log: () => undefined, retryMinMs: 50, retryMaxMs: 200 };
  const calls = Array.from({ length: N }, (_, i) => call(i));
  console.log(`\n${name}: ${N.toLocaleString("en-US")} records per phase`);

  // 1. The response path: record() alone, no flush can run (no await in the loop); without and
  //    with the crash journal (one write(2) per record, no fsync).
  for (const journal of [false, true]) {
    const r = createRecorder({ ...base, maxBuffer: N + 1, flushIntervalMs: 60_000, journal });
    const t0 = process.hrtime.bigint();
    for (const c of calls) r.record(c);
    const ns = Number(process.hrtime.bigint() - t0) / N;
    await r.close();
    console.log(`  record() ${journal ? "journal on: " : "journal off:"} ${ns.toFixed(0)} ns per call`);
  }
  await k.deleteFrom("llm_calls").execute();

  // 2. Sustained: a producer yielding every 1,000 records (like a busy server), flushes in between.
  {
    const r = createRecorder(base);
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      r.record(calls[i]!);
      if (i % 1_000 === 999) await tick();
    }
    const produced = performance.now() - t0;
    await r.flush();
    while (r.stats().spooled > 0) await r.replay();
    const ms = performance.now() - t0;
    const s = r.stats();
    await r.close();
    const landed = await rows(k);
    console.log(`  sustained:           ${rate(N, ms)} end to end (producer ${rate(N, produced)}); ` +
      `${s.statements} statements, ${Math.round(s.written / Math.max(1, s.statements))} rows each; rows ${landed}/${N}`);
    if (landed !== N) throw new Error(`lost ${N - landed} records`);
  }
  await k.deleteFrom("llm_calls").execute();

  // 3. Outage: everything to the spool, then replay when the database returns.
  {
    const r = createRecorder(base);
    await r.replay();
    down = true;
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      r.record(calls[i]!);
      if (i % 1_000 === 999) await tick();
    }
    await r.flush();
    const spooled = performance.now() - t0;
    const onDisk = r.stats().spooled;
    down = false;
    const t1 = performance.now();
    while (r.stats().spooled > 0) await r.replay();
    const replayed = performance.now() - t1;
    await r.close();
    const landed = await rows(k);
    console.log(`  database down:       ${rate(N, spooled)} into the spool (${onDisk} on disk)`);
    console.log(`  replay:              ${rate(N, replayed)}; rows ${landed}/${N}`);
    if (landed !== N) throw new Error(`lost ${N - landed} records`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const lite = await openDatabase({ dataDir: "memory://" });
  try {
    await migrate(lite);
    await bench("PGlite (memory://)", lite);
  } finally {
    await lite.close();
  }

  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return console.log("\nPostgreSQL: skipped (set TEST_DATABASE_URL to an admin connection)");
  const name = `llmcp_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const server = await openDatabase({ url: url.toString(), mode: "server", poolMax: 10 });
  try {
    await migrate(server);
    await bench(`PostgreSQL (${url.host})`, server);
  } finally {
    await server.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
