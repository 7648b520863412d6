/**
 * npm run bench:budget-spend: a budget window's spend from the hourly rollups (lib/db/budget-spend.ts)
 * against the ledger sum it replaced (tests/helpers/ledger-spend.ts), which the gateway ran every
 * 15 s per budget in use per instance. BENCH_ROWS calls in October 2026 (and a day either side)
 * for one organization, 3 apps and 20 keys, inserted through llm_calls (every rollup trigger
 * fires), then the month of Asia/Kolkata (+05:30: both edges mid-hour) for one app, one key and
 * the whole organization, each timed BENCH_ITER times after a warm-up (median); the two answers
 * are compared. Then the cost of llm_call_key_hourly's trigger on the recorder's insert path:
 * BENCH_INSERT_BATCHES batches of BENCH_INSERT_ROWS rows through lib/db/call-ledger.ts insertCalls
 * into a fresh database, in rounds alternating the trigger enabled and disabled.
 *
 * Environment:
 *   BENCH_DATABASE_URL   an admin URL of a PostgreSQL server (throwaway databases are created on it
 *                        and dropped); without it one is started with scripts/pg-temp.sh on
 *                        BENCH_PG_PORT (default: a free port) and stopped afterwards
 *   BENCH_ROWS=200000    calls generated (the README's figures: 1000000)
 *   BENCH_ITER=5         timed reads per case
 *   BENCH_INSERT_BATCHES=200 BENCH_INSERT_ROWS=500   the insert-path comparison (0 batches: skipped)
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { sql, type Insertable, type Kysely } from "kysely";
import { windowSpend, type SpendWindow } from "@/lib/db/budget-spend";
import { insertCalls } from "@/lib/db/call-ledger";
import { openDatabase, type Database } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrator";
import { runPartitionUpkeep } from "@/lib/db/partitions";
import type { DB, LlmCallsTable } from "@/lib/db/schema";
import { windowAt } from "@/lib/engine/budget-scope";
import { errorDetail } from "@/lib/errors";
import { createTempPostgresDatabase } from "@/tests/helpers/databases";
import { ledgerSpendReference } from "@/tests/helpers/ledger-spend";
import { throwawayPostgres } from "./throwaway-pg";

const num = (name: string, fallback: number) => {
  const raw = process.env[name];
  const v = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a non-negative number`);
  return Math.floor(v);
};
const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

const ROWS = Math.max(1, num("BENCH_ROWS", 200_000));
const ITER = Math.max(1, num("BENCH_ITER", 5));
const INSERT_BATCHES = num("BENCH_INSERT_BATCHES", 200);
const INSERT_ROWS = Math.max(1, num("BENCH_INSERT_ROWS", 500));
const CHUNK = 100_000;
const ZONE = "Asia/Kolkata";
const DATA_FROM = "2026-09-30T00:00:00Z";
const DATA_TO = "2026-11-02T00:00:00Z";

const ORG = "5be20000-0000-4000-8000-000000000001";
const appId = (i: number) => `5be20000-0000-4000-8000-0000000001${String(i).padStart(2, "0")}`;
const keyId = (i: number) => `5be20000-0000-4000-8000-0000000002${String(i).padStart(2, "0")}`;

/** The organization and its 3 apps (app_seen_actions, kept by a trigger on llm_calls, references apps). */
async function seedOrganization(k: Kysely<DB>): Promise<void> {
  await k.insertInto("organizations").values({ id: ORG, slug: "bench-budget-spend", name: "Bench budget spend", tier: "standard" }).execute();
  await k.insertInto("apps").values([0, 1, 2].map((i) => ({ id: appId(i), code: `bench-spend-${i}`, name: `Bench spend ${i}` }))).execute();
}

/**
 * ROWS calls spread evenly over [DATA_FROM, DATA_TO): keys g % 20, each of one app (key % 3), 2
 * providers × 5 models × 4 actions × 2 currencies independently of the key (240 statement-rollup
 * groups an hour, as bench:statements), cache hits (cost 0) and unpriced calls.
 */
