import fs from "node:fs";
import path from "node:path";
import { Kysely, PostgresDialect } from "kysely";
import { getEnv, getMode, type Mode } from "@/lib/env";
import { PGliteSessionPool } from "./pglite-pool";
import type { DB } from "./schema";

/**
 * One database code path for the three modes: PGlite (embedded) or a node-postgres pool
 * (server, supabase). Callers get a Kysely instance and never branch on the mode.
 */
export interface RawSession {
  /** Runs a multi-statement script (no parameters). */
  exec(sql: string): Promise<void>;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface Database {
  readonly mode: Mode;
  readonly kysely: Kysely<DB>;
  /** Exclusive session for scripts (migrations) that Kysely cannot express. */
  withSession<T>(fn: (session: RawSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Postgres URL; omitted = PGlite. */
  url?: string;
  /** PGlite data directory; "memory://" for an in-memory database. */
  dataDir?: string;
  mode?: Mode;
  poolMax?: number;
}

const PG_INT8 = 20;
const PG_DATE = 1082;

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.mode ?? "server", options.poolMax ?? 10);
  return openPGlite(options.dataDir ?? "memory://");
}

async function openPostgres(url: string, mode: Mode, poolMax: number): Promise<Database> {
  const pg = await import("pg");
  const { Pool, types } = pg.default;
  const pool = new Pool({
    connectionString: url,
    max: poolMax,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    // Detects half-dead connections (a database that vanished without closing them).
    keepAlive: true,
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") => {
        if (oid === PG_INT8) return (value: string) => Number(value);
        if (oid === PG_DATE) return (value: string) => value;
        return types.getTypeParser(oid, format);
      }) as typeof types.getTypeParser,
    },
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on("error", (err) => console.error(`[db] idle client error: ${err.message}`));
  // A connection that drops mid-query also emits on the client itself; unhandled, that would
  // crash the process instead of failing the one query.
  pool.on("connect", (client) => client.on("error", (err) => console.error(`[db] client error: ${err.message}`)));
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    mode,
    kysely,
    async withSession(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          async exec(sql) {
            await client.query(sql);
          },
          async query<R>(sql: string, params: unknown[] = []) {
            const result = await client.query(sql, params);
            return result.rows as R[];
          },
        });
      } finally {
        client.release();
      }
    },
    async close() {
      await kysely.destroy();
    },
  };
}

async function openPGlite(dataDir: string): Promise<Database> {
  const { PGlite, types } = await import("@electric-sql/pglite");
  if (!dataDir.startsWith("memory://")) fs.mkdirSync(path.resolve(dataDir), { recursive: true });
  const pglite = await PGlite.create(dataDir, {
    parsers: {
      [types.INT8]: (value: string) => Number(value),
      [types.DATE]: (value: string) => value,
    },
  });
  const pool = new PGliteSessionPool(pglite);
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    mode: "embedded",
    kysely,
    withSession(fn) {
      return pool.exclusive((db) =>
        fn({
          async exec(sql) {
            await db.exec(sql);
          },
          async query<R>(sql: string, params: unknown[] = []) {
            const result = await db.query<R>(sql, params);
            return result.rows;
          },
        }),
      );
    },
    async close() {
      await kysely.destroy();
      await pglite.close();
    },
  };
}

/**
 * The process-wide database. Kept on globalThis so Next's dev server (which re-evaluates modules
 * on every edit) opens one PGlite per data dir and one pool per URL.
 */
type Holder = { promise?: Promise<Database>; key?: string };
const holder: Holder = ((globalThis as { __llmcpDb?: Holder }).__llmcpDb ??= {});

export function getDatabase(): Promise<Database> {
  const env = getEnv();
  const key = env.DATABASE_URL ?? `pglite:${path.resolve(env.PGLITE_DATA_DIR)}`;
  if (holder.promise && holder.key === key) return holder.promise;
  holder.key = key;
  holder.promise = openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.PGLITE_DATA_DIR,
    mode: getMode(env),
    poolMax: env.DATABASE_POOL_MAX,
  }).catch((err: unknown) => {
    holder.promise = undefined;
    throw err;
  });
  return holder.promise;
}

export async function closeDatabase(): Promise<void> {
  const pending = holder.promise;
  holder.promise = undefined;
  holder.key = undefined;
  if (pending) await (await pending).close();
}
