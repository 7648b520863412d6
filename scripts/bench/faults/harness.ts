/**
 * Shared machinery of `bench:faults`: a throwaway PostgreSQL (scripts/pg-temp.sh) that can be
 * stopped and started mid-scenario, the production server (`.next/llmcp-server.mjs`) started and
 * stopped by PID with bounded waits, a small keep-alive HTTP client that reports resets instead of
 * throwing, bounded load (a concurrency limit and a deadline, or a paced rate), and ledger counts.
 * Every child process is registered here and stopped by PID when the run ends, however it ends.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import pg from "pg";

export const ROOT = path.resolve(import.meta.dirname, "../../..");
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------------------------------------------
// Child processes: registered, stopped by PID on exit.
const children = new Set<ChildProcess>();

export function killAllChildren(): void {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null && c.pid) {
      try {
        process.kill(c.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  children.clear();
  unmountAll();
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Runs a command to completion with a timeout; throws with its output when it fails. */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs: number; cwd?: string }): string {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, timeout: opts.timeoutMs, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    const why = r.error ? r.error.message : `exit ${r.status ?? r.signal}`;
    throw new Error(`${cmd} ${args.join(" ")}: ${why}\n${(r.stdout ?? "").slice(-2000)}${(r.stderr ?? "").slice(-2000)}`);
  }
  return r.stdout;
}

// ------------------------------------------------------------------------------------------------
// An unwritable spool for root: root ignores permission bits, but not a full file system.
const mounts = new Set<string>();

/** Mounts a 1 MiB tmpfs at `dir` (needs root); false when that is not allowed here. */
export function mountSmallTmpfs(dir: string): boolean {
  fs.mkdirSync(dir, { recursive: true });
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", dir], { timeout: 10_000 });
  if (r.status !== 0) return false;
  mounts.add(dir);
  return true;
}

