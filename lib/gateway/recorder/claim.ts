import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isAlive } from "./files";
import { JOURNAL } from "./journal";

/**
 * One spool directory per running instance. Instances started from one folder (or sharing a
 * volume) all point RECORDER_SPOOL_DIR at the same parent; each claims `<parent>/<instance-id>/`
 * with a lock file (`.lock`: pid, hostname, a random token) that only it holds while it runs.
 *
 * - The instance id is INSTANCE_ID, else `<hostname>-<pid>`. A stable INSTANCE_ID (a container
 *   name, a StatefulSet pod) makes a restart find its own spool again.
 * - A directory is created whole: a temporary directory with the lock inside is renamed into place,
 *   so no other instance ever sees an instance directory without its lock.
 * - A lock is stale when it names this host and a process that is gone (or this process's pid
 *   with a token this process never issued: a restarted container whose server is pid 1 again).
 *   Locks of other hosts are never judged: their spools wait for their owner.
 * - Abandoned directories (stale lock) are adopted by renaming them, whole, into the adopter's own
 *   directory: rename(2) is atomic, so when several instances start at once exactly one wins and
 *   the others get ENOENT. The adopter then moves the files into its spool as sealed segments
 *   (journals included), which its replay sends to the database once. A crash mid-adoption leaves
 *   the renamed directory inside the adopter's, which is adopted with it by the next instance.
 * - Files a pre-instance version left directly in the parent (pids gone) are adopted the same way.
 */

export const LOCK_FILE = ".lock";
const ADOPTING = ".adopting-";
const SEGMENT = /^seg-\d+-\d+-\d+-[0-9a-f]+\.jsonl(\.open)?$/;
const LEGACY = /^(seg|jrn)-\d+-\d+-(\d+)-[0-9a-f]+\.jsonl(\.open)?$/;

interface Lock {
  pid: number;
  hostname: string;
  token: string;
  instance: string;
  at: string;
}

export interface SpoolClaim {
  /** The directory this instance owns: give it to the recorder as spoolDir. */
  dir: string;
  instanceId: string;
  /** Abandoned directories (and legacy files) moved into `dir` for replay. */
  adopted: string[];
  /** Gives the directory up (at a clean close): adoptable from then on. */
  release(): void;
}

/** Tokens of the locks this process holds: a lock with our pid but another token is stale. */
const held: Set<string> = ((globalThis as { __llmcpSpoolLocks?: Set<string> }).__llmcpSpoolLocks ??= new Set());

export function defaultInstanceId(source: Record<string, string | undefined> = process.env): string {
  const raw = source.INSTANCE_ID?.trim() || `${os.hostname()}-${process.pid}`;
  // A directory name: keep it to safe characters.
  return raw.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 100) || `instance-${process.pid}`;
}

function readLock(dir: string): Lock | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), "utf8")) as Lock;
  } catch {
    return null;
  }
}

/** Whether the directory's owner is certainly gone. A directory without a readable lock is left alone. */
export function isAbandoned(dir: string): boolean {
  const lock = readLock(dir);
  if (!lock || typeof lock.pid !== "number" || lock.hostname !== os.hostname()) return false;
  if (lock.pid === process.pid) return !held.has(lock.token);
  return !isAlive(lock.pid);
}

/** Creates `dir` with its lock already inside (rename of a prepared temporary directory). */
function createLocked(parent: string, name: string, token: string): boolean {
  const tmp = path.join(parent, `.new-${token}`);
  fs.mkdirSync(tmp, { recursive: true });
  const lock: Lock = { pid: process.pid, hostname: os.hostname(), token, instance: name, at: new Date().toISOString() };
  fs.writeFileSync(path.join(tmp, LOCK_FILE), `${JSON.stringify(lock)}\n`, { flag: "wx" });
  try {
    fs.renameSync(tmp, path.join(parent, name));
    return true;
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ENOTEMPTY") return false;
    throw err;
  }
}

