/**
 * A PostgreSQL server for one benchmark run: BENCH_DATABASE_URL when given (an admin URL; nothing
 * is started or stopped), else one started with scripts/pg-temp.sh on `port` (a free port when
 * none is given) in `dir`, stopped and removed by stop(). Every step is bounded in time.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { freePort } from "./faults/harness";

const run = promisify(execFile);

export interface ThrowawayServer {
  /** Admin URL (database postgres). */
  admin: string;
  /** Stops the server this run started (nothing for BENCH_DATABASE_URL). */
  stop(): Promise<void>;
}

export async function throwawayPostgres(o: { port?: number; dir: string; log?: (line: string) => void }): Promise<ThrowawayServer> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) return { admin: given, stop: async () => undefined };
  const port = String(o.port ?? (await freePort()));
  const env = { ...process.env, PGTEMP_DIR: o.dir };
  const admin = (await run("bash", ["scripts/pg-temp.sh", "start", port], { env, timeout: 120_000 })).stdout.trim();
  o.log?.(`PostgreSQL on 127.0.0.1:${port} (${o.dir}, removed afterwards)`);
  return { admin, stop: async () => void (await run("bash", ["scripts/pg-temp.sh", "stop", port], { env, timeout: 120_000 })) };
}
