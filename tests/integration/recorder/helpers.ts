import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import {
  Kysely,
  PostgresDialect,
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from "kysely";
import { inject } from "vitest";
import { openDatabase } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrator";
import type { DB } from "@/lib/db/schema";
import type { RecorderLog } from "@/lib/gateway/recorder/types";
import { createTempPostgresDatabase, openMigrated, type DatabaseTarget } from "@/tests/helpers/databases";

/** Shared by the recorder test files: spool dirs, statement counting, outages. */

export async function countRows(k: Kysely<DB>, run?: number): Promise<number> {
  const prefix = run === undefined ? "%" : `00000000-${run.toString(16).padStart(4, "0")}-%`;
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from public.llm_calls where request_id::text like ${prefix}`.execute(k);
  return rows[0]!.n;
}

/** Rollup rows that disagree with the ledger's aggregate (zero-call rows left by deletes ignored). */
export async function rollupDrift(k: Kysely<DB>): Promise<unknown[]> {
  const key = sql.raw("day, organization_id, app_id, provider_code, model_code, pipeline_stage, request_type, currency");
  const { rows } = await sql`
    with agg as (
      select (created_at at time zone 'UTC')::date as day, organization_id, app_id, provider_code, model_code,
        pipeline_stage, request_type, currency, count(*)::bigint as calls,
        count(*) filter (where status = 'ok')::bigint as ok_calls, count(*) filter (where status = 'failed')::bigint as failed_calls,
        count(*) filter (where record_complete)::bigint as complete_calls,
        coalesce(sum(total_tokens), 0)::bigint as total_tokens, coalesce(sum(cost), 0)::numeric(28, 12) as cost,
        coalesce(sum(latency_ms), 0)::bigint as latency_ms_sum
      from public.llm_calls group by ${key}),
    roll as (
      select ${key}, calls, ok_calls, failed_calls, complete_calls, total_tokens, cost, latency_ms_sum
      from public.llm_call_daily where calls <> 0)
    select 'missing from rollup' as problem, * from (select * from agg except select * from roll) a
    union all
    select 'not in ledger' as problem, * from (select * from roll except select * from agg) r`.execute(k);
  return rows;
}

/** Counts insert statements (a plugin sees every compiled query), optionally failing after commit. */
export class StatementSpy implements KyselyPlugin {
  inserts = 0;
  /** Throw a connection error after the next N inserts succeed: "committed, reply lost". */
  loseAcks = 0;

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (args.node.kind === "InsertQueryNode") this.inserts += 1;
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.loseAcks > 0 && args.result.numAffectedRows !== undefined) {
      this.loseAcks -= 1;
      throw Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    }
    return args.result;
  }
}

export function tempSpoolDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "llmcp-spool-"));
}

/** Spool files by kind, for assertions. */
export function spoolFiles(dir: string): { segments: string[]; open: string[]; deadLetter: string[] } {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  const deadPath = path.join(dir, "dead-letter.jsonl");
  return {
    segments: files.filter((f) => f.startsWith("seg-") && f.endsWith(".jsonl")),
    open: files.filter((f) => f.endsWith(".open")),
    deadLetter: fs.existsSync(deadPath) ? fs.readFileSync(deadPath, "utf8").split("\n").filter(Boolean) : [],
  };
}

export const quietLog: RecorderLog = () => undefined;

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("waitFor: condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A database the test can take away. `direct` is for assertions; the recorder uses getDb().
 * PGlite (in-process, no socket) fails getDb() with ECONNREFUSED while down. PostgreSQL is really
 * unreachable: the recorder connects through a TCP proxy that the test stops, resetting every
 * open connection and refusing new ones, then starts again on the same port.
 */
export interface Outage {
  direct: Kysely<DB>;
  /** The recorder's view; for PostgreSQL a connection string through the proxy too. */
  getDb(): Promise<Kysely<DB>>;
  url?: string;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function openOutage(target: DatabaseTarget): Promise<Outage> {
  if (target.name === "pglite") {
    const db = await openMigrated(target);
    let isDown = false;
    return {
      direct: db.kysely,
      async getDb() {
        if (isDown) throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
        return db.kysely;
      },
      down: async () => void (isDown = true),
      up: async () => void (isDown = false),
      close: () => db.close(),
    };
  }
  const temp = await createTempPostgresDatabase(inject("pgAdminUrl"));
  const direct = await openDatabase({ url: temp.url, mode: "server", poolMax: 2 });
  await migrate(direct);
  const upstream = new URL(temp.url);
  const proxy = await startProxy(upstream.hostname, Number(upstream.port));
  const viaProxy = new URL(temp.url);
  viaProxy.port = String(proxy.port);
  const recorderDb = recorderPool(viaProxy.toString());
  return {
    direct: direct.kysely,
    getDb: async () => recorderDb,
    url: viaProxy.toString(),
    down: () => proxy.stop(),
    up: () => proxy.start(),
    async close() {
      await recorderDb.destroy();
      await proxy.stop();
      await direct.close();
      await temp.drop();
    },
  };
}

/**
 * The recorder's pool, as lib/db/client.ts builds it plus one listener: node-postgres emits
 * 'error' on a checked-out client whose connection drops mid-query, and with no listener that is
 * an uncaught exception. lib/db/client.ts only listens on the pool (idle clients), so until it
 * adds `pool.on("connect", (c) => c.on("error", …))` an outage mid-query would crash the process.
 */
function recorderPool(url: string): Kysely<DB> {
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 5_000 });
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

async function startProxy(host: string, port: number): Promise<{ port: number; stop(): Promise<void>; start(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let listenPort = 0;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      if (server) return resolve();
      const s = net.createServer((client) => {
        const upstream = net.connect(port, host);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          socket.on("error", () => undefined);
        }
        // A reset on one side (the server terminating a backend) must close the other, or the
        // client would wait forever on a half-dead connection: pipe() only forwards a clean end.
        client.on("close", () => upstream.destroy());
        upstream.on("close", () => client.destroy());
        client.pipe(upstream).pipe(client);
      });
      s.once("error", reject);
      s.listen(listenPort, "127.0.0.1", () => {
        listenPort = (s.address() as net.AddressInfo).port;
        server = s;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });
  await start();
  return { port: listenPort, stop, start };
}
