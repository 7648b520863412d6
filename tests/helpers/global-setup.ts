import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

/**
 * The integration suite runs every database test on PGlite and on a real PostgreSQL:
 * TEST_DATABASE_URL (or DATABASE_URL) names an admin connection on which each test file creates
 * and drops its own database. Without one, a throwaway server is started from the local
 * PostgreSQL binaries when they are installed (scripts/pg-temp.sh) and stopped afterwards.
 * CI always has one (.ci/run), and PgBouncer in front of it (TEST_PGBOUNCER_URL).
 */
function hasPostgresBinaries(): boolean {
  const root = "/usr/lib/postgresql";
  return fs.existsSync(root) && fs.readdirSync(root).some((v) => fs.existsSync(path.join(root, v, "bin", "initdb")));
}

export default function setup(project: TestProject) {
  let url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  let stop: (() => void) | undefined;

  if (!url && process.env.PG_AUTO_START !== "false" && hasPostgresBinaries()) {
    const script = path.resolve("scripts/pg-temp.sh");
    const port = String(55000 + (process.pid % 400));
    const env = { ...process.env, PGTEMP_DIR: path.join(os.tmpdir(), `llmcp-vitest-pg-${port}`) };
    url = execFileSync(script, ["start", port], { env, encoding: "utf8" }).trim();
    stop = () => execFileSync(script, ["stop", port], { env, stdio: "ignore" });
    console.log(`[integration] started a throwaway PostgreSQL at ${url}`);
  }

  project.provide("pgAdminUrl", url ?? "");
  // PgBouncer (transaction mode) in front of that server: the third target of the files that ask
  // for it (databaseTargets/gatewayTargets with `pooler: true`). .ci/run starts one.
  project.provide("pgPoolerUrl", url ? (process.env.TEST_PGBOUNCER_URL ?? "") : "");
  if (!url) {
    console.warn(
      "\n[integration] No PostgreSQL server: database tests run on PGlite only. Install PostgreSQL " +
        "or export TEST_DATABASE_URL to run them on a real server too.\n",
    );
  }
  return () => stop?.();
}

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgPoolerUrl: string;
  }
}
