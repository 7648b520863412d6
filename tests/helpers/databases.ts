import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject, vi } from "vitest";
import { openDatabase, type Database } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrator";

export interface DatabaseTarget {
  name: "pglite" | "postgres";
  /** A new, empty, migrated database; close() drops it. */
  open(): Promise<Database>;
}

/** Creates an empty database on the admin server; drop() removes it (closing its connections). */
export async function createTempPostgresDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `llmcp_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      try {
        await cleanup.query(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

async function openTempPostgres(adminUrl: string): Promise<Database> {
  const temp = await createTempPostgresDatabase(adminUrl);
  const db = await openDatabase({ url: temp.url, mode: "server", poolMax: 4 });
  return {
    mode: db.mode,
    kysely: db.kysely,
    withSession: db.withSession.bind(db),
    async close() {
      await db.close();
      await temp.drop();
    },
  };
}

/** The databases every integration test runs against: PGlite always, PostgreSQL when provided. */
export function databaseTargets(): DatabaseTarget[] {
  const targets: DatabaseTarget[] = [{ name: "pglite", open: () => openDatabase({ dataDir: "memory://" }) }];
  const adminUrl = inject("pgAdminUrl");
  if (adminUrl) targets.push({ name: "postgres", open: () => openTempPostgres(adminUrl) });
  return targets;
}

/** Opens a migrated database on the target. */
export async function openMigrated(target: DatabaseTarget): Promise<Database> {
  const db = await target.open();
  await migrate(db);
  return db;
}

/**
 * Points the app's own database (getDb() / serviceDb(), read from the environment) at a fresh
 * database: in-memory PGlite, or a new database on the PostgreSQL admin server when `adminUrl`
 * is given. Call resetEnvCache() afterwards; the returned function drops the PostgreSQL database.
 */
export async function pointAppAtFreshDatabase(adminUrl?: string): Promise<() => Promise<void>> {
  if (adminUrl) {
    const temp = await createTempPostgresDatabase(adminUrl);
    vi.stubEnv("DATABASE_URL", temp.url);
    return temp.drop;
  }
  vi.stubEnv("DATABASE_URL", "");
  vi.stubEnv("PGLITE_DATA_DIR", "memory://");
  return async () => {};
}
