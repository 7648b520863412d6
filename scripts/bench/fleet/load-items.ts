/**
 * `bench:fleet` items under load, all spread round-robin over the three instances: a 200-at-once
 * burst on a key limited to 60/min, 200 concurrent calls against a budget with headroom for 14,
 * 3,000 calls against the ledger, a failing provider until every instance's circuit is open, the
 * longest insert lock wait while retention drops old partitions (scripts/bench/retention-load.ts),
 * and one instance stopped with SIGTERM mid-load. Each item is bounded in count and time.
 */
import type { Kysely } from "kysely";
import { openDatabase } from "@/lib/db/client";
import { runRetention } from "@/lib/db/retention";
import type { DB } from "@/lib/db/schema";
import { countBy, fmtCounts, paced, pool, row, sleep, spooledLines, statusOf, type Res, type Row } from "../faults/harness";
import { fillOldMonths, startLockSampler } from "../retention-load";
import { midFlight, until, type Fleet } from "./fleet";
import { BUDGET_CALL_USD, BUDGET_HEADROOM_CALLS, RATE_LIMIT, type Db, type Upstreams, type World } from "./world";

const INSTANCES = 3;
const CIRCUIT_THRESHOLD = 5; // lib/gateway/circuit.ts FAILURE_THRESHOLD
const LEDGER_CALLS = 3_000;

const admitted = (rs: Res[]) => rs.filter((r) => r.status === 200).length;

async function ledgerCount(db: Db, org: string, status?: string): Promise<number> {
  const [r] = await db.query<{ n: number }>(
    `select count(*)::int as n from llm_calls where organization_id = $1 and ($2::text is null or status = $2)`,
    [org, status ?? null],
  );
  return r?.n ?? 0;
}

export async function rateRow(fleet: Fleet, w: World, item: number): Promise<Row> {
  const rs = await pool(200, 200, 60_000, () => fleet.call(w.keys["fl-rate"]!, {}, 30_000));
  const n = admitted(rs);
  return row(item, `key limited to ${RATE_LIMIT}/min, 200 at once over 3 instances → admitted`, `≤ ${RATE_LIMIT + INSTANCES} (limit + instances)`,
    `${n} (${fmtCounts(countBy(rs, statusOf))})`, n <= RATE_LIMIT + INSTANCES);
}

export async function budgetRow(fleet: Fleet, db: Db, w: World, up: Upstreams, item: number): Promise<Row> {
  const rs = await pool(200, 200, 60_000, () => fleet.call(w.keys["fl-budget"]!, { max_tokens: 1000 }, 30_000));
  const n = admitted(rs);
  await fleet.drained(20_000);
  const [{ spent } = { spent: "?" }] = await db.query<{ spent: string }>(
    "select coalesce(sum(cost), 0)::text as spent from llm_calls where organization_id = $1 and status = 'ok'",
    [w.orgs["fl-budget"]],
  );
  const goal = 2 * BUDGET_HEADROOM_CALLS + INSTANCES;
  return row(item, `budget headroom ${BUDGET_HEADROOM_CALLS} calls (${BUDGET_CALL_USD} USD each), 200 concurrent, 300 ms upstream → admitted`,
    `≤ ${goal} (2× headroom + instances)`, `${n} (${(n / BUDGET_HEADROOM_CALLS).toFixed(1)}× headroom; upstream ${up.slow.received}; spent ${spent} USD)`, n <= goal);
}

export async function ledgerRow(fleet: Fleet, db: Db, w: World, item: number): Promise<Row> {
  const rs = await pool(LEDGER_CALLS, 30, 150_000, () => fleet.call(w.keys["fl-ledger"]!, {}, 30_000));
  const answered = rs.filter((r) => r.status !== null).length;
  const drained = await fleet.drained(60_000);
  const rows = await ledgerCount(db, w.orgs["fl-ledger"]!);
  return row(item, `${LEDGER_CALLS} calls over 3 instances → ledger rows vs answered calls`, "equal",
    `${rows} rows, ${answered} answered (${fmtCounts(countBy(rs, statusOf))})${drained ? "" : "; recorders not drained in 60 s"}`, rows === answered && answered === rs.length);
}

