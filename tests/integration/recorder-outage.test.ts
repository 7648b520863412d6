import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRecorder, type Recorder, type RecorderOptions } from "@/lib/gateway/recorder/recorder";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { countRows, openOutage, quietLog, rollupDrift, spoolFiles, tempSpoolDir, waitFor, type Outage } from "./recorder/helpers";
import { records } from "./recorder/records";

/**
 * The database goes away and comes back; processes crash or are told to stop. Nothing recorded
 * may be lost and nothing may land twice. On PostgreSQL the outage is real (a proxy the test
 * stops); PGlite has no socket, so its getDb() refuses the connection instead.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const CHILD = path.join(import.meta.dirname, "recorder", "child.ts");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function child(args: string[]): { ready: Promise<string>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; pid: number } {
  const proc = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  proc.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<string>((resolve, reject) => {
    proc.stdout.on("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
    proc.on("exit", () => reject(new Error(`child exited before ready: ${stderr}`)));
  });
  ready.catch(() => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { ready, exited, pid: proc.pid! };
}

describe.each(databaseTargets())("recorder through outages on $name", (target) => {
  let outage: Outage;
  let run = 100;
  const open: { recorder: Recorder; dir: string }[] = [];
  const dirs: string[] = [];

  /** A spool dir for a child process, removed after the test. */
  function spoolDir(): string {
    const dir = tempSpoolDir();
    dirs.push(dir);
    return dir;
  }

  function recorder(options: Partial<RecorderOptions> = {}): { r: Recorder; dir: string } {
    const dir = options.spoolDir ?? tempSpoolDir();
    const r = createRecorder({ getDb: () => outage.getDb(), spoolDir: dir, log: quietLog, flushIntervalMs: 20, retryMinMs: 50, retryMaxMs: 200, ...options });
    open.push({ recorder: r, dir });
    return { r, dir };
  }

  beforeAll(async () => {
    outage = await openOutage(target);
  });
  afterEach(async () => {
    run += 1;
    await outage.up();
    for (const { recorder: r, dir } of open.splice(0)) {
      await r.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await outage?.close();
  });

  it("spools while the database is down, in rotating segments, and replays every record once when it returns", async () => {
    const { r, dir } = recorder({ segmentBytes: 64 * 1024 });
    for (const rec of records(run, 500)) r.record(rec);
    await r.flush();
    expect(await countRows(outage.direct, run)).toBe(500);

    await outage.down();
    for (const rec of records(run, 1_500, 500)) r.record(rec);
    await r.flush();
    await sleep(300); // a few replay attempts fail meanwhile
    const during = r.stats();
    expect(during).toMatchObject({ databaseDown: true, spooled: 1_500, pending: 0 });
    expect(during.failedBatches).toBeGreaterThan(1);
    const files = spoolFiles(dir);
    expect(files.segments.length + files.open.length).toBeGreaterThan(1);
    expect(await countRows(outage.direct, run)).toBe(500);

    await outage.up();
    await waitFor(() => r.stats().spooled === 0 && !r.stats().databaseDown);
    expect(await countRows(outage.direct, run)).toBe(2_000);
    expect(spoolFiles(dir).segments).toEqual([]);
    expect(spoolFiles(dir).deadLetter).toEqual([]);
    const after = r.stats();
    expect(after.written + after.duplicates).toBe(2_000);
    expect(await rollupDrift(outage.direct)).toEqual([]);
  });

  it("loses nothing when the database disappears mid-load and comes back mid-load", async () => {
    const { r } = recorder();
    const all = records(run, 6_000);
    for (let i = 0; i < all.length; i++) {
      if (i === 2_000) await outage.down();
      if (i === 4_000) await outage.up();
      r.record(all[i]!);
      if (i % 50 === 0) await sleep(1);
    }
    await r.flush();
    await waitFor(() => r.stats().spooled === 0 && r.stats().pending === 0);
    expect(await countRows(outage.direct, run)).toBe(6_000);
    expect(r.stats().failedBatches).toBeGreaterThan(0);
    expect(await rollupDrift(outage.direct)).toEqual([]);
  });

  it("close() while the database is down leaves the records sealed in the spool for the next process", async () => {
    const { r, dir } = recorder({ flushIntervalMs: 60_000 });
    await outage.down();
    for (const rec of records(run, 321)) r.record(rec);
    await r.close();
    expect(spoolFiles(dir)).toMatchObject({ open: [] });
    expect(r.stats().spooled).toBe(321);
    await outage.up();
    const { r: next } = recorder({ spoolDir: dir });
    await waitFor(() => next.stats().written === 321 && next.stats().spooled === 0);
    expect(await countRows(outage.direct, run)).toBe(321);
  });

  it("replays what a crashed process (SIGKILL) left in its open segment", async () => {
    const dir = spoolDir();
    const crashed = child(["crash", dir, "250", String(run)]);
    expect(await crashed.exited).toEqual({ code: null, signal: "SIGKILL" });
    expect(spoolFiles(dir).open).toHaveLength(1);
    const { r } = recorder({ spoolDir: dir });
    await waitFor(() => r.stats().written === 250 && r.stats().spooled === 0);
    expect(await countRows(outage.direct, run)).toBe(250);
    expect(spoolFiles(dir)).toMatchObject({ open: [], segments: [] });
  });

  it("flushes on SIGTERM, then dies by the signal", async () => {
    const dir = spoolDir();
    // PostgreSQL: the child reaches the database itself. PGlite is in-process, so its child has no
    // database and must leave everything in the spool for us.
    const proc = child(["sigterm", dir, "400", String(run), ...(outage.url ? [outage.url] : [])]);
    expect(await proc.ready).toBe("ready 400");
    process.kill(proc.pid, "SIGTERM");
    expect(await proc.exited).toEqual({ code: null, signal: "SIGTERM" });
    if (outage.url) {
      expect(await countRows(outage.direct, run)).toBe(400);
      expect(spoolFiles(dir).segments).toEqual([]);
    } else {
      expect(spoolFiles(dir).segments).toHaveLength(1);
      const { r } = recorder({ spoolDir: dir });
      await waitFor(() => r.stats().written === 400);
      expect(await countRows(outage.direct, run)).toBe(400);
    }
  });

  it("bounds SIGTERM by its timeout when the database hangs, spooling what is left before dying", async () => {
    const dir = spoolDir();
    const proc = child(["hang", dir, "150", String(run)]);
    expect(await proc.ready).toBe("ready 150");
    const t0 = Date.now();
    process.kill(proc.pid, "SIGTERM");
    expect(await proc.exited).toEqual({ code: null, signal: "SIGTERM" });
    expect(Date.now() - t0).toBeLessThan(5_000);
    const { r } = recorder({ spoolDir: dir });
    await waitFor(() => r.stats().written === 150 && r.stats().spooled === 0);
    expect(await countRows(outage.direct, run)).toBe(150);
  });

  it("spools the buffer synchronously when the process exits without a signal (process.exit)", async () => {
    const dir = spoolDir();
    expect(await child(["exit", dir, "75", String(run)]).exited).toEqual({ code: 0, signal: null });
    const { r } = recorder({ spoolDir: dir });
    await waitFor(() => r.stats().written === 75 && r.stats().spooled === 0);
    expect(await countRows(outage.direct, run)).toBe(75);
  });

  it("dead-letters a torn or corrupt spool line and replays the rest", async () => {
    const dir = spoolDir();
    const lines = records(run, 3).map((rec) => JSON.stringify(rec));
    fs.writeFileSync(path.join(dir, "seg-000000000000001-000000-1-deadbeef.jsonl"), `${lines.join("\n")}\n[1,2]\n{"request_id": "00000000-`);
    const { r } = recorder({ spoolDir: dir });
    await waitFor(() => r.stats().written === 3 && r.stats().spooled === 0);
    expect(spoolFiles(dir).deadLetter).toHaveLength(2);
    expect(r.stats().deadLettered).toBe(2);
  });

  // Target-specific cases are only defined where they apply (not reported as skipped elsewhere).
  if (target.name === "pglite") it("treats a closed PGlite as down and replays into the database that replaces it", async () => {
    const first = await openMigrated(target);
    let current = first;
    const { r } = recorder({ getDb: async () => current.kysely, flushIntervalMs: 60_000 });
    await first.close();
    for (const rec of records(run, 200)) r.record(rec);
    await r.flush();
    expect(r.stats()).toMatchObject({ databaseDown: true, spooled: 200 });
    current = await openMigrated(target);
    try {
      await r.replay();
      expect(await countRows(current.kysely, run)).toBe(200);
      expect(r.stats().spooled).toBe(0);
    } finally {
      await r.close();
      await current.close();
    }
  });

  if (target.name === "postgres") it("loses nothing when the server terminates the recorder's connections", async () => {
    const { r } = recorder({ flushIntervalMs: 60_000 });
    for (const rec of records(run, 100)) r.record(rec);
    await r.flush();
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`.execute(outage.direct);
    for (const rec of records(run, 100, 100)) r.record(rec);
    await r.flush();
    await waitFor(() => r.stats().spooled === 0 && r.stats().pending === 0);
    expect(await countRows(outage.direct, run)).toBe(200);
  });
});