/** Fills the file system holding `dir` until a write fails with ENOSPC; returns the bytes written. */
export function fillUp(dir: string): number {
  const fd = fs.openSync(path.join(dir, "filler"), "a");
  let written = 0;
  try {
    for (const size of [65_536, 4_096, 512, 1]) {
      const chunk = Buffer.alloc(size, 120);
      for (;;) {
        try {
          written += fs.writeSync(fd, chunk);
        } catch {
          break;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

export function unmountAll(): void {
  for (const dir of mounts) spawnSync("umount", ["-l", dir], { timeout: 10_000 });
  mounts.clear();
}

// ------------------------------------------------------------------------------------------------
// PostgreSQL
export class Postgres {
  readonly url: string;
  /** Stopped by down() and not started again yet. */
  isDown = false;
  private pool: pg.Pool | null = null;

  constructor(
    readonly port: number,
    readonly dir: string,
  ) {
    this.url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  }

  private script(cmd: "start" | "stop"): void {
    run("bash", ["scripts/pg-temp.sh", cmd, String(this.port)], { env: { ...process.env, PGTEMP_DIR: this.dir }, timeoutMs: 120_000 });
  }

  start(): void {
    this.script("start");
  }

  /** Stops the server but keeps its data (pg-temp.sh stop would delete it). */
  async down(): Promise<void> {
    await this.closePool();
    const bin = pgBin();
    const cmd = `'${bin}/pg_ctl' -D '${this.dir}' -m fast -w -t 30 stop`;
    if (process.getuid?.() === 0) run("su", ["postgres", "-s", "/bin/bash", "-c", cmd], { timeoutMs: 60_000 });
    else run("bash", ["-c", cmd], { timeoutMs: 60_000 });
    this.isDown = true;
  }

  /** Starts it again on the same data. */
  up(): void {
    this.script("start");
    this.isDown = false;
  }

  /** Stops it and removes its data. */
  async destroy(): Promise<void> {
    await this.closePool();
    try {
      this.script("stop");
    } catch {
      // best effort at the end of the run
    }
  }

  async query<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
    this.pool ??= new pg.Pool({ connectionString: this.url, max: 4, connectionTimeoutMillis: 10_000 });
    const { rows } = await this.pool.query<T>(text, values);
    return rows;
  }

  async closePool(): Promise<void> {
    const p = this.pool;
    this.pool = null;
    if (p) await p.end().catch(() => undefined);
  }
}

export function pgBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = "/usr/lib/postgresql";
  const versions = fs.existsSync(base) ? fs.readdirSync(base).sort((a, b) => Number(a) - Number(b)) : [];
  const v = versions.at(-1);
  if (!v) throw new Error("PostgreSQL server binaries not found (apt-get install -y postgresql)");
  return `${base}/${v}/bin`;
}

// ------------------------------------------------------------------------------------------------
// The production server
export interface ServerOptions {
  name: string;
  databaseUrl: string;
  spoolDir: string;
  logDir: string;
  env?: Record<string, string | undefined>;
  /** A fixed port (default: a free one). */
  port?: number;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

export class Server {
  readonly exited: Promise<Exit>;
  private constructor(
    readonly proc: ChildProcess,
    readonly port: number,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => proc.once("exit", (code, signal) => resolve({ code, signal, at: Date.now() })));
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  static async start(o: ServerOptions): Promise<Server> {
    const port = o.port ?? (await freePort());
    const logFile = path.join(o.logDir, `server-${o.name}.log`);
    const out = fs.openSync(logFile, "a");
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      DATABASE_URL: o.databaseUrl,
      RECORDER_SPOOL_DIR: o.spoolDir,
      DEMO_SEED: "false",
      SHUTDOWN_GRACE_MS: process.env.SHUTDOWN_GRACE_MS,
      ...o.env,
    };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const proc = spawn(process.execPath, [".next/llmcp-server.mjs"], { cwd: ROOT, env, stdio: ["ignore", out, out] });
    fs.closeSync(out);
    children.add(proc);
    proc.once("exit", () => children.delete(proc));
    const server = new Server(proc, port, logFile);
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (!server.alive) throw new Error(`server ${o.name} exited during start-up (log ${logFile}): ${tail(logFile)}`);
      const r = await request({ port, method: "GET", path: "/api/llm/health", timeoutMs: 3_000 });
      if (r.status === 200) return server;
      await sleep(200);
    }
    await server.kill();
    throw new Error(`server ${o.name} not healthy within 90 s (log ${logFile})`);
  }

  /** Sends a signal and waits (bounded) for the exit; SIGKILL after `waitMs`. */
  async stop(signal: NodeJS.Signals = "SIGTERM", waitMs = 40_000): Promise<Exit & { forced: boolean }> {
    if (!this.alive) return { ...(await this.exited), forced: false };
    this.proc.kill(signal);
    const exit = await Promise.race([this.exited, sleep(waitMs).then(() => null)]);
    if (exit) return { ...exit, forced: false };
    await this.kill();
    return { ...(await this.exited), forced: true };
  }

  async kill(): Promise<Exit> {
    if (this.alive) this.proc.kill("SIGKILL");
    return this.exited;
  }

  async health(): Promise<Record<string, unknown> | null> {
    const r = await request({ port: this.port, method: "GET", path: "/api/llm/health", timeoutMs: 5_000 });
    try {
      // 503 is the readiness answer (not ready: draining, cannot record); its body still says why.
      return r.status === 200 || r.status === 503 ? (JSON.parse(r.body) as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }

  /** Waits (bounded) until the recorder has nothing in memory or in the spool. */
  async drained(limitMs = 20_000): Promise<boolean> {
    const deadline = Date.now() + limitMs;
    while (Date.now() < deadline) {
      const h = await this.health();
      const rec = h?.recorder as { pending?: number; spooled?: number } | undefined;
      if (rec && rec.pending === 0 && rec.spooled === 0) return true;
      await sleep(250);
    }
    return false;
  }

  async circuit(provider: string): Promise<string | null> {
    const h = await this.health();
    const p = (h?.providers as { code: string; circuit: string }[] | undefined)?.find((x) => x.code === provider);
    return p?.circuit ?? null;
  }
}

export function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

// ------------------------------------------------------------------------------------------------
// HTTP client: never throws; a reset or timeout is `error`.
export interface Res {
  status: number | null;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
  error?: string;
}

export interface Req {
  port: number;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  agent?: http.Agent;
  /** Destroy the request after this many ms (a client that goes away). */
  abortAfterMs?: number;
}

export function request(r: Req): Promise<Res> {
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (res: Res) => {
      if (settled) return;
      settled = true;
      resolve(res);
    };
    const headers: Record<string, string | number> = { ...r.headers };
    if (r.body !== undefined) {
      headers["content-type"] ??= "application/json";
      headers["content-length"] = Buffer.byteLength(r.body);
    }
    const req = http.request({ host: "127.0.0.1", port: r.port, method: r.method ?? "POST", path: r.path, headers, agent: r.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => done({ status: res.statusCode ?? null, headers: res.headers, body: Buffer.concat(chunks).toString("utf8"), ms: Date.now() - started }));
      res.on("error", (e) => done({ status: res.statusCode ?? null, headers: res.headers, body: "", ms: Date.now() - started, error: errCode(e) }));
    });
    req.setTimeout(r.timeoutMs ?? 30_000, () => req.destroy(Object.assign(new Error("client timeout"), { code: "TIMEOUT" })));
    req.on("error", (e) => done({ status: null, headers: {}, body: "", ms: Date.now() - started, error: errCode(e) }));
    if (r.abortAfterMs !== undefined) setTimeout(() => req.destroy(Object.assign(new Error("client left"), { code: "CLIENT_ABORT" })), r.abortAfterMs);
    req.end(r.body);
  });
}

function errCode(e: Error & { code?: string }): string {
  return e.code ?? e.message;
}

export const isReset = (r: Res) => r.error !== undefined && /ECONNRESET|socket hang up|EPIPE/i.test(r.error);

/** A chat completion through the gateway with an app key. */
export function chat(port: number, key: string, extra: Record<string, unknown> = {}, opts: Partial<Req> = {}): Promise<Res> {
  const body = JSON.stringify({ model: "auto", messages: [{ role: "user", content: "hello" }], max_tokens: 20, ...extra });
  return request({ port, path: "/api/llm/v1/chat/completions", headers: chatHeaders(key), body, ...opts });
}

/** An app key and an action (`model: "auto"` routes by the organization's "*" rule). */
export function chatHeaders(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}`, "x-llm-action": "bench" };
}

// ------------------------------------------------------------------------------------------------
// Load
/** Runs `fn(i)` for i < total with at most `concurrency` in flight; no new start after the deadline. */
export async function pool<T>(total: number, concurrency: number, deadlineMs: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  const deadline = Date.now() + deadlineMs;
  let next = 0;
  const worker = async () => {
    while (next < total && Date.now() < deadline) {
      const i = next++;
      results.push(await fn(i));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return results;
}

/** Starts `fn` at `perSecond` for `durationMs` (skipping beats while `maxInFlight` are open). */
export async function paced<T>(perSecond: number, durationMs: number, maxInFlight: number, fn: (i: number) => Promise<T>, stop?: () => boolean): Promise<T[]> {
  const all: Promise<T>[] = [];
  let inFlight = 0;
  const started = Date.now();
  const gap = 1000 / perSecond;
  for (let i = 0; Date.now() - started < durationMs && !stop?.(); i++) {
    const due = started + i * gap;
    if (due > Date.now()) await sleep(due - Date.now());
    if (inFlight >= maxInFlight) continue;
    inFlight += 1;
    all.push(fn(i).finally(() => (inFlight -= 1)));
  }
  return Promise.all(all);
}

export function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of items) out[key(t)] = (out[key(t)] ?? 0) + 1;
  return out;
}

export const statusOf = (r: Res) => (r.status === null ? (r.error ?? "error") : String(r.status));
export const fmtCounts = (c: Record<string, number>) =>
  Object.entries(c)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k}×${v}`)
    .join(" ") || "none";

