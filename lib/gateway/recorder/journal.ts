import fs from "node:fs";
import path from "node:path";
import { messageOf } from "./classify";
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

  constructor(
    readonly dir: string,
    private readonly owner: string,
    private readonly onError: (message: string) => void,
  ) {}

  /** Synchronous: on return the record is in the kernel's hands, whatever happens to this process. */
  append(row: CallRecord): void {
    let line: string;
    try {
      line = `${serialize(row)}\n`;
    } catch {
      return; // unserializable: the spool dead-letters it when the flush gets there
    }
    try {
      if (this.fd === null) this.open();
      fs.writeSync(this.fd!, line);
      this.broken = false;
    } catch (err) {
      if (!this.broken) this.onError(`journal write failed (${messageOf(err)}); records are held in memory only until flushed`);
      this.broken = true;
      this.made = false; // the directory may have gone: make it again next time
      this.closeCurrent(); // the next append starts a fresh file, so a torn line cannot swallow it
    }
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
    for (const name of names) fs.rm(path.join(this.dir, name), { force: true }, () => this.live.delete(name));
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
