/**
 * The PostgreSQL of `npm run bench:dashboard` when BENCH_DATABASE_URL is not given: started with
 * scripts/pg-temp.sh in a data dir that is KEPT on stop, so the generated data is reused by the
 * next run. Settings a dashboard database would have (1 GB shared buffers; bulk-load friendly
 * WAL settings, which do not change read timings).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface PgHandle {
  url: string;
  stop(): Promise<void>;
}

function pgBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const versions = fs.existsSync("/usr/lib/postgresql") ? fs.readdirSync("/usr/lib/postgresql").sort((a, b) => Number(a) - Number(b)) : [];
  const last = versions.at(-1);
  if (!last) throw new Error("PostgreSQL server binaries not found (apt-get install -y postgresql, or set BENCH_DATABASE_URL)");
  return `/usr/lib/postgresql/${last}/bin`;
}

/** Runs a pg_ctl command as the postgres user when we are root (PostgreSQL refuses root). */
async function pgCtl(args: string[]): Promise<void> {
  const cmd = [`${pgBin()}/pg_ctl`, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  if (process.getuid?.() === 0) await run("su", ["postgres", "-s", "/bin/bash", "-c", cmd], { timeout: 120_000 });
  else await run("bash", ["-c", cmd], { timeout: 120_000 });
}

export async function startPostgres(o: { port: number; dir: string; log: (line: string) => void }): Promise<PgHandle> {
  const env = { ...process.env, PGTEMP_DIR: o.dir, PG_BIN: pgBin() };
  const fresh = !fs.existsSync(`${o.dir}/PG_VERSION`);
  const { stdout } = await run("bash", ["scripts/pg-temp.sh", "start", String(o.port)], { env, timeout: 120_000 });
  const admin = stdout.trim();
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    if (fresh) {
      for (const [k, v] of [["shared_buffers", "1GB"], ["max_wal_size", "8GB"], ["checkpoint_timeout", "30min"], ["maintenance_work_mem", "512MB"]]) {
        await client.query(`alter system set ${k} = '${v}'`);
      }
    }
    const { rows } = await client.query<{ n: number }>("select count(*)::int as n from pg_database where datname = 'bench'");
    if (rows[0]?.n === 0) await client.query("create database bench");
  } finally {
    await client.end();
  }
  if (fresh) {
    // shared_buffers needs a restart; pg-temp.sh's own options are passed again.
    await pgCtl(["-D", o.dir, "-m", "fast", "-w", "stop"]);
    await run("bash", ["scripts/pg-temp.sh", "start", String(o.port)], { env, timeout: 120_000 });
  }
  o.log(`PostgreSQL on 127.0.0.1:${o.port}, data in ${o.dir} (kept after the run)`);
  return {
    url: admin.replace(/\/postgres$/, "/bench"),
    async stop() {
      await pgCtl(["-D", o.dir, "-m", "fast", "-w", "stop"]).catch(() => undefined);
    },
  };
}
