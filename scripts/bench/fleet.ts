/**
 * `npm run bench:fleet`: issue 16's fleet goals measured on three production instances
 * (`.next/llmcp-server.mjs`) in front of one throwaway PostgreSQL, then once more through PgBouncer
 * (transaction mode, scripts/pgbouncer-temp.sh; DATABASE_URL on the pooler, DIRECT_DATABASE_URL on
 * PostgreSQL). Each goal is printed beside its figure with PASS/FAIL, and written to
 * bench-results/fleet-<timestamp>.json. Loopback only; bounded in count and time; every process
 * it starts is stopped by PID however the run ends (scripts/bench/faults/harness.ts).
 *
 * Environment:
 *   BENCH_PG_PORT=55470      PostgreSQL port (default: a free one); BENCH_POOLER_PORT likewise
 *   BENCH_HTTP_PORTS=a,b,…   7 ports: the 3 instances, then the 4 fake upstreams (default: free ones)
 *   BENCH_POOLER=0           skip the pass through PgBouncer
 *   BENCH_BUILD=1            rebuild (also done when the build is missing)
 *   BENCH_KEEP=1             keep the work dir (server logs, spools)
 *   BENCH_STRICT=1           exit 1 when any row is FAIL
 */
import { errorMessage } from "@/lib/errors";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chat, freePort, killAllChildren, Postgres, ROOT, row, run, runBench, saveResults, type Row } from "./faults/harness";
import { convergenceRows, loginRow, startupRow } from "./fleet/config-items";
import { Fleet, until } from "./fleet/fleet";
import { budgetRow, circuitRow, ledgerRow, rateRow, retentionRow, sigtermRow } from "./fleet/load-items";
import { printRows, type FleetRow } from "./fleet/report";
import { Db, resetUpstreams, seedWorld, startUpstreams, type Upstreams } from "./fleet/world";

const RUN_LIMIT_MS = 9 * 60_000;
const ITEM_LIMIT_MS = 150_000;
const POOLER_SCRIPT = path.join(ROOT, "scripts/pgbouncer-temp.sh");
const log = (line: string) => console.log(`[fleet ${new Date().toISOString().slice(11, 19)}] ${line}`);

async function ports(): Promise<number[]> {
  const given = (process.env.BENCH_HTTP_PORTS ?? "").split(",").map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
  if (given.length > 0 && given.length < 7) throw new Error("BENCH_HTTP_PORTS needs 7 ports (3 instances, 4 upstreams)");
  return given.length ? given : Promise.all(Array.from({ length: 7 }, () => freePort()));
}

function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`did not finish within ${ms / 1000} s`)), ms)));
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

interface Pass {
  via: string;
  /** The instances' DATABASE_URL. */
  databaseUrl: string;
  /** PostgreSQL itself (the bench's own queries, DIRECT_DATABASE_URL when databaseUrl is a pooler). */
  directUrl: string;
  pooled: boolean;
}

async function runPass(p: Pass, work: string, http: number[], up: Upstreams): Promise<FleetRow[]> {
  const rows: Row[] = [];
  const db = new Db(p.directUrl);
  let fleet: Fleet | null = null;
  const item = async (title: string, fn: () => Promise<Row | Row[]>, n: number) => {
    log(`${p.via}: ${title}`);
    try {
      const got = await within(ITEM_LIMIT_MS, fn());
      rows.push(...(Array.isArray(got) ? got : [got]));
    } catch (err) {
      rows.push(row(n, title, "runs", `could not run: ${errorMessage(err).split("\n")[0]}`, false));
    }
  };
  try {
    resetUpstreams(up);
    const t0 = Date.now();
    log(`${p.via}: starting 3 instances at once on the empty database`);
    fleet = await Fleet.start({ databaseUrl: p.databaseUrl, directUrl: p.pooled ? p.directUrl : undefined, work, label: p.via, ports: http.slice(0, 3) });
    const f = fleet;
    const startMs = Date.now() - t0;
    await item("start-up", () => startupRow(db, 1, startMs), 1);
    const w = await seedWorld(db, up);
    // The seed reaches every instance by the config poll; wait (bounded) until each serves it.
    const seen = await Promise.all(f.live.map((s) => until(async () => (await chat(s.port, w.keys["fl-conv"]!)).status === 200, 15_000, 100)));
    if (seen.some((v) => v === null)) throw new Error("the seeded key was not served by every instance within 15 s");
    await item("convergence", () => convergenceRows(f, db, w, 2), 2);
    await item("rate limit burst", () => rateRow(f, w, 3), 3);
    await item("budget burst", () => budgetRow(f, db, w, up, 4), 4);
    await item("ledger", () => ledgerRow(f, db, w, 5), 5);
    await item("circuit", () => circuitRow(f, w, up, 6), 6);
    await item("login throttle", () => loginRow(f, 7), 7);
    await item("retention", () => retentionRow(f, p.directUrl, w, 8, log), 8);
    await item("SIGTERM mid-load", () => sigtermRow(f, db, w, 9), 9);
  } catch (err) {
    rows.push(row(0, "pass", "runs", `could not run: ${errorMessage(err).split("\n")[0]}`, false));
  } finally {
    await fleet?.stop();
    await db.close();
  }
  return rows.map((r) => ({ ...r, via: p.via }));
}

