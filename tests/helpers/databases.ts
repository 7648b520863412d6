import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject, vi } from "vitest";
import { openDatabase, type Database } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrator";

export interface DatabaseTarget {
  /** pgbouncer: the app's pool through PgBouncer in transaction mode, `direct` on PostgreSQL. */
  name: "pglite" | "postgres" | "pgbouncer";
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

let poolerChecked: Promise<void> | undefined;

/**
 * Refuses a pooler that is not PgBouncer in transaction mode (its admin console's `show config`):
 * session mode would hide exactly the bugs this target is there to find.
 */
export function assertTransactionPooler(poolerUrl: string): Promise<void> {
  poolerChecked ??= (async () => {
    const url = new URL(poolerUrl);
    url.pathname = "/pgbouncer";
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ key: string; value: string }>("show config");
      const mode = rows.find((r) => r.key === "pool_mode")?.value;
      if (mode !== "transaction") throw new Error(`TEST_PGBOUNCER_URL: pool_mode is ${mode ?? "unknown"}, not transaction`);
    } finally {
      await admin.end();
    }
  })();
  return poolerChecked;
}

/** The same database reached through the pooler (its `*` entry forwards every database name). */
export function throughPooler(poolerUrl: string, directUrl: string): string {
  const url = new URL(poolerUrl);
  url.pathname = new URL(directUrl).pathname;
  return url.toString();
}

async function openTempPostgres(adminUrl: string, poolerUrl?: string): Promise<Database> {
  if (poolerUrl) await assertTransactionPooler(poolerUrl);
  const temp = await createTempPostgresDatabase(adminUrl);
  const db = poolerUrl
    ? await openDatabase({ url: throughPooler(poolerUrl, temp.url), directUrl: temp.url, mode: "server", poolMax: 4 })
    : await openDatabase({ url: temp.url, mode: "server", poolMax: 4 });
  return {
    mode: db.mode,
    kysely: db.kysely,
    direct: db.direct,
    withSession: db.withSession.bind(db),
    async close() {
      await db.close();
      await temp.drop();
    },
  };
}

/**
 * The databases every integration test runs against: PGlite always, PostgreSQL when provided,
 * and, for the files that ask (`pooler: true`), PostgreSQL through PgBouncer in transaction mode
 * when TEST_PGBOUNCER_URL is set (global-setup.ts).
 */
export function databaseTargets(options: { pooler?: boolean } = {}): DatabaseTarget[] {
  const targets: DatabaseTarget[] = [{ name: "pglite", open: () => openDatabase({ dataDir: "memory://" }) }];
  const adminUrl = inject("pgAdminUrl");
  const poolerUrl = inject("pgPoolerUrl");
  if (adminUrl) targets.push({ name: "postgres", open: () => openTempPostgres(adminUrl) });
  if (adminUrl && poolerUrl && options.pooler) targets.push({ name: "pgbouncer", open: () => openTempPostgres(adminUrl, poolerUrl) });
  return targets;
}

export interface GatewayTarget {
  name: DatabaseTarget["name"];
  adminUrl?: string;
  poolerUrl?: string;
}

/** The targets of a gateway test file (startGatewayWorld); `pooler: true` adds PgBouncer when configured. */
export function gatewayTargets(options: { pooler?: boolean } = {}): GatewayTarget[] {
  const adminUrl = inject("pgAdminUrl");
  const poolerUrl = inject("pgPoolerUrl");
  return [
    { name: "pglite" },
    ...(adminUrl ? [{ name: "postgres" as const, adminUrl }] : []),
    ...(adminUrl && poolerUrl && options.pooler ? [{ name: "pgbouncer" as const, adminUrl, poolerUrl }] : []),
  ];
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
 * is given; with `poolerUrl`, DATABASE_URL goes through the pooler and DIRECT_DATABASE_URL to the
 * server. Call resetEnvCache() afterwards; the returned function drops the PostgreSQL database.
 */
export async function pointAppAtFreshDatabase(adminUrl?: string, poolerUrl?: string): Promise<() => Promise<void>> {
  if (adminUrl) {
    if (poolerUrl) await assertTransactionPooler(poolerUrl);
    const temp = await createTempPostgresDatabase(adminUrl);
    vi.stubEnv("DATABASE_URL", poolerUrl ? throughPooler(poolerUrl, temp.url) : temp.url);
    vi.stubEnv("DIRECT_DATABASE_URL", poolerUrl ? temp.url : "");
    return temp.drop;
  }
  vi.stubEnv("DIRECT_DATABASE_URL", "");
  vi.stubEnv("DATABASE_URL", "");
  vi.stubEnv("PGLITE_DATA_DIR", "memory://");
  return async () => {};
}