export async function circuitRow(fleet: Fleet, w: World, up: Upstreams, item: number): Promise<Row> {
  const goal = CIRCUIT_THRESHOLD + INSTANCES - 1;
  const allOpen = async () => (await Promise.all(fleet.live.map((s) => s.circuit("fl-dead")))).every((c) => c === "open");
  let calls = 0;
  // Sequential, round-robin: each instance sees every third failure. Bounded by count and time
  // (well inside the 30 s cooldown, so no half-open trial is counted).
  const t0 = Date.now();
  while (calls < 60 && Date.now() - t0 < 20_000 && !(await allOpen())) {
    await fleet.call(w.keys["fl-dead"]!, {}, 10_000);
    calls += 1;
  }
  const open = await allOpen();
  return row(item, "failing provider (500), calls round-robin → failed upstream attempts before all 3 stop calling it", `≤ ${goal} (threshold ${CIRCUIT_THRESHOLD} + instances − 1)`,
    `${up.dead.received} upstream attempts in ${calls} calls; ${open ? "open on all 3" : "NOT open on all 3"}`, open && up.dead.received <= goal);
}

export async function retentionRow(fleet: Fleet, directUrl: string, w: World, item: number, log: (l: string) => void): Promise<Row> {
  const what = "longest insert lock wait while retention detaches and drops 2 old months (20,000 calls each) under 60 req/s";
  const database = await openDatabase({ url: directUrl, mode: "server", poolMax: 4 });
  const k = database.kysely as Kysely<DB>;
  try {
    await fillOldMonths(k, 12, 2, 20_000);
    const locks = startLockSampler(k);
    let done = false;
    const load = paced(60, 60_000, 60, () => fleet.call(w.keys["fl-retention"]!, {}, 30_000), () => done);
    await sleep(1_000);
    locks.take();
    const t0 = Date.now();
    const result = await runRetention(k, { months: 2, log }).finally(() => (done = true));
    const ms = Date.now() - t0;
    const rs = await load;
    await locks.stop();
    const wait = locks.take();
    const slowest = Math.max(0, ...rs.map((r) => r.ms));
    const errs = result.errors.length ? `; errors: ${JSON.stringify(result.errors).slice(0, 120)}` : "";
    return row(item, what, "≤ 100 ms", `${wait} ms on a lock; retention ${ms} ms, dropped ${result.dropped.length} (${[...new Set(result.dropped.map((d) => d.detach))].join(",") || "none"}); ` +
      `${admitted(rs)}/${rs.length} calls answered 200, slowest ${slowest} ms${errs}`, wait <= 100 && result.dropped.length >= 2 && result.errors.length === 0);
  } finally {
    await database.close();
  }
}

/** One instance gets SIGTERM 3 s into 9 s of 90 req/s; the client moves on to the others. */
export async function sigtermRow(fleet: Fleet, db: Db, w: World, item: number): Promise<Row> {
  const victim = fleet.servers[2]!;
  const killer = sleep(3_000).then(() => victim.stop("SIGTERM", 40_000));
  const rs = await paced(90, 9_000, 200, () => fleet.call(w.keys["fl-term"]!, {}, 30_000));
  const exit = await killer;
  const drained = await fleet.drained(60_000);
  await until(async () => (await ledgerCount(db, w.orgs["fl-term"]!, "ok")) >= admitted(rs), 10_000, 200);
  const ok = await ledgerCount(db, w.orgs["fl-term"]!, "ok");
  const answeredOk = admitted(rs);
  const resets = rs.filter(midFlight);
  const broken = resets.length;
  const rowsAll = await ledgerCount(db, w.orgs["fl-term"]!);
  const unanswered = rs.filter((r) => r.status === null && !midFlight(r)).length;
  const lost = Math.max(0, answeredOk - ok) + broken;
  const left = spooledLines(fleet.spoolDirs[2]!);
  return row(item, "one of 3 instances gets SIGTERM 3 s into 9 s of 90 req/s → calls lost", "0",
    `${lost} (answered 200: ${answeredOk}, ok rows: ${ok}, all rows: ${rowsAll}; reset mid-call: ${broken}` +
      `${broken ? ` (after ${Math.min(...resets.map((r) => r.ms))}–${Math.max(...resets.map((r) => r.ms))} ms)` : ""}, not taken: ${unanswered}; exit ${exit.code ?? exit.signal}${exit.forced ? " forced" : ""}` +
      `, left in its spool: ${left}${drained ? "" : "; others not drained"}; ${fmtCounts(countBy(rs, statusOf))})`, lost === 0 && !exit.forced);
}