async function main(): Promise<number> {
  const started = new Date();
  if (process.env.BENCH_BUILD === "1" || !fs.existsSync(path.join(ROOT, ".next/llmcp-server.mjs"))) {
    log("building (npm run build)");
    run("npm", ["run", "build"], { timeoutMs: 900_000 });
  }
  const http = await ports();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "llmcp-fleet-"));
  fs.chmodSync(work, 0o755); // the postgres user must reach its data dir below it when we run as root
  const pg = new Postgres(Number(process.env.BENCH_PG_PORT ?? 0) || (await freePort()), path.join(work, "pg"));
  const poolerPort = Number(process.env.BENCH_POOLER_PORT ?? 0) || (await freePort());
  let pooler = false;
  let up: Upstreams | null = null;
  const rows: FleetRow[] = [];
  const cleanup = async () => {
    killAllChildren();
    for (const u of Object.values(up ?? {})) await u.close().catch(() => undefined);
    if (pooler) {
      try {
        run("bash", [POOLER_SCRIPT, "stop", String(poolerPort)], { env: { ...process.env, PGBOUNCER_DIR: path.join(work, "pgbouncer") }, timeoutMs: 30_000 });
      } catch {
        // best effort at the end of the run
      }
    }
    await pg.destroy();
    if (process.env.BENCH_KEEP === "1") log(`work dir kept: ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  };
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", killAllChildren);
  const overall = setTimeout(() => {
    console.error(`bench:fleet: not finished within ${RUN_LIMIT_MS / 60_000} min; stopping everything`);
    void cleanup().finally(() => process.exit(1));
  }, RUN_LIMIT_MS);
  try {
    log(`PostgreSQL on 127.0.0.1:${pg.port}; instances on ${http.slice(0, 3).join(", ")}; upstreams on ${http.slice(3).join(", ")}`);
    pg.start();
    await pg.query("create database fleet_direct");
    await pg.query("create database fleet_pooler");
    await pg.closePool();
    const dbUrl = (name: string) => pg.url.replace(/\/postgres$/, `/${name}`);
    up = await startUpstreams(http.slice(3));
    rows.push(...(await runPass({ via: "direct", databaseUrl: dbUrl("fleet_direct"), directUrl: dbUrl("fleet_direct"), pooled: false }, work, http, up)));
    if (process.env.BENCH_POOLER === "0") {
      rows.push({ ...row(0, "the same through PgBouncer", "runs", "skipped: BENCH_POOLER=0", false), via: "pgbouncer", skipped: true });
    } else if (!fs.existsSync(POOLER_SCRIPT)) {
      rows.push({ ...row(0, "the same through PgBouncer", "runs", "skipped: scripts/pgbouncer-temp.sh missing", false), via: "pgbouncer", skipped: true });
    } else {
      log(`PgBouncer on 127.0.0.1:${poolerPort}`);
      pooler = true;
      const out = run("bash", [POOLER_SCRIPT, "start", String(poolerPort), dbUrl("fleet_pooler")], {
        env: { ...process.env, PGBOUNCER_DIR: path.join(work, "pgbouncer") },
        timeoutMs: 60_000,
      });
      const poolerUrl = out.trim().split("\n").at(-1)!.trim();
      rows.push(...(await runPass({ via: "pgbouncer", databaseUrl: poolerUrl, directUrl: dbUrl("fleet_pooler"), pooled: true }, work, http, up)));
    }
  } catch (err) {
    rows.push({ ...row(0, "harness", "runs", `could not run: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`, false), via: "-" });
  } finally {
    clearTimeout(overall);
    await cleanup();
  }
  const secs = Math.round((Date.now() - started.getTime()) / 1000);
  let git = "?";
  try {
    git = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    // not a git checkout
  }
  console.log(`\n==================== bench:fleet (git ${git}, ${os.cpus().length} CPUs, ${secs} s) ====================`);
  printRows(rows);
  const failed = rows.filter((r) => !r.pass && !r.skipped).length;
  const skipped = rows.filter((r) => r.skipped).length;
  console.log(`${rows.length - failed - skipped} PASS, ${failed} FAIL${skipped ? `, ${skipped} skipped` : ""}`);
  saveResults("fleet", started, { started: started.toISOString(), git, seconds: secs, rows });
  return process.env.BENCH_STRICT === "1" && failed > 0 ? 1 : 0;
}

runBench(main);
