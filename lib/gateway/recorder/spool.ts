import { randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp, { type FileHandle } from "node:fs/promises";
import path from "node:path";
import { describeError } from "./classify";
import { deadLine, isAlive, syncDirectory } from "./files";
import { JOURNAL } from "./journal";
import { deserialize, serialize, type CallRecord } from "./record";

/**
 * The disk spool: records the database could not take, as JSON lines in segment files, fsync'd
 * before the writer is told they are safe. A segment being written is `<name>.jsonl.open`; it is
 * renamed to `<name>.jsonl` (sealed) when it reaches the size limit, when the replayer wants it,
 * or on close. Only sealed segments are replayed, so a reader never races a writer. Names sort
 * oldest first and carry the writer's pid and a random owner id: at start-up a recorder adopts the
 * open segments of processes that are gone (a crash), or that had its own pid (a restarted
 * container where the server is always pid 1). One recorder per spool directory per process.
 * The recorder's crash journal (journal.ts) shares the directory and the owner id; a dead
 * process's journal files are adopted the same way, renamed to sealed segments of this spool.
 */
const SEGMENT = /^seg-\d+-\d+-(\d+)-([0-9a-f]+)\.jsonl(\.open)?$/;
export const DEAD_LETTER_FILE = "dead-letter.jsonl";

export interface DeadLetter {
  error: { code?: string; message: string };
  record?: CallRecord;
  /** A line that could not be parsed back into a record. */
  raw?: string;
}

interface Waiter {
  rows: CallRecord[];
  resolve(): void;
  reject(err: unknown): void;
}

interface Active {
  name: string;
  handle: FileHandle;
  bytes: number;
  records: number;
}

export class Spool {
  readonly owner = randomBytes(4).toString("hex");
  private seq = 0;
  private lockTail: Promise<unknown> = Promise.resolve();
  private active: Active | undefined;
  private readonly sealed = new Map<string, number>();
  private queue: Waiter[] = [];
  private writing: Waiter[] = [];
  private worker: Promise<void> | undefined;
  /** Resolves once the directory exists and left-over segments are adopted (retried by ensureReady()). */
  ready: Promise<void>;
  private readyFailed = false;
  deadLettered = 0;

  constructor(
    readonly dir: string,
    private readonly segmentBytes = 8 * 1024 * 1024,
  ) {
    this.ready = this.startAdopt();
  }

  private startAdopt(): Promise<void> {
    this.readyFailed = false;
    const ready = this.adopt();
    ready.catch(() => (this.readyFailed = true)); // surfaced by the first append instead
    return ready;
  }

  /** The directory set up, trying again if it was unusable before (it may have been fixed since). */
  ensureReady(): Promise<void> {
    if (this.readyFailed) this.ready = this.startAdopt();
    return this.ready;
  }

  /** Whether a file can be written in the directory right now (the recorder's recovery probe). */
  async writable(): Promise<boolean> {
    try {
      await this.ensureReady();
      const probe = path.join(this.dir, `.probe-${this.owner}`);
      await fsp.writeFile(probe, "");
      await fsp.rm(probe, { force: true });
      return true;
    } catch {
      return false;
    }
  }

  /** Records on disk waiting for replay. */
  records(): number {
    let n = this.active?.records ?? 0;
    for (const count of this.sealed.values()) n += count;
    return n;
  }

  /** Records handed to append() and not yet fsync'd. */
  queued(): number {
    let n = 0;
    for (const w of [...this.writing, ...this.queue]) n += w.rows.length;
    return n;
  }

  hasData(): boolean {
    return this.sealed.size > 0 || (this.active?.records ?? 0) > 0 || this.queue.length > 0;
  }

  /** Resolves when the records are durably on disk. Concurrent appends share one fsync. */
  append(rows: CallRecord[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.worker ??= this.drainQueue();
    });
  }

  /** Waits until every append so far has settled. */
  async idle(): Promise<void> {
    while (this.worker) await this.worker;
  }

  /** The oldest sealed segment, sealing the open one first when nothing else is left. */
  next(): Promise<string | undefined> {
    return this.exclusive(async () => {
      if (this.sealed.size === 0 && (this.active?.records ?? 0) > 0) await this.seal();
      return [...this.sealed.keys()].sort()[0];
    });
  }

  async read(name: string): Promise<{ records: CallRecord[]; invalid: DeadLetter[] }> {
    let text: string;
    try {
      text = await fsp.readFile(path.join(this.dir, name), "utf8");
    } catch (err) {
      // Another process sharing the directory replayed and removed it: nothing left to do.
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return { records: [], invalid: [] };
      throw err;
    }
    const records: CallRecord[] = [];
    const invalid: DeadLetter[] = [];
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      const parsed = deserialize(line);
      // A torn last line (crash mid-write) or a hand-edited file: keep the text, move on.
      if ("invalid" in parsed) invalid.push({ error: { message: parsed.invalid }, raw: line });
      else records.push(parsed);
    }
    return { records, invalid };
  }

  /** Deletes a segment. Call only after every one of its records is committed or dead-lettered. */
  async remove(name: string): Promise<void> {
    await fsp.rm(path.join(this.dir, name), { force: true });
    this.sealed.delete(name);
  }

  deadLetter(entries: DeadLetter[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return this.exclusive(() => this.writeDeadLetters(entries));
  }

  /** Finishes pending appends and seals the open segment so the next process replays it at once. */
  async close(): Promise<void> {
    await this.idle();
    await this.exclusive(() => this.seal());
  }

  /**
   * Last resort at process exit, when nothing asynchronous will run again: writes `extra` plus
   * whatever appends are still queued or mid-write into a new sealed segment, synchronously.
   * A group that was in fact already written is then on disk twice; replay is idempotent.
   */
  rescueSync(extra: CallRecord[]): number {
    const rows = [...extra];
    for (const w of [...this.writing, ...this.queue]) rows.push(...w.rows);
    this.queue = [];
    if (rows.length === 0) return 0;
    fs.mkdirSync(this.dir, { recursive: true });
    const lines: string[] = [];
    const dead: DeadLetter[] = [];
    for (const row of rows) {
      try {
        lines.push(serialize(row));
      } catch (err) {
        dead.push({ error: describeError(err), record: row });
      }
    }
    if (dead.length > 0) {
      fs.appendFileSync(path.join(this.dir, DEAD_LETTER_FILE), dead.map(deadLine).join(""));
      this.deadLettered += dead.length;
    }
    if (lines.length === 0) return 0;
    const name = this.segmentName();
    const openPath = path.join(this.dir, `${name}.open`);
    const fd = fs.openSync(openPath, "a");
    try {
      fs.writeSync(fd, lines.map((l) => `${l}\n`).join(""));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(openPath, path.join(this.dir, name));
    this.sealed.set(name, lines.length);
    return lines.length;
  }

  private async drainQueue(): Promise<void> {
    try {
      await this.ensureReady();
      while (this.queue.length > 0) {
        const group = this.queue;
        this.queue = [];
        this.writing = group;
        try {
          await this.exclusive(() => this.writeGroup(group));
          for (const w of group) w.resolve();
        } catch (err) {
          for (const w of group) w.reject(err);
        } finally {
          this.writing = [];
        }
      }
    } catch (err) {
      // The directory itself is unusable: fail everything queued so the caller keeps it in memory.
      for (const w of this.queue.splice(0)) w.reject(err);
    } finally {
      this.worker = undefined;
    }
  }

  private async writeGroup(group: Waiter[]): Promise<void> {
    const lines: string[] = [];
    const dead: DeadLetter[] = [];
    for (const w of group) {
      for (const row of w.rows) {
        try {
          lines.push(serialize(row));
        } catch (err) {
          // Unserializable (circular, BigInt): it could never be inserted either.
          dead.push({ error: describeError(err), record: row });
        }
      }
    }
    await this.writeDeadLetters(dead);
    if (lines.length === 0) return;
    const data = lines.map((l) => `${l}\n`).join("");
    const active = this.active ?? (await this.openSegment());
    try {
      await active.handle.appendFile(data);
      await active.handle.datasync();
    } catch (err) {
      // Start the next append on a fresh file so a torn line cannot swallow the next record.
      await this.seal().catch(() => undefined);
      throw err;
    }
    active.bytes += Buffer.byteLength(data);
    active.records += lines.length;
    if (active.bytes >= this.segmentBytes) await this.seal();
  }

  private async writeDeadLetters(entries: DeadLetter[]): Promise<void> {
    if (entries.length === 0) return;
    const handle = await fsp.open(path.join(this.dir, DEAD_LETTER_FILE), "a");
    try {
      await handle.appendFile(entries.map(deadLine).join(""));
      await handle.datasync();
    } finally {
      await handle.close();
    }
    this.deadLettered += entries.length;
  }

  private segmentName(): string {
    const seq = String(this.seq++).padStart(6, "0");
    return `seg-${String(Date.now()).padStart(15, "0")}-${seq}-${process.pid}-${this.owner}.jsonl`;
  }

  private async openSegment(): Promise<Active> {
    const name = this.segmentName();
    const handle = await fsp.open(path.join(this.dir, `${name}.open`), "a");
    await syncDirectory(this.dir); // the new directory entry must survive a power loss too
    this.active = { name, handle, bytes: 0, records: 0 };
    return this.active;
  }

  private async seal(): Promise<void> {
    const active = this.active;
    if (!active) return;
    this.active = undefined;
    // Counted as sealed at once, so records() never dips while the file is renamed.
    this.sealed.set(active.name, active.records);
    await active.handle.close();
    const openPath = path.join(this.dir, `${active.name}.open`);
    const { size } = await fsp.stat(openPath);
    if (size > 0) return fsp.rename(openPath, path.join(this.dir, active.name));
    this.sealed.delete(active.name);
    await fsp.rm(openPath, { force: true });
  }

  private async adopt(): Promise<void> {
    await fsp.mkdir(this.dir, { recursive: true });
    for (const file of await fsp.readdir(this.dir)) {
      const journal = JOURNAL.exec(file);
      if (journal) {
        await this.adoptJournal(file, Number(journal[1]), journal[2]!);
        continue;
      }
      const match = SEGMENT.exec(file);
      if (!match) continue;
      let name = file;
      if (match[3]) {
        const pid = Number(match[1]);
        if (match[2] === this.owner || (pid !== process.pid && isAlive(pid))) continue;
        name = file.slice(0, -".open".length);
        await fsp.rename(path.join(this.dir, file), path.join(this.dir, name));
      }
      const text = await fsp.readFile(path.join(this.dir, name), "utf8");
      this.sealed.set(name, text.split("\n").filter((l) => l.trim() !== "").length);
    }
  }

  /** A dead process's journal becomes a sealed segment of ours: replayed once, then removed. */
  private async adoptJournal(file: string, pid: number, owner: string): Promise<void> {
    if (owner === this.owner || (pid !== process.pid && isAlive(pid))) return;
    const text = await fsp.readFile(path.join(this.dir, file), "utf8");
    const lines = text.split("\n").filter((l) => l.trim() !== "").length;
    if (lines === 0) return fsp.rm(path.join(this.dir, file), { force: true });
    const name = this.segmentName();
    await fsp.rename(path.join(this.dir, file), path.join(this.dir, name));
    this.sealed.set(name, lines);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lockTail.then(fn);
    this.lockTail = run.catch(() => undefined);
    return run;
  }
}
