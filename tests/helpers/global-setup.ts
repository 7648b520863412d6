import type { TestProject } from "vitest/node";

/**
 * The integration suite runs every database test on PGlite and, when a server is available, on a
 * real PostgreSQL: TEST_DATABASE_URL (or DATABASE_URL) names an admin connection on which each
 * test file creates and drops its own database. CI always provides one (.ci/run).
 */
export default function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  project.provide("pgAdminUrl", url ?? "");
  if (!url) {
    console.warn(
      "\n[integration] No TEST_DATABASE_URL: database tests run on PGlite only. " +
        "Start one with `scripts/pg-temp.sh start` and export TEST_DATABASE_URL to run them on PostgreSQL too.\n",
    );
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}
