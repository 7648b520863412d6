import fs from "node:fs";
import path from "node:path";
import { errorMessage } from "@/lib/errors";
import { serialize, type CallRecord } from "./record";

/**
 * The crash journal: each record is appended to a local file the moment record() is called, with
 * one write(2) on an open descriptor and no fsync. A killed process (kill -9, OOM killer) loses
 * its memory but not what the kernel already holds, so the next recorder on the directory finds
 * every answered call here. Power loss is the spool's job (fsync'd), not this file's.
 *
 * Files are `jrn-<ms>-<seq>-<pid>-<owner>.jsonl` in the spool directory, with the spool's owner id.
 * A file holds the records buffered since the previous take(): the drain that takes the buffer
 * takes the files too, and discards them once those rows are committed or fsync'd to the spool,
 * or carries them back when the rows go back to the buffer. A dead process's files are adopted by
 * the spool at start-up (spool.ts) and replayed like any sealed segment; the ledger's unique
 * (request_id, attempt, created_at) makes rows that had landed before the crash a no-op.
 */
export const JOURNAL = /^jrn-\d+-\d+-(\d+)-([0-9a-f]+)\.jsonl$/;

/**
 * The reserve: a file of real (not sparse) bytes kept beside the journal. When the disk fills up,
 * the append that fails with ENOSPC frees it and is retried, so the calls already admitted still
 * get journaled; from then on the journal is "on reserve" and the recorder admits new calls only
 * while the database is proven reachable (recorder.ts), until the reserve can be made again.
 */
export const RESERVE_BYTES = 256 * 1024;

export class Journal {
  private fd: number | null = null;
  private current: string | null = null;
  private seq = 0;
  /** Files taken by a drain or carried back, not yet discarded. */
  private readonly live = new Set<string>();
  private carried: string[] = [];
  private made = false;
  /** The last append failed (disk full, directory gone): records are only in memory until the next flush. */
  broken = false;
  /** Whether the reserve file exists at its full size. */
  private reserved = false;

  constructor(
    readonly dir: string,
    private readonly owner: string,
    private readonly onError: (message: string) => void,
    private readonly reserveBytes = RESERVE_BYTES,
  ) {
    this.reserve();
  }

  /** Appends can be trusted to land: the last one did and the reserve is in place for the next. */
  safe(): boolean {
    return !this.broken && (this.reserved || this.reserveBytes === 0);
  }

  /** Makes the reserve file if it is missing; false when the disk cannot hold it (or the directory is unusable). */
  reserve(): boolean {
    if (this.reserved || this.reserveBytes === 0) return true;
    const file = path.join(this.dir, `.reserve-${this.owner}`);
    try {
      if (!this.made) {
        fs.mkdirSync(this.dir, { recursive: true });
        this.made = true;
      }
      // Only with room to spare: filling the disk to test it would fail other writers' appends.
      const free = fs.statfsSync(this.dir);
      if (free.bavail * free.bsize < 2 * this.reserveBytes) return false;
      fs.writeFileSync(file, Buffer.alloc(this.reserveBytes, 10));
      this.reserved = true;
      this.broken = false; // the directory takes writes again: the next append will tell
    } catch {
      this.made = false;
      try {
        fs.rmSync(file, { force: true });
      } catch {
        // The directory itself is unusable: nothing was made.
      }
    }
    return this.reserved;
  }

  /** Frees the reserve's space for the append that just failed. */
  private release(): boolean {
    if (!this.reserved) return false;
    this.reserved = false;
    try {
      fs.rmSync(path.join(this.dir, `.reserve-${this.owner}`), { force: true });
      return true;
    } catch {
      return false;
    }
  }

  /** At close: the reserve is not data. */
  dropReserve(): void {
    this.release();
  }

  /** Synchronous: on return the record is in the kernel's hands, whatever happens to this process. */
  append(row: CallRecord): void {
    let line: string;
    try {
      line = `${serialize(row)}\n`;
    } catch {
      return; // unserializable: the spool dead-letters it when the flush gets there
    }
    try {
      this.write(line);
      this.broken = false;
    } catch (err) {
      // Disk full: spend the reserve on this record (and the others already admitted), then retry.
      if (this.release()) {
        this.closeCurrent();
        try {
          this.write(line);
          this.broken = false;
          this.onError(`journal: disk full (${errorMessage(err)}); the reserve was released and new calls are admitted only while the database is reachable`);
          return;
        } catch {
          // Still failing: fall through.
        }
      }
      if (!this.broken) this.onError(`journal write failed (${errorMessage(err)}); records are held in memory only until flushed`);
      this.broken = true;
      this.made = false; // the directory may have gone: make it again next time
      this.closeCurrent(); // the next append starts a fresh file, so a torn line cannot swallow it
    }
  }

  private write(line: string): void {
    if (this.fd === null) this.open();
    const bytes = Buffer.from(line);
    // A nearly full disk takes part of the line without an error: that is a failed write too.
    if (fs.writeSync(this.fd!, bytes) < bytes.length) throw Object.assign(new Error("short write (disk full)"), { code: "ENOSPC" });
  }

  /** Ends the current file and hands over every file whose rows the caller now holds. */
  take(): string[] {
    this.closeCurrent();
    const names = this.carried;
    this.carried = [];
    return names;
  }

  /** The rows went back to the buffer: their files go with the next take(). */
  carry(names: string[]): void {
    this.carried = names.concat(this.carried);
  }

  /** The rows of these files are committed or fsync'd elsewhere. */
  discard(names: string[]): void {
    // Live until removed: an exit in between removes it synchronously (discardAllSync).
    // unlink, not rm: one system call per file (fs.rm stats first), once per flush on the hot path.
    for (const name of names) fs.unlink(path.join(this.dir, name), () => this.live.delete(name));
  }

  /** At exit, once everything in memory was written to the spool synchronously. */
  discardAllSync(): void {
    this.closeCurrent();
    for (const name of this.live) fs.rmSync(path.join(this.dir, name), { force: true });
    this.live.clear();
    this.carried = [];
  }

  private open(): void {
    if (!this.made) {
      fs.mkdirSync(this.dir, { recursive: true });
      this.made = true;
    }
    const seq = String(this.seq++).padStart(6, "0");
    const name = `jrn-${String(Date.now()).padStart(15, "0")}-${seq}-${process.pid}-${this.owner}.jsonl`;
    this.fd = fs.openSync(path.join(this.dir, name), "a");
    this.current = name;
    this.live.add(name);
  }

  private closeCurrent(): void {
    if (this.fd !== null) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // Already unusable; the data written so far is in the file regardless.
      }
    }
    if (this.current) this.carried.push(this.current);
    this.fd = null;
    this.current = null;
  }
}