// ------------------------------------------------------------------------------------------------
// Ledger
export async function ledgerRows(db: Postgres, orgId: string): Promise<{ status: string; error_type: string | null; request_id: string }[]> {
  return db.query("select status, error_type, request_id::text from llm_calls where organization_id = $1", [orgId]);
}

/** Records in spool segment files (JSON lines), dead letters excluded; per-instance folders included. */
export function spooledLines(dir: string): number {
  try {
    let n = 0;
    for (const f of fs.readdirSync(dir, { recursive: true, encoding: "utf8" })) {
      if (!path.basename(f).startsWith("seg-")) continue;
      n += fs.readFileSync(path.join(dir, f), "utf8").split("\n").filter((l) => l.trim()).length;
    }
    return n;
  } catch {
    return 0;
  }
}

// ------------------------------------------------------------------------------------------------
// Scenarios
/** One printed line: an issue item, what was measured, the goal, the figure, the verdict. */
export interface Row {
  item: number;
  what: string;
  goal: string;
  measured: string;
  pass: boolean;
}

export interface Ctx {
  db: Postgres;
  work: string;
  /** Starts a production server for this scenario (stopped by PID when the scenario ends). */
  startServer(name: string, env?: Record<string, string | undefined>, spoolDir?: string): Promise<Server>;
  log(line: string): void;
}

export interface Scenario<W> {
  item: number;
  title: string;
  run(ctx: Ctx, world: W): Promise<Row[]>;
}

export const row = (item: number, what: string, goal: string, measured: string, pass: boolean): Row => ({ item, what, goal, measured, pass });

// ------------------------------------------------------------------------------------------------
// Report helpers shared by bench:faults and bench:fleet

export interface Column<R> {
  h: string;
  w: number;
  get: (r: R) => string;
}

/** Prints rows as a fixed-width table, each cell word-wrapped to its column. */
export function printColumns<R>(cols: Column<R>[], rows: R[]): void {
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(cols[i]!.w)).join(" | ");
  console.log(line(cols.map((c) => c.h)));
  console.log(cols.map((c) => "-".repeat(c.w)).join("-+-"));
  for (const r of rows) {
    const parts = cols.map((c) => wrap(c.get(r), c.w));
    const height = Math.max(...parts.map((p) => p.length));
    for (let i = 0; i < height; i++) console.log(line(parts.map((p) => p[i] ?? "")));
  }
}

/** Word-wraps a table cell. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + word.length + 1 > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.length ? out : [""];
}

/** Writes `bench-results/<name>-<timestamp>.json` and says where. */
export function saveResults(name: string, started: Date, data: Record<string, unknown>): void {
  const out = path.join(ROOT, "bench-results", `${name}-${started.toISOString().replace(/[:.]/g, "-")}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(data, null, 2)}\n`);
  console.log(`results: ${path.relative(ROOT, out)}`);
}

/** Runs a bench's main and exits with its code; on a crash, stops every child first. */
export function runBench(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      killAllChildren();
      process.exit(1);
    },
  );
}