async function generate(k: Kysely<DB>): Promise<void> {
  await sql`select public.ensure_llm_calls_partitions('2026-09-01'::date, '2026-11-30'::date)`.execute(k);
  await seedOrganization(k);
  const span = Date.parse(DATA_TO) - Date.parse(DATA_FROM);
  const started = performance.now();
  for (let lo = 0; lo < ROWS; lo += CHUNK) {
    const hi = Math.min(ROWS, lo + CHUNK);
    await sql`
      insert into public.llm_calls (request_id, created_at, organization_id, app_id, api_key_id, action_type, request_type,
        pipeline_stage, provider_code, model_code, prompt_tokens, completion_tokens, total_tokens, cost, currency,
        pricing_source, cache_hit, cache_saved_cost, latency_ms, status)
      select gen_random_uuid(), ${DATA_FROM}::timestamptz + (g::float8 * ${span} / ${ROWS}) * interval '1 millisecond', ${ORG}::uuid,
        ('5be20000-0000-4000-8000-0000000001' || lpad((g % 20 % 3)::text, 2, '0'))::uuid,
        ('5be20000-0000-4000-8000-0000000002' || lpad((g % 20)::text, 2, '0'))::uuid,
        'action-' || (g / 200 % 4), 'chat', 'triage', 'prov-' || (g / 20 % 2), 'model-' || (g / 40 % 5), 1000, 200, 1200,
        case when g % 50 = 0 then null when g % 20 = 0 then 0 else 0.000123456789 * (1 + g % 97) end,
        case when g % 7 = 0 then 'EUR' else 'USD' end,
        case when g % 50 = 0 then null when g % 20 = 0 then 'cache' else 'database' end,
        g % 50 <> 0 and g % 20 = 0, case when g % 50 <> 0 and g % 20 = 0 then 0.0123 end, 300, 'ok'
      from generate_series(${lo}::int, ${hi - 1}::int) g`.execute(k);
    log(`  ${hi.toLocaleString("en")} of ${ROWS.toLocaleString("en")} calls`);
  }
  log(`generated ${ROWS.toLocaleString("en")} calls in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await sql`analyze public.llm_calls`.execute(k);
  for (const t of ["llm_call_hourly", "llm_call_statement_hourly", "llm_call_key_hourly"]) await sql`analyze ${sql.table(`public.${t}`)}`.execute(k);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  await fn(); // warm-up
  const runs: number[] = [];
  let value: T | undefined;
  for (let i = 0; i < ITER; i++) {
    const t = performance.now();
    value = await fn();
    runs.push(performance.now() - t);
  }
  return { ms: median(runs), value: value! };
}

async function readPath(k: Kysely<DB>): Promise<string[]> {
  const month = windowAt("month", ZONE, Date.parse("2026-10-15T12:00:00Z"));
  const window = { from: month.from, to: month.to };
  const cases: [string, SpendWindow][] = [
    ["one app", { organizationId: ORG, appId: appId(1), apiKeyId: null, ...window }],
    ["one key", { organizationId: ORG, appId: null, apiKeyId: keyId(7), ...window }],
    ["whole organization", { organizationId: ORG, appId: null, apiKeyId: null, ...window }],
  ];
  const lines = [`month ${month.start} in ${ZONE}: [${month.from.toISOString()}, ${month.to.toISOString()}), ${ROWS.toLocaleString("en")} calls in the ledger`];
  for (const [name, f] of cases) {
    const ledger = await timed(() => ledgerSpendReference(k, f));
    const rollups = await timed(() => windowSpend(k, f));
    const same = JSON.stringify(ledger.value) === JSON.stringify([...rollups.value].sort((a, b) => a.currency.localeCompare(b.currency)));
    if (!same) throw new Error(`${name}: rollups ${JSON.stringify(rollups.value)} ≠ ledger ${JSON.stringify(ledger.value)}`);
    lines.push(`${name.padEnd(18)} ledger sum ${ledger.ms.toFixed(1).padStart(8)} ms   rollups ${rollups.ms.toFixed(1).padStart(6)} ms   ` +
      `(${(ledger.ms / rollups.ms).toFixed(0)}x; same answer: ${ledger.value.map((v) => `${v.currency} ${v.amount}`).join(", ")})`);
  }
  return lines;
}

function recorderRow(i: number, at: Date): Insertable<LlmCallsTable> {
  return {
    request_id: randomUUID(), attempt: 1, created_at: at, organization_id: ORG, app_id: appId(i % 20 % 3), api_key_id: keyId(i % 20),
    action_type: `action-${i % 4}`, request_type: "chat", pipeline_stage: "triage", provider_code: `prov-${i % 2}`, model_code: `model-${i % 5}`,
    prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200, cost: "0.001234567890", currency: i % 7 ? "USD" : "EUR",
    pricing_source: "database", latency_ms: 300, status: "ok",
  };
}

/** Batches through insertCalls, rounds alternating llm_call_key_hourly's insert trigger on and off. */
async function insertPath(admin: string): Promise<string[]> {
  const temp = await createTempPostgresDatabase(admin);
  let db: Database | null = null;
  try {
    db = await openDatabase({ url: temp.url, mode: "server", poolMax: 2 });
    await migrate(db, { log: () => undefined });
    const k = db.kysely;
    await runPartitionUpkeep(k);
    await seedOrganization(k);
    const ms = { with: [] as number[], without: [] as number[] };
    let n = 0;
    const batch = async (on: boolean | null) => {
      const rows = Array.from({ length: INSERT_ROWS }, () => recorderRow(n++, new Date()));
      const t = performance.now();
      await insertCalls(k, rows);
      if (on !== null) (on ? ms.with : ms.without).push(performance.now() - t);
    };
    await sql`alter table public.llm_calls disable trigger llm_calls_rollup_key_hourly_insert`.execute(k);
    await batch(null); // warm-up, not counted (nor in the key rollup)
    // Rounds of up to 25 batches each way, the order swapped every round, so that load on the
    // machine and the growing tables weigh on both alike.
    for (let round = 0; ms.with.length < INSERT_BATCHES; round++) {
      const size = Math.min(25, INSERT_BATCHES - ms.with.length);
      for (const on of round % 2 ? [false, true] : [true, false]) {
        await sql.raw(`alter table public.llm_calls ${on ? "enable" : "disable"} trigger llm_calls_rollup_key_hourly_insert`).execute(k);
        for (let b = 0; b < size; b++) await batch(on);
      }
    }
    const { rows } = await sql<{ calls: string }>`select coalesce(sum(calls), 0)::text as calls from public.llm_call_key_hourly`.execute(k);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const line = (name: string, xs: number[]) =>
      `${name.padEnd(24)} ${(sum(xs) / 1000).toFixed(2).padStart(6)} s for ${xs.length} batches × ${INSERT_ROWS} rows, median batch ${median(xs).toFixed(1)} ms`;
    return [
      line("with the key trigger", ms.with), line("without it", ms.without),
      `difference: ${((sum(ms.with) / sum(ms.without) - 1) * 100).toFixed(1)} % of the insert time ` +
        `(the key rollup counted ${rows[0]?.calls} calls: the batches with the trigger)`,
    ];
  } finally {
    await db?.close();
    await temp.drop();
  }
}

async function main(): Promise<void> {
  const port = process.env.BENCH_PG_PORT ? num("BENCH_PG_PORT", 0) : undefined;
  const server = await throwawayPostgres({ port, dir: process.env.BENCH_PG_DIR ?? "/tmp/llmcp-bench-budget-spend-pg", log });
  const results: string[] = [];
  try {
    const temp = await createTempPostgresDatabase(server.admin);
    const db = await openDatabase({ url: temp.url, mode: "server", poolMax: 2 });
    try {
      await migrate(db, { log: () => undefined });
      await generate(db.kysely);
      results.push(...(await readPath(db.kysely)));
    } finally {
      await db.close();
      await temp.drop();
    }
    if (INSERT_BATCHES > 0) results.push("", "insert path (lib/db/call-ledger.ts insertCalls):", ...(await insertPath(server.admin)));
  } finally {
    await server.stop();
  }
  console.log(`\nBudget spend benchmark (median of ${ITER})`);
  for (const r of results) console.log(`  ${r}`);
}

main().catch((err: unknown) => {
  console.error(`[bench] failed: ${errorDetail(err)}`);
  process.exitCode = 1;
});
