import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { startDatabase } from "@/lib/db/instance";
import { migrate } from "@/lib/db/migrator";
import { runPartitionJobs } from "@/lib/db/partition-jobs";
import { partitionStatus, runPartitionUpkeep } from "@/lib/db/partitions";
import { runRetention } from "@/lib/db/retention";
import type { DB } from "@/lib/db/schema";
import { writeBatch } from "@/lib/gateway/recorder/writer";
import { databaseTargets } from "@/tests/helpers/databases";
import { makeRecord } from "@/tests/integration/recorder/records";
import { ledgerCount, misplacedRows, monthAt, partitionNames, partitionOf, rollupDrift, rollupTotals } from "./partitions/helpers";

/**
 * Partitions that never run out (issue 16, items 4 and 5), by moving the clock: 26 months of calls
 * across restarts, with 4 months in which no instance runs (during which an older instance writes
 * into a default partition, the state that used to fail every later startup), with AUTO_MIGRATE
 * on and off. Upkeep must leave no row in a default partition, give every month its partition,
 * keep the rollups equal to the rows; retention must drop old months and keep the rollups.
 */

const BASE = new Date(Date.UTC(2025, 5, 1)); // 2025-06: 26 months end 2027-07
const MONTHS = 26;
const GAP = new Set([10, 11, 12, 13]); // 2026-04 … 2026-07: no instance runs
const RESTARTS = new Set([0, 4, 8, 14, 19, 24]);
const silent = () => undefined;

async function insertDirect(k: Kysely<DB>, at: Date, n: number): Promise<void> {
  await k.insertInto("llm_calls").values(Array.from({ length: n }, (_, j) => ({
    request_id: randomUUID(), created_at: at.toISOString(), status: j % 2 ? "ok" as const : "failed" as const,
    organization_id: null, pipeline_stage: "triage", request_type: "classify", total_tokens: 10 + j,
    cost: j % 2 ? "0.25" : null, currency: j % 2 ? "USD" : null, pricing_source: j % 2 ? "database" as const : null,
  }))).execute();
}

/** 26 months of traffic; returns the number of calls written. */
async function liveThroughMonths(db: Database, autoMigrate: boolean): Promise<number> {
  const k = db.kysely;
  let written = 0;
  for (let i = 0; i < MONTHS; i++) {
    if (GAP.has(i)) {
      if (i === 13) {
        // An instance from before this change, with a default partition, records calls for a
        // month nobody created a partition for.
        await sql`create table public.llm_calls_default partition of public.llm_calls default`.execute(k);
        await insertDirect(k, monthAt(BASE, i, 3), 5);
        await insertDirect(k, monthAt(BASE, i, 20, 23), 2);
        written += 7;
        expect((await partitionStatus(k, monthAt(BASE, i, 21))).rows_in_default).toBe(7);
      }
      continue;
    }
    const now = monthAt(BASE, i, 0, 6);
    if (RESTARTS.has(i)) await startDatabase(db, { autoMigrate, now, log: silent });
    else await runPartitionJobs(k, { now, log: silent }); // the daily timer (or cron) of a running instance
    const records = Array.from({ length: 8 }, (_, n) => makeRecord(0x5000 + i, n + 1, { created_at: monthAt(BASE, i, n * 3, n) }));
    if (i === 20) records.push(makeRecord(0x5000 + i, 99, { created_at: monthAt(BASE, i + 5, 2) })); // beyond upkeep's 3 months
    const result = await writeBatch(k, records);
    expect(result).toMatchObject({ inserted: records.length, dead: [] });
    await insertDirect(k, monthAt(BASE, i, 27, 12), 2);
    written += records.length + 2;
  }
  return written;
}

