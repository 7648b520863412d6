import fs from "node:fs";
import path from "node:path";
import { Kysely, PostgresDialect } from "kysely";
import { getEnv, getMode, type Mode } from "@/lib/env";
import { PGliteSessionPool } from "./pglite-pool";
import type { DB } from "./schema";

/**
 * One database code path for the three modes: PGlite (embedded) or a node-postgres pool
 * (server, supabase). Callers get a Kysely instance and never branch on the mode.
 *
 * DATABASE_URL may point at a pooler in transaction mode (PgBouncer, Supabase's pooler): every
 * statement outside an explicit transaction may then run on another server connection, so the
 * app keeps no session state there (only `set local`/`set_config(…, true)` and xact locks inside
 * transactions; node-postgres sends unnamed statements, so no prepared statement outlives its
 * query). What needs a real session (migrations, DETACH … CONCURRENTLY in retention, the seed)
 * uses `direct`/`withSession`, which go to DIRECT_DATABASE_URL when it is set.
 */
export interface RawSession {
  /** Runs a multi-statement script (no parameters). */
  exec(sql: string): Promise<void>;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface Database {
  readonly mode: Mode;
  readonly kysely: Kysely<DB>;
  /**
   * The unpooled connection for session-level work (partition upkeep, retention, seeding): a small
   * pool on `directUrl` when one is given, else the same as `kysely`.
   */
  readonly direct: Kysely<DB>;
  /** Exclusive session for scripts (migrations) that Kysely cannot express; on `directUrl` when set. */
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
  /** Unpooled Postgres URL for `direct` and `withSession` (DIRECT_DATABASE_URL); omitted = `url`. */
  directUrl?: string;
}

/** Connections the direct pool may hold: one session for migrations or a job, one spare. */
const DIRECT_POOL_MAX = 2;

const PG_INT8 = 20;
const PG_DATE = 1082;

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.directUrl, options.mode ?? "server", options.poolMax ?? 10);
  return openPGlite(options.dataDir ?? "memory://");
}

type PgPool = import("pg").Pool;

async function newPool(url: string, max: number, idleTimeoutMillis: number): Promise<PgPool> {
  const pg = await import("pg");
  const { Pool, types } = pg.default;
  const pool = new Pool({
    connectionString: url,
    max,
    idleTimeoutMillis,
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
  return pool;
}

async function openPostgres(url: string, directUrl: string | undefined, mode: Mode, poolMax: number): Promise<Database> {
  const pool = await newPool(url, poolMax, 30_000);
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  // The direct pool connects only when used and lets idle connections go after 10 s.
  const directPool = directUrl && directUrl !== url ? await newPool(directUrl, DIRECT_POOL_MAX, 10_000) : pool;
  const direct = directPool === pool ? kysely : new Kysely<DB>({ dialect: new PostgresDialect({ pool: directPool }) });
  return {
    mode,
    kysely,
    direct,
    async withSession(fn) {
      const client = await directPool.connect();
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
      await Promise.all([kysely.destroy(), direct === kysely ? undefined : direct.destroy()]);
      // Kysely ends a pool only if it ever queried it; withSession() alone (a migration run) uses
      // the pool directly, and its connection would otherwise stay open until the process exits.
      await Promise.all([...new Set([pool, directPool])].map((p) => (p.ending ? undefined : p.end())));
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
    direct: kysely,
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
  const key = env.DATABASE_URL ? `${env.DATABASE_URL} ${env.DIRECT_DATABASE_URL ?? ""}` : `pglite:${path.resolve(env.PGLITE_DATA_DIR)}`;
  if (holder.promise && holder.key === key) return holder.promise;
  holder.key = key;
  holder.promise = openDatabase({
    url: env.DATABASE_URL,
    directUrl: env.DIRECT_DATABASE_URL,
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
