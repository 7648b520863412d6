/**
 * npm run bench:dashboard: the dashboards' queries at scale. Generates BENCH_CALLS calls (with
 * their daily rollups and feedback) in a PostgreSQL, then times every chart / table query of the
 * dashboard pages through the real lib/db data functions under RLS (withUser), as a platform admin
 * and as one organization's finance user, and the Costs page's server render (production build).
 *
 * Environment:
 *   BENCH_CALLS=10000000      requests to generate (a failed first attempt adds a second row)
 *   BENCH_BATCH=250000        requests per INSERT statement (the rollup trigger runs per statement)
 *   BENCH_ITER=30 BENCH_WARMUP=3   timed iterations per case after the warm-ups
 *   BENCH_DATABASE_URL        use this database instead of starting one (data is reused when it
 *                             already holds BENCH_CALLS generated requests)
 *   BENCH_PG_PORT=55460 BENCH_PG_DIR=/tmp/llmcp-bench-dashboard-pg   the PostgreSQL started here;
 *                             its data dir is kept, so a second run only measures
 *   BENCH_RENDER=1            time GET /costs on the production server (0 = skip); BENCH_PORT=3410
 *   BENCH_BUILD=1             rebuild even if .next/llmcp-server.mjs exists
 *   BENCH_GENERATE_ONLY=1     stop after generating the data
 *   BENCH_FILTER=<regex>      run only the cases whose name matches
 *   BENCH_STRICT=1            exit 1 when a query misses p95 < BENCH_TARGET_MS (default 100)
 * Results: a table on stdout and bench-results/dashboard-<timestamp>.json.
 */
import { errorDetail } from "@/lib/errors";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Database } from "@/lib/db/client";
import { shutdownDb } from "@/lib/db/instance";
import { generateCalls, prepareCatalog, sizes, type BenchState } from "./dashboard-data";
import { startPostgres, type PgHandle } from "./dashboard-pg";

const num = (name: string, fallback: number) => {
  const raw = process.env[name];
  const v = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a non-negative number`);
  return v;
};

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

async function main(): Promise<void> {
  const target = Math.floor(num("BENCH_CALLS", 10_000_000));
  const batchSize = Math.max(1000, Math.floor(num("BENCH_BATCH", 250_000)));
  let pg: PgHandle | null = null;
  let url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    pg = await startPostgres({ port: num("BENCH_PG_PORT", 55460), dir: process.env.BENCH_PG_DIR ?? "/tmp/llmcp-bench-dashboard-pg", log });
    url = pg.url;
  }
  let db: Database | null = null;
  try {
    db = await openDatabase({ url, mode: "server", poolMax: 4 });
    await prepareCatalog(db, log);
    const state: BenchState = await generateCalls(db, { target, batchSize, feedbackShare: 0.05, log });
    const size = await sizes(db.kysely);
    log(`data: ${JSON.stringify(size)}; generation ${(state.generationMs / 1000).toFixed(0)} s in ${state.batches} statements`);
    if (process.env.BENCH_GENERATE_ONLY === "1") return;
    const { runBench } = await import("./dashboard-measure");
    const result = await runBench({ db, url, state, size, log, machine: `${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? "?"}, load average at start ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}` });
    await fs.mkdir("bench-results", { recursive: true });
    const file = path.join("bench-results", `dashboard-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    await fs.writeFile(file, JSON.stringify(result, null, 2));
    log(`results written to ${file}`);
    if (process.env.BENCH_STRICT === "1" && !result.pass) process.exitCode = 1;
  } finally {
    await db?.close();
    // The process-wide pool the overview and the session signing key were read through.
    await shutdownDb();
    await pg?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`[bench] failed: ${errorDetail(err)}`);
  process.exitCode = 1;
});
