import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { claimSpoolDir, LOCK_FILE } from "@/lib/gateway/recorder/claim";
import { createRecorder, type Recorder } from "@/lib/gateway/recorder/recorder";
import { serialize } from "@/lib/gateway/recorder/record";
import { databaseTargets } from "@/tests/helpers/databases";
import { countRows, openOutage, quietLog, waitFor, type Outage } from "./recorder/helpers";
import { records } from "./recorder/records";

/**
 * One spool directory per instance (issue 16 item 8): instances on one RECORDER_SPOOL_DIR claim
 * separate directories, and a dead instance's spool (segments and journal) is adopted by exactly
 * one of the instances starting at once and replayed into llm_calls once.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const CHILD = path.join(import.meta.dirname, "recorder", "claim-child.ts");

/** A pid that certainly belonged to a process that is gone. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

/** What a SIGKILLed instance leaves: a locked directory with a sealed segment, an open one and a journal. */
function abandonedSpool(parent: string, run: number, n: number): string {
  const pid = deadPid();
  const dir = path.join(parent, `dead-host-${pid}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid, hostname: os.hostname(), token: "0123456789ab", instance: "dead", at: new Date().toISOString() }));
  const rows = records(run, n).map((r) => `${serialize(r)}\n`);
  const third = Math.floor(n / 3);
  fs.writeFileSync(path.join(dir, `seg-000001700000000-000000-${pid}-abcd0123.jsonl`), rows.slice(0, third).join(""));
  fs.writeFileSync(path.join(dir, `seg-000001700000001-000001-${pid}-abcd0123.jsonl.open`), rows.slice(third, 2 * third).join(""));
  fs.writeFileSync(path.join(dir, `jrn-000001700000002-000000-${pid}-abcd0123.jsonl`), rows.slice(2 * third).join(""));
  return dir;
}

/** A starting instance in its own process; it holds its claim until `<parent>/done` appears. */
function startClaimer(parent: string, id: string, procs: ChildProcess[]): Promise<{ dir: string; adopted: string[] }> {
  const proc = spawn(process.execPath, ["--import", "tsx", CHILD, parent, id], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  procs.push(proc);
  let out = "";
  let err = "";
  proc.stdout.on("data", (c: Buffer) => (out += c.toString()));
  proc.stderr.on("data", (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("claimer did not claim within 60 s")), 60_000);
    proc.stdout.on("data", () => {
      if (!out.includes("\n")) return;
      clearTimeout(timer);
      resolve(JSON.parse(out) as { dir: string; adopted: string[] });
    });
    proc.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`claimer exited ${code} before claiming: ${err.slice(-1000)}`));
    });
  });
}

describe.each(databaseTargets())("spool directory per instance on $name", { timeout: 120_000 }, (target) => {
  let outage: Outage;
  let run = 900;
  const parents: string[] = [];
  const open: Recorder[] = [];

  const parent = () => {
    const p = fs.mkdtempSync(path.join(os.tmpdir(), "llmcp-spools-"));
    parents.push(p);
    return p;
  };
  const recorder = (dir: string) => {
    const r = createRecorder({ getDb: () => outage.getDb(), spoolDir: dir, log: quietLog, retryMinMs: 20, retryMaxMs: 100 });
    open.push(r);
    return r;
  };

  beforeAll(async () => {
    outage = await openOutage(target);
  });
  afterEach(async () => {
    run += 1;
    for (const r of open.splice(0)) await r.close();
    for (const p of parents.splice(0)) fs.rmSync(p, { recursive: true, force: true });
  });
  afterAll(async () => {
    await outage?.close();
  });

  it("gives two instances on one parent directory separate, locked directories; a live namesake gets a suffix", () => {
    const p = parent();
    const a = claimSpoolDir(p, "gw-a");
    const b = claimSpoolDir(p, "gw-b");
    expect(a.dir).toBe(path.join(p, "gw-a"));
    expect(b.dir).toBe(path.join(p, "gw-b"));
    for (const c of [a, b]) expect(JSON.parse(fs.readFileSync(path.join(c.dir, LOCK_FILE), "utf8"))).toMatchObject({ pid: process.pid, hostname: os.hostname() });
    // The same INSTANCE_ID while its holder runs: never shared, never taken over.
    const twin = claimSpoolDir(p, "gw-a");
    expect(twin.dir).toBe(path.join(p, "gw-a.2"));
    expect(twin.adopted).toEqual([]);
    // Released (a clean close): the next claim of that name adopts what is left.
    fs.writeFileSync(path.join(a.dir, "seg-000001700000000-000000-1-00ff00ff.jsonl"), "{}\n");
    a.release();
    const again = claimSpoolDir(p, "gw-a");
    expect(again.dir).toBe(path.join(p, "gw-a"));
    expect(fs.readdirSync(again.dir).filter((f) => f.startsWith("seg-"))).toEqual(["seg-000001700000000-000000-1-00ff00ff.jsonl"]);
    for (const c of [b, twin, again]) c.release();
  });

  it("two records on one parent write to their own directories", async () => {
    const p = parent();
    const [a, b] = [claimSpoolDir(p, "one"), claimSpoolDir(p, "two")];
    await outage.down();
    const ra = recorder(a.dir);
    const rb = recorder(b.dir);
    for (const rec of records(run, 6)) ra.record(rec);
    for (const rec of records(run + 1000, 4)) rb.record(rec);
    await Promise.all([ra.flush(), rb.flush()]);
    expect(ra.stats().spooled).toBe(6);
    expect(rb.stats().spooled).toBe(4);
    const files = (dir: string) => fs.readdirSync(dir).filter((f) => f.startsWith("seg-"));
    expect(files(a.dir).length).toBeGreaterThan(0);
    expect(files(b.dir).length).toBeGreaterThan(0);
    expect(files(a.dir).some((f) => files(b.dir).includes(f))).toBe(false);
    await outage.up();
    await waitFor(async () => (await countRows(outage.direct, run)) === 6 && (await countRows(outage.direct, run + 1000)) === 4);
    a.release();
    b.release();
  });

  it("an abandoned spool (dead pid) is adopted by exactly one of two instances starting at once and replayed once", async () => {
    const p = parent();
    const N = 45;
    const dead = abandonedSpool(p, run, N);
    const procs: ChildProcess[] = [];
    try {
      const claims = Promise.all([startClaimer(p, "starter-1", procs), startClaimer(p, "starter-2", procs)]);
      fs.writeFileSync(path.join(p, "go"), "");
      const [one, two] = await claims;
      const winners = [one, two].filter((c) => c.adopted.length > 0);
      expect(winners).toHaveLength(1);
      expect(winners[0]!.adopted).toEqual([dead]);
      expect(fs.existsSync(dead)).toBe(false);
      // Recorders on both directories (as both instances start theirs): only the winner's has records.
      const r1 = recorder(one.dir);
      const r2 = recorder(two.dir);
      await waitFor(async () => (await countRows(outage.direct, run)) === N);
      await Promise.all([r1.replay(), r2.replay()]);
      const written = [r1, r2].map((r) => r.stats().written);
      expect(written.sort((x, y) => x - y)).toEqual([0, N]);
      expect(r1.stats().duplicates + r2.stats().duplicates).toBe(0);
      // A third instance starting while both run finds nothing to adopt.
      const later = claimSpoolDir(p, "starter-3");
      expect(later.adopted).toEqual([]);
      later.release();
    } finally {
      fs.writeFileSync(path.join(p, "done"), "");
      for (const proc of procs) proc.kill("SIGKILL");
    }
    expect(await countRows(outage.direct, run)).toBe(N);
  });
});
