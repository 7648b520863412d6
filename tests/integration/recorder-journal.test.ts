import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRecorder, type Recorder, type RecorderOptions } from "@/lib/gateway/recorder/recorder";
import { databaseTargets } from "@/tests/helpers/databases";
import { countRows, openOutage, quietLog, spoolFiles, tempSpoolDir, waitFor, type Outage } from "./recorder/helpers";
import { records } from "./recorder/records";

/**
 * The crash journal and the recorder's refusal state: every record is on disk (one write, no
 * fsync) before record() returns, the journal goes once its rows are committed or spooled, a dead
 * process's journal is replayed exactly once (a live one's never), and when neither the database
 * nor the spool can take records the recorder says so, until either is back.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const CHILD = path.join(import.meta.dirname, "recorder", "child.ts");
const journalLines = (dir: string) =>
  fs.readdirSync(dir).filter((f) => f.startsWith("jrn-")).reduce((n, f) => n + fs.readFileSync(path.join(dir, f), "utf8").split("\n").filter(Boolean).length, 0);
const journalFiles = (dir: string) => fs.readdirSync(dir).filter((f) => f.startsWith("jrn-"));

describe.each(databaseTargets())("recorder journal on $name", (target) => {
  let outage: Outage;
  let run = 700;
  const open: { recorder: Recorder; dir: string }[] = [];
  const paths: string[] = [];

  function recorder(options: Partial<RecorderOptions> = {}): { r: Recorder; dir: string } {
    const dir = options.spoolDir ?? tempSpoolDir();
    const r = createRecorder({ getDb: () => outage.getDb(), spoolDir: dir, log: quietLog, flushIntervalMs: 600_000, retryMinMs: 20, retryMaxMs: 100, ...options });
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
    for (const p of paths.splice(0)) fs.rmSync(p, { recursive: true, force: true });
  });
  afterAll(async () => {
    await outage?.close();
  });

  it("journals each record before record() returns and deletes the journal once the batch commits", async () => {
    const { r, dir } = recorder();
    const batch = records(run, 30);
    for (const [i, rec] of batch.entries()) {
      r.record(rec);
      expect(journalLines(dir)).toBe(i + 1);
    }
    await r.flush();
    expect(await countRows(outage.direct, run)).toBe(30);
    await waitFor(() => journalFiles(dir).length === 0);
  });

  it("while the database is down, deletes the journal once the records are fsync'd to the spool", async () => {
    const { r, dir } = recorder();
    await outage.down();
    for (const rec of records(run, 25)) r.record(rec);
    await r.flush();
    expect(r.stats()).toMatchObject({ written: 0, spooled: 25, accepting: true });
    await waitFor(() => journalFiles(dir).length === 0);
    await outage.up();
    await waitFor(async () => (await countRows(outage.direct, run)) === 25);
  });

  it("replays a SIGKILLed process's journal exactly once, and never a live process's", async () => {
    const dir = tempSpoolDir();
    paths.push(dir);
    const N = 120;
    const proc = spawn(process.execPath, ["--import", "tsx", CHILD, "journal", dir, String(N), String(run), ...(outage.url ? [outage.url] : [])], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise((resolve) => proc.on("exit", resolve));
    try {
      let out = "";
      proc.stdout.on("data", (c: Buffer) => (out += c.toString()));
      await waitFor(() => out.startsWith("ready"), 30_000);
      expect(journalLines(dir)).toBe(N);

      // The child is alive: its journal is not ours to replay.
      const { r: early } = recorder({ spoolDir: dir });
      await early.replay();
      expect(early.stats().written).toBe(0);
      expect(journalLines(dir)).toBe(N);
      await early.close();
    } finally {
      proc.kill("SIGKILL");
      await exited;
    }
    expect(await countRows(outage.direct, run)).toBe(0);

    const { r } = recorder({ spoolDir: dir });
    await waitFor(async () => (await countRows(outage.direct, run)) === N);
    await r.replay();
    expect(r.stats()).toMatchObject({ written: N, duplicates: 0 });
    await waitFor(() => journalFiles(dir).length === 0 && spoolFiles(dir).segments.length === 0);
    const { r: again } = recorder({ spoolDir: dir });
    await again.replay();
    expect(again.stats().written).toBe(0);
    expect(await countRows(outage.direct, run)).toBe(N);
  });

  it("stops accepting while the database is down and the spool cannot be written, and accepts again when the database is back", async () => {
    const blocker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "llmcp-blocked-")), "spool");
    paths.push(path.dirname(blocker));
    fs.writeFileSync(blocker, "a file where the spool directory should be");
    const { r } = recorder({ spoolDir: blocker, flushIntervalMs: 20 });
    // No journal: calls are admitted only once a probe proves the database reachable.
    await waitFor(() => r.accepting());
    await outage.down();
    for (const rec of records(run, 10)) r.record(rec);
    // Refused as soon as a probe finds the database gone (the journal is unusable), before the spool fails too.
    await waitFor(() => !r.accepting() && !r.stats().spoolWritable);
    expect(r.stats()).toMatchObject({ accepting: false, databaseDown: true, spoolWritable: false, journalWritable: false, pending: 10 });
    await outage.up();
    await waitFor(() => r.accepting());
    await r.flush();
    await waitFor(async () => (await countRows(outage.direct, run)) === 10);
  });

  it("accepts again as soon as the spool is writable, with the database still down", async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), "llmcp-blocked-"));
    paths.push(parent);
    const blocker = path.join(parent, "spool");
    fs.writeFileSync(blocker, "not a directory");
    const { r } = recorder({ spoolDir: blocker, flushIntervalMs: 20 });
    await outage.down();
    for (const rec of records(run, 7)) r.record(rec);
    await waitFor(() => !r.accepting());
    fs.rmSync(blocker);
    await waitFor(() => r.accepting());
    await r.flush();
    await waitFor(() => r.stats().spooled === 7);
    await outage.up();
    await waitFor(async () => (await countRows(outage.direct, run)) === 7);
  });
});
