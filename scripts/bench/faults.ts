/**
 * `npm run bench:faults`: issue 9's load and fault items against the production server
 * (`.next/llmcp-server.mjs`) on a throwaway PostgreSQL, each printed as item, what is measured,
 * goal, measured figure and PASS/FAIL, and written to bench-results/faults-<timestamp>.json.
 * Faults are measured here, not in timed unit tests. Loopback only; every scenario is bounded in
 * count and time; every process it starts is stopped by PID, also when a scenario fails.
 *
 * Environment:
 *   BENCH_ONLY=1,7,9     run these items only
 *   BENCH_BUILD=1        rebuild (also done when the build is missing or older than the last
 *                        commit outside scripts/bench and *.md)
 *   BENCH_PG_PORT=55470  first port tried for PostgreSQL
 *   BENCH_KEEP=1         keep the work dir (server logs, spools)
 *   BENCH_STRICT=1       exit 1 when any row is FAIL
 *   SHUTDOWN_GRACE_MS    the grace the servers get (and the goal of item 7), default 25000
 */
import { errorMessage } from "@/lib/errors";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, killAllChildren, Postgres, ROOT, row, run, printColumns, runBench, saveResults, Server, type Ctx, type Row, type Scenario } from "./faults/harness";
import { BUDGET_SCENARIOS } from "./faults/budgets";
import { DURABILITY_SCENARIOS } from "./faults/durability";
import { EDGE_SCENARIOS } from "./faults/edges";
import { seedWorld, type World } from "./faults/seed";
import { TENANT_SCENARIOS } from "./faults/tenants";

const SCENARIOS: Scenario<World>[] = [...TENANT_SCENARIOS, ...DURABILITY_SCENARIOS, ...BUDGET_SCENARIOS, ...EDGE_SCENARIOS];
const SCENARIO_LIMIT_MS = 150_000;

const log = (line: string) => console.log(`[faults ${new Date().toISOString().slice(11, 19)}] ${line}`);

function buildIfNeeded(): void {
  const bundle = path.join(ROOT, ".next/llmcp-server.mjs");
  let reason = process.env.BENCH_BUILD === "1" ? "BENCH_BUILD=1" : !fs.existsSync(bundle) ? "no build" : "";
  if (!reason) {
    try {
      const headTime = Number(execFileSync("git", ["log", "-1", "--format=%ct", "--", ".", ":(exclude)scripts/bench", ":(exclude)*.md", ":(exclude)tests", ":(exclude)e2e", ":(exclude)*.test.ts"], { cwd: ROOT, encoding: "utf8" }).trim()) * 1000;
      if (headTime > fs.statSync(bundle).mtimeMs) reason = "build older than the last commit of the app";
    } catch {
      // not a git checkout: use the build as it is
    }
  }
  if (!reason) return;
  log(`building (npm run build): ${reason}`);
  run("npm", ["run", "build"], { timeoutMs: 900_000 });
}

function printTable(rows: Row[]): void {
  const cols = [
    { h: "item", w: 4, get: (r: Row) => String(r.item) },
    { h: "measured what", w: 50, get: (r: Row) => r.what },
    { h: "goal", w: 40, get: (r: Row) => r.goal },
    { h: "measured", w: 50, get: (r: Row) => r.measured },
    { h: "", w: 4, get: (r: Row) => (r.pass ? "PASS" : "FAIL") },
  ];
  printColumns(cols, rows);
}

async function main(): Promise<number> {
  const only = (process.env.BENCH_ONLY ?? "")
    .split(",")
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  const chosen = only.length ? SCENARIOS.filter((s) => only.includes(s.item)) : SCENARIOS;
  const started = new Date();
  buildIfNeeded();

  const work = fs.mkdtempSync(path.join(os.tmpdir(), "llmcp-faults-"));
  fs.chmodSync(work, 0o755); // the postgres user must reach its data dir below it when we run as root
  const pgPort = Number(process.env.BENCH_PG_PORT ?? 0) || (await freePort());
  const db = new Postgres(pgPort, path.join(work, "pg"));
  let world: World | null = null;
  const rows: Row[] = [];
  const cleanup = async () => {
    killAllChildren();
    for (const up of Object.values(world?.upstreams ?? {})) await up.close().catch(() => undefined);
    await db.destroy();
    if (process.env.BENCH_KEEP === "1") log(`work dir kept: ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  };
  const onSignal = () => {
    void cleanup().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", killAllChildren);

  try {
    log(`PostgreSQL on 127.0.0.1:${pgPort}`);
    db.start();
    run("npx", ["tsx", "--tsconfig", "tsconfig.json", "scripts/db-migrate.ts"], { env: { ...process.env, DATABASE_URL: db.url }, timeoutMs: 180_000 });
    world = await seedWorld(db);
    for (const n of world.notes) log(`seed: ${n}`);
    const w = world;
    for (const sc of chosen) {
      log(`item ${sc.item}: ${sc.title}`);
      const servers: Server[] = [];
      const ctx: Ctx = {
        db,
        work,
        log,
        startServer: async (name, env = {}, spoolDir) => {
          const s = await Server.start({ name, databaseUrl: db.url, spoolDir: spoolDir ?? path.join(work, `spool-${name}`), logDir: work, env });
          servers.push(s);
          return s;
        },
      };
      const t0 = Date.now();
      try {
        let timer: NodeJS.Timeout | undefined;
        const limit = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`did not finish within ${SCENARIO_LIMIT_MS / 1000} s`)), SCENARIO_LIMIT_MS);
        });
        const got = await Promise.race([sc.run(ctx, w), limit]).finally(() => clearTimeout(timer));
        rows.push(...got);
      } catch (err) {
        const msg = err instanceof Error ? err.message.split("\n")[0]! : String(err);
        rows.push(row(sc.item, sc.title, "scenario runs", `could not run: ${msg}`, false));
      } finally {
        for (const s of servers) await s.stop("SIGTERM", 10_000).catch(() => undefined);
        if (db.isDown) db.up();
      }
      const mine = rows.filter((r) => r.item === sc.item);
      log(`item ${sc.item}: ${mine.filter((r) => r.pass).length}/${mine.length} PASS in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  } catch (err) {
    rows.push(row(0, "harness", "runs", `could not run: ${errorMessage(err)}`, false));
  } finally {
    await cleanup();
  }

  const secs = ((Date.now() - started.getTime()) / 1000).toFixed(0);
  let git = "?";
  try {
    git = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    // not a git checkout
  }
  console.log(`\n==================== bench:faults (git ${git}, ${os.cpus().length} CPUs, ${secs} s) ====================`);
  printTable(rows);
  const failed = rows.filter((r) => !r.pass).length;
  console.log(`${rows.length - failed} PASS, ${failed} FAIL`);
  saveResults("faults", started, { started: started.toISOString(), git, seconds: Number(secs), only: only.length ? only : null, notes: world?.notes ?? [], rows });
  return process.env.BENCH_STRICT === "1" && failed > 0 ? 1 : 0;
}

runBench(main);