/** Moves an abandoned directory into `into` atomically; false when another instance got it first. */
function takeOver(source: string, into: string, token: string): string | null {
  const target = path.join(into, `${ADOPTING}${path.basename(source)}-${token}`);
  try {
    fs.renameSync(source, target);
    return target;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EEXIST" || code === "ENOTEMPTY") return null;
    throw err;
  }
}

/** A journal's records become a sealed segment (same name, `seg-` prefix); open segments are sealed. */
function sealedName(file: string): string | null {
  if (JOURNAL.test(file)) return `seg-${file.slice("jrn-".length)}`;
  if (SEGMENT.test(file)) return file.replace(/\.open$/, "");
  return null;
}

/** Moves the files of an adopted directory (recursively: it may hold its own adoptions) into `dir`. */
function absorb(adopted: string, dir: string): void {
  for (const entry of fs.readdirSync(adopted, { withFileTypes: true })) {
    const from = path.join(adopted, entry.name);
    if (entry.isDirectory()) {
      if (entry.name.startsWith(ADOPTING)) absorb(from, dir);
      continue;
    }
    const name = sealedName(entry.name);
    if (name) {
      if (fs.statSync(from).size === 0) fs.rmSync(from, { force: true });
      else fs.renameSync(from, path.join(dir, name));
    } else if (entry.name.startsWith("dead-letter")) {
      fs.renameSync(from, path.join(dir, `dead-letter-${path.basename(adopted)}.jsonl`));
    }
  }
  fs.rmSync(adopted, { recursive: true, force: true });
}

/**
 * Claims this instance's spool directory under `parent` and adopts abandoned ones. Synchronous:
 * it runs once, before the recorder (and its replay) starts.
 */
export function claimSpoolDir(parent: string, instanceId = defaultInstanceId(), log: (m: string) => void = () => undefined): SpoolClaim {
  fs.mkdirSync(parent, { recursive: true });
  const token = randomBytes(6).toString("hex");
  held.add(token);
  let name = instanceId;
  let dir = path.join(parent, name);
  const adopted: string[] = [];
  for (let n = 2; !createLocked(parent, name, token); n++) {
    // Ours from an earlier run (or a dead namesake): take it over whole, then create ours fresh.
    if (isAbandoned(dir)) {
      const moved = takeOver(dir, parent, token);
      if (moved) {
        const renamed = path.join(parent, `${ADOPTING}${name}-${token}`);
        adopted.push(renamed);
      }
      continue;
    }
    if (n > 50) throw new Error(`no free spool directory for instance ${instanceId} under ${parent}`);
    log(`spool directory ${dir} is held by a running instance; using ${instanceId}.${n}`);
    name = `${instanceId}.${n}`;
    dir = path.join(parent, name);
  }
  // Our own earlier spool, renamed aside above, goes into the new directory first.
  for (const moved of adopted.splice(0)) {
    const inside = takeOver(moved, dir, token);
    if (inside) {
      absorb(inside, dir);
      adopted.push(moved);
    }
  }
  for (const entry of fs.readdirSync(parent, { withFileTypes: true })) {
    const full = path.join(parent, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === name || !isAbandoned(full)) continue;
      if (entry.name.startsWith(".new-")) {
        fs.rmSync(full, { recursive: true, force: true }); // a claim that crashed half-way: holds no records
        continue;
      }
      const inside = takeOver(full, dir, token);
      if (inside) {
        absorb(inside, dir);
        adopted.push(full);
      }
    } else {
      const legacy = LEGACY.exec(entry.name);
      if (!legacy || isAlive(Number(legacy[2]))) continue;
      const sealed = sealedName(entry.name);
      try {
        fs.renameSync(full, path.join(dir, sealed!));
        adopted.push(full);
      } catch {
        // Another instance moved it first.
      }
    }
  }
  if (adopted.length > 0) log(`adopted ${adopted.length} abandoned spool(s) into ${dir}: ${adopted.map((a) => path.basename(a)).join(", ")}`);
  return {
    dir,
    instanceId: name,
    adopted,
    release() {
      // The lock file stays: from now on it is stale, so whatever is left (records written at exit
      // included) is adopted by the next instance, which removes the directory once it is empty.
      held.delete(token);
    },
  };
}