describe.each(databaseTargets({ pooler: true }))("llm_calls partition upkeep and retention on $name", (target) => {
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it.each([true, false])("keeps 26 months partitioned across restarts and a 4-month gap (AUTO_MIGRATE %s)", async (autoMigrate) => {
    db = await target.open();
    const k = db.kysely;
    if (!autoMigrate) await migrate(db, { log: silent }); // `supabase db push` at release time
    const written = await liveThroughMonths(db, autoMigrate);

    expect(await ledgerCount(k)).toBe(written);
    expect(await misplacedRows(k)).toBe(0);
    expect(await rollupDrift(k)).toEqual([]);
    const names = await partitionNames(k);
    for (let i = 0; i < MONTHS + 3; i++) expect(names).toContain(partitionOf(monthAt(BASE, i)));
    const status = await partitionStatus(k, monthAt(BASE, MONTHS - 1, 10));
    expect(status).toMatchObject({ current_month: true, rows_in_default: 0 });
    expect(status.months_ahead).toBeGreaterThanOrEqual(3);

    // Retention: keep 12 months at the last month; the rollups keep every call.
    const before = await rollupTotals(k);
    const now = monthAt(BASE, MONTHS - 1, 10);
    // Retention refuses DETACH CONCURRENTLY while a default exists: drop the (empty) one first.
    await sql`drop table public.llm_calls_default`.execute(k);
    await sql`insert into public.app_configuration (key, scope, value_type, value) values ('ledger.retention_months', 'global', 'int', '12'::jsonb)`.execute(k);
    const jobs = await runPartitionJobs(k, { now, log: silent });
    if ("error" in jobs.retention) throw new Error(jobs.retention.error);
    const cutoff = monthAt(BASE, MONTHS - 1 - 12);
    const expectedDropped = Array.from({ length: MONTHS - 1 - 12 + 1 }, (_, i) => partitionOf(monthAt(BASE, i - 1)));
    expect(jobs.retention.cutoff).toBe(cutoff.toISOString().slice(0, 10));
    expect(jobs.retention.errors).toEqual([]);
    expect(jobs.retention.dropped.map((d) => d.partition).sort()).toEqual(expectedDropped.sort());
    // PostgreSQL detaches without blocking inserts; PGlite may fall back to a plain detach.
    const modes = new Set(jobs.retention.dropped.map((d) => d.detach));
    expect([...modes]).toEqual([target.name !== "pglite" ? "concurrently" : expect.stringMatching(/^(concurrently|plain)$/)]);
    console.log(`[partitions] ${target.name}: retention detached ${[...modes].join(", ")}`);
    const { rows: oldest } = await sql<{ m: Date | null }>`select min(created_at) as m from public.llm_calls`.execute(k);
    expect(new Date(oldest[0]!.m!).getTime()).toBeGreaterThanOrEqual(cutoff.getTime());
    expect(await rollupTotals(k)).toEqual(before);
    const dropped = jobs.retention.dropped.reduce((sum, d) => sum + d.rows, 0);
    expect(await ledgerCount(k)).toBe(written - dropped);
    const audit = await k.selectFrom("audit_log").select(["record_id", "before"]).where("table_name", "=", "llm_calls").execute();
    expect(audit.map((a) => a.record_id).sort()).toEqual(expectedDropped.sort());
    // The current and future months stay; a second run finds nothing more to drop.
    expect(await partitionNames(k)).toContain(partitionOf(now));
    expect((await runRetention(k, { now, log: silent })).dropped).toEqual([]);
    // A restart after all this still succeeds and calls land.
    await startDatabase(db, { autoMigrate, now: monthAt(BASE, MONTHS, 2), log: silent });
    const late = await writeBatch(k, [makeRecord(0x6000, 1, { created_at: monthAt(BASE, MONTHS, 3) })]);
    expect(late).toMatchObject({ inserted: 1, dead: [] });
  });

  it("refuses a retention under 2 months and never drops the current or a future month", async () => {
    db = await target.open();
    await migrate(db, { log: silent });
    const k = db.kysely;
    const now = new Date();
    await runPartitionUpkeep(k, { now });
    const before = await partitionNames(k);
    for (const months of [0, 1]) {
      const r = await runRetention(k, { now, months, log: silent });
      expect(r.refused).toMatch(/minimum of 2 months/);
      expect(r.dropped).toEqual([]);
    }
    const r = await runRetention(k, { now, months: 2, log: silent });
    const thisMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    for (const d of r.dropped) expect(Date.parse(`${d.month}-01T00:00:00Z`)).toBeLessThan(thisMonth);
    const after = await partitionNames(k);
    for (let i = -1; i <= 3; i++) expect(after).toContain(partitionOf(monthAt(now, i)));
    expect(after.length).toBe(before.length - r.dropped.length);
    // A wrongly typed setting is reported, not guessed.
    await sql`insert into public.app_configuration (key, scope, value_type, value) values ('ledger.retention_months', 'global', 'string', '"12"'::jsonb)`.execute(k);
    await expect(runRetention(k, { now, log: silent })).rejects.toThrow(/whole number of months/);
  });

  it("falls back to a plain detach where CONCURRENTLY is refused (a default partition attached) and keeps the rollups", async () => {
    db = await target.open();
    await migrate(db, { log: silent });
    const k = db.kysely;
    const old = new Date(Date.UTC(2024, 2, 1));
    await runPartitionUpkeep(k, { now: old, monthsAhead: 1 }); // 2024-02 … 2024-04
    await insertDirect(k, monthAt(old, 0, 4), 6);
    await sql`create table public.llm_calls_default partition of public.llm_calls default`.execute(k);
    const before = await rollupTotals(k);
    const r = await runRetention(k, { now: new Date(Date.UTC(2024, 7, 15)), months: 3, log: silent }); // cutoff 2024-05
    expect(r.errors).toEqual([]);
    expect(r.dropped.map((d) => [d.partition, d.rows, d.detach])).toEqual([
      ["llm_calls_2024_02", 0, "plain"], ["llm_calls_2024_03", 6, "plain"], ["llm_calls_2024_04", 0, "plain"],
    ]);
    expect(await rollupTotals(k)).toEqual(before);
    expect(before.calls).toBe(6);
    expect(await ledgerCount(k)).toBe(0);
  });

  it("serializes concurrent upkeep and keeps the functions away from anon and authenticated", async () => {
    db = await target.open();
    await migrate(db, { log: silent });
    const k = db.kysely;
    const far = new Date(Date.UTC(2031, 0, 15));
    const results = await Promise.all([0, 1, 2].map(() => runPartitionUpkeep(k, { now: far })));
    expect(results.reduce((sum, r) => sum + r.created, 0)).toBe(5); // 2030-12 … 2031-04, once
    const { rows } = await sql<{ fn: string; anon: boolean; auth: boolean; service: boolean }>`
      select p.oid::regprocedure::text as fn, has_function_privilege('anon', p.oid, 'execute') as anon,
             has_function_privilege('authenticated', p.oid, 'execute') as auth,
             has_function_privilege('service_role', p.oid, 'execute') as service
      from pg_proc p where p.pronamespace = 'public'::regnamespace
        and p.proname in ('llm_calls_partition_upkeep', 'llm_calls_create_partition', 'llm_calls_partition_status', 'ensure_llm_calls_partitions')`.execute(k);
    expect(rows).toHaveLength(4);
    for (const r of rows) expect(r).toMatchObject({ anon: false, auth: false, service: true });
    expect(await partitionNames(k)).not.toContain("llm_calls_default");
  });
});
