import type { Kysely } from "kysely";
import { probeDatabase } from "@/lib/db/call-ledger";
import type { DB } from "@/lib/db/schema";
import { errorMessage } from "@/lib/errors";
import { classifyFailure } from "./classify";
import { Journal } from "./journal";
import { MAX_ROWS_PER_STATEMENT, type CallRecord } from "./record";
import { Spool } from "./spool";
import type { Recorder, RecorderLog, RecorderOptions, RecorderStats } from "./types";
import { TransientWriteError, withTimeout, writeBatch, type WriteResult } from "./writer";

export type { CallRecord } from "./record";
export type { Recorder, RecorderLog, RecorderOptions, RecorderStats } from "./types";

const consoleLog: RecorderLog = (level, message) => console[level](`[recorder] ${message}`);

export function createRecorder(options: RecorderOptions): Recorder {
  return new BufferedRecorder(options);
}

class BufferedRecorder implements Recorder {
  private readonly getDb: () => Promise<Kysely<DB>>;
  private readonly spool: Spool;
  /** Null when journaling is off (benchmarks comparing its cost). */
  private readonly journal: Journal | null;
  private readonly log: RecorderLog;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly maxBuffer: number;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;
  private readonly writeTimeoutMs: number;
  private readonly dbFreshMs: number;
  private readonly closeRetryMs: number;

  private buffer: CallRecord[] = [];
  /** The rows the running drain took and has not settled yet; spoolSync() needs them at exit. */
  private inFlight: CallRecord[] = [];
  private inFlightDone = 0;
  private draining: Promise<void> | undefined;
  private replaying: Promise<void> | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private replayTimer: NodeJS.Timeout | undefined;
  private backoff: number;
  /** Circuit: while down, flushes go straight to the spool and only the replayer probes the database. */
  private down = false;
  private spoolBroken = false;
  /** When a write or a probe last proved the database reachable (0: never). */
  private dbOkAt = 0;
  /** The buffer holds records whose journal append failed: memory is their only copy. */
  private memoryOnly = false;
  /** The refusal reason last logged (null: accepting), so each change is logged once. */
  private refusal: string | null = null;
  /** Set while the recorder refuses new calls; probes the spool and the database until one is back. */
  private probeTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly counts = { recorded: 0, written: 0, duplicates: 0, failedBatches: 0, statements: 0 };

  constructor(options: RecorderOptions) {
    this.getDb = options.getDb;
    this.log = options.log ?? consoleLog;
    this.flushIntervalMs = options.flushIntervalMs ?? 50;
    this.maxBatch = Math.max(1, Math.min(options.maxBatch ?? 500, MAX_ROWS_PER_STATEMENT));
    this.maxBuffer = Math.max(this.maxBatch, options.maxBuffer ?? 20_000);
    this.retryMinMs = options.retryMinMs ?? 250;
    this.retryMaxMs = options.retryMaxMs ?? 5_000;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 15_000;
    this.dbFreshMs = options.dbFreshMs ?? 1_000;
    this.closeRetryMs = options.closeRetryMs ?? 8_000;
    this.backoff = this.retryMinMs;
    this.spool = new Spool(options.spoolDir ?? ".data/spool", options.segmentBytes);
    this.spool.ready.catch((err: unknown) => this.log("error", `spool directory unusable: ${errorMessage(err)}`));
    this.journal = options.journal === false ? null : new Journal(this.spool.dir, this.spool.owner, (m) => this.log("error", m));
    // Crash safety: whatever a previous process left in the spool is replayed right away.
    this.scheduleReplay(0);
  }

  record(row: CallRecord): void {
    this.counts.recorded += 1;
    if (this.closed) {
      this.spoolSyncRows([row]);
      return;
    }
    this.buffer.push(row);
    this.journal?.append(row);
    if (this.journal?.broken) this.memoryOnly = true;
    const size = this.buffer.length;
    if (size >= this.maxBuffer && !this.spoolBroken) this.spill();
    else if (size >= this.maxBatch) this.kick();
    else this.armFlushTimer();
  }

  async flush(): Promise<void> {
    if (this.draining) await this.draining;
    // What was recorded before this call is now settled, in the buffer, or in a drain that the
    // previous one started on finishing: one more drain covers all of it.
    if (!this.draining && this.buffer.length > 0) this.kick();
    if (this.draining) await this.draining;
    await this.spool.idle();
  }

  replay(): Promise<void> {
    if (this.replaying) return this.replaying;
    clearTimeout(this.replayTimer);
    this.replayTimer = undefined;
    this.replaying = this.replayAll()
      .catch((err: unknown) => this.log("error", `replay failed: ${errorMessage(err)}`))
      .finally(() => {
        this.replaying = undefined;
        if (!this.stopping && this.spool.hasData()) this.scheduleReplay();
      });
    return this.replaying;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  spoolSync(): number {
    const rows = [...this.inFlight.slice(this.inFlightDone), ...this.buffer];
    this.buffer = [];
    const written = this.spoolSyncRows(rows);
    // Everything in memory (and queued for the spool) is now in a sealed, fsync'd segment.
    if (written !== null) {
      try {
        this.journal?.discardAllSync();
      } catch (err) {
        this.log("warn", `journal cleanup failed (${errorMessage(err)}); its records will be replayed once more, harmlessly`);
      }
    }
    return written ?? 0;
  }

  /**
   * False while a call could not be accounted for: the database is unreachable and the spool
   * cannot be written; or the spool is broken and the memory buffer is full; or the journal cannot
   * be trusted (a write failed, or its disk reserve is spent) and no database write or probe in the
   * last dbFreshMs proves the database reachable. The database's state counts as unknown until a
   * write proves it, so a disk that fills up while the database is silently gone never lets an
   * answered call live in memory only. The handlers refuse new calls (503); a probe (every
   * retryMinMs while the journal is unsafe, with backoff while the database is down) notices the
   * database, the spool or the reserve coming back.
   */
  accepting(): boolean {
    const reason = this.refusalReason();
    if (reason !== this.refusal) {
      if (reason) this.log("error", `refusing new calls (503): ${reason}`);
      else this.log("info", `accepting calls again (was: ${this.refusal})`);
      this.refusal = reason;
    }
    if (reason || (this.journal && !this.journal.safe())) this.armProbe();
    return reason === null;
  }

  private refusalReason(): string | null {
    if (this.spoolBroken && this.down) return "database unreachable and spool not writable";
    if (this.spoolBroken && this.buffer.length >= this.maxBuffer) return "spool not writable and the memory buffer is full";
    if (this.journal && !this.journal.safe() && !this.dbProven()) return "journal not writable (or its disk reserve spent) and the database not proven reachable";
    return null;
  }

  /** A write or probe succeeded within dbFreshMs and little is waiting in memory. */
  private dbProven(): boolean {
    return !this.down && Date.now() - this.dbOkAt <= this.dbFreshMs && this.buffer.length < this.maxBatch;
  }

  stats(): RecorderStats {
    return {
      ...this.counts,
      pending: this.buffer.length + this.inFlight.length - this.inFlightDone + this.spool.queued(),
      spooled: this.spool.records(),
      deadLettered: this.spool.deadLettered,
      databaseDown: this.down,
      spoolWritable: !this.spoolBroken,
      journalWritable: !(this.journal?.broken ?? false),
      journalReserve: this.journal?.safe() ?? true,
      accepting: this.accepting(),
      refusal: this.refusal,
    };
  }

  /** Unref'd: a pending flush must not keep a finished process alive (exit hooks spool the rest). */
  private armFlushTimer(): void {
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      this.kick();
    }, this.flushIntervalMs).unref();
  }

  /** Starts a drain unless one is running; the running one re-arms itself when it ends. */
  private kick(): void {
    if (this.draining) return;
    this.draining = this.drain()
      .catch((err: unknown) => this.log("error", `flush failed: ${errorMessage(err)}`))
      .finally(() => {
        this.draining = undefined;
        if (this.buffer.length >= this.maxBatch) this.kick();
        else if (this.buffer.length > 0) this.armFlushTimer();
      });
  }

  private async drain(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const rows = this.buffer;
    this.buffer = [];
    const journals = this.journal?.take() ?? [];
    if (rows.length === 0) return this.journal?.discard(journals);
    // With the spool broken too, every flush is also a probe of the database.
    if (this.down && !this.spoolBroken) return this.toSpool(rows, journals);
    this.inFlight = rows;
    this.inFlightDone = 0;
    try {
      const db = await withTimeout(this.getDb(), this.writeTimeoutMs, "getDb");
      for (let i = 0; i < rows.length; i += this.maxBatch) {
        await this.account(await writeBatch(db, rows.slice(i, i + this.maxBatch), this.writeTimeoutMs));
        this.inFlightDone = i + this.maxBatch;
      }
      this.dbOkAt = Date.now();
      this.journal?.discard(journals);
      if (this.buffer.length === 0) this.memoryOnly = false;
      if (this.down) this.markUp();
    } catch (err) {
      // Whatever did not land goes to disk; rows of the failed batch that did land are skipped on replay.
      this.counts.failedBatches += 1;
      this.markDown(err);
      const rest = rows.slice(this.inFlightDone);
      this.inFlight = [];
      await this.toSpool(rest, journals);
    } finally {
      this.inFlight = [];
      this.inFlightDone = 0;
    }
  }

  /** Buffer over maxBuffer (the database is slow or down): move it to disk and let replay catch up. */
  private spill(): void {
    const rows = this.buffer;
    this.buffer = [];
    void this.toSpool(rows, this.journal?.take() ?? []);
  }

  /** `journals`: the journal files holding these rows, discarded once the rows are fsync'd. */
  private async toSpool(rows: CallRecord[], journals: string[]): Promise<void> {
    try {
      await this.spool.append(rows);
      this.journal?.discard(journals);
      this.spoolBroken = false;
      if (this.buffer.length === 0) this.memoryOnly = false;
      this.scheduleReplay();
    } catch (err) {
      // Disk full or unwritable: memory is the only place left. Keep them and retry on the next flush.
      if (!this.spoolBroken) {
        this.log("error", `spool write failed (${errorMessage(err)}); holding ${rows.length} record(s) in memory`);
        if (this.down) this.log("error", "cannot record calls: database unreachable and spool not writable; refusing new calls until one is back");
      }
      this.spoolBroken = true;
      this.buffer = rows.concat(this.buffer);
      this.journal?.carry(journals);
      this.armFlushTimer();
    }
  }

  /**
   * While refusing, or while the journal is unsafe: remakes the journal's reserve, checks the spool
   * directory and the database (`select 1`, which keeps dbProven() fresh while the journal cannot
   * be trusted). Re-arms itself from accepting() and after each run while either condition holds.
   */
  private armProbe(): void {
    if (this.probeTimer || this.closed) return;
    this.probeTimer = setTimeout(() => {
      void this.probe().finally(() => {
        this.probeTimer = undefined;
        if (this.refusalReason() || (this.journal && !this.journal.safe())) this.armProbe();
      });
    }, this.down ? this.backoff : this.retryMinMs).unref();
  }

  private async probe(): Promise<void> {
    this.journal?.reserve();
    if (this.spoolBroken && (await this.spool.writable())) this.spoolBroken = false;
    try {
      const db = await withTimeout(this.getDb(), this.writeTimeoutMs, "getDb");
      await withTimeout(probeDatabase(db), this.writeTimeoutMs, "probe");
      this.dbOkAt = Date.now();
      this.markUp();
    } catch (err) {
      if (!this.down) this.markDown(err);
      else this.backoff = Math.min(this.backoff * 2, this.retryMaxMs);
      return;
    }
    if (this.buffer.length > 0) this.kick();
  }

  private async account(result: WriteResult): Promise<void> {
    this.counts.written += result.inserted;
    this.counts.duplicates += result.duplicates;
    this.counts.statements += result.statements;
    if (result.dead.length === 0) return;
    const first = result.dead[0]!.error;
    this.log("warn", `${result.dead.length} record(s) rejected by the database (${first.code ?? "?"}: ${first.message}); moved to the dead-letter file`);
    try {
      await this.spool.deadLetter(result.dead);
    } catch (err) {
      // The log is the last place they can go.
      this.log("error", `dead-letter write failed (${errorMessage(err)}): ${JSON.stringify(result.dead)}`);
    }
  }

  private markDown(err: unknown): void {
    if (!this.down) {
      const kind = err instanceof TransientWriteError ? err.kind : classifyFailure(err);
      const cause = err instanceof TransientWriteError ? err.cause : err;
      this.log("warn", `database unavailable (${kind}: ${errorMessage(cause)}); spooling records to ${this.spool.dir}`);
    }
    this.down = true;
    this.scheduleReplay();
  }

  private scheduleReplay(delay = this.backoff): void {
    if (this.spoolBroken) return; // nothing to replay from; the probe and the flushes try the database
    if (this.replayTimer || this.replaying || this.stopping) return;
    this.replayTimer = setTimeout(() => {
      this.replayTimer = undefined;
      void this.replay();
    }, delay).unref();
  }

  /** Oldest segment first; a segment is deleted only once all its rows are committed or dead-lettered. */
  private async replayAll(): Promise<void> {
    await this.spool.ready;
    for (;;) {
      if (this.stopping) return;
      const name = await this.spool.next();
      if (!name) {
        // Nothing on disk to prove the database back with (the spool itself failed, or held only
        // unreadable lines): let the next flush try the database directly.
        this.down = false;
        return;
      }
      const { records, invalid } = await this.spool.read(name);
      await this.spool.deadLetter(invalid);
      try {
        const db = await withTimeout(this.getDb(), this.writeTimeoutMs, "getDb");
        for (let i = 0; i < records.length; i += this.maxBatch) {
          if (this.stopping) return;
          await this.account(await writeBatch(db, records.slice(i, i + this.maxBatch), this.writeTimeoutMs));
          this.dbOkAt = Date.now();
          this.markUp();
        }
      } catch (err) {
        this.counts.failedBatches += 1;
        this.markDown(err);
        this.backoff = Math.min(this.backoff * 2, this.retryMaxMs);
        return;
      }
      await this.spool.remove(name);
    }
  }

  /**
   * The first replayed batch proves the database is back: new flushes go to it directly again
   * while the backlog drains, instead of the replayer chasing a spool that keeps growing.
   */
  private markUp(): void {
    if (!this.down) return;
    this.log("info", `database reachable again; replaying ${this.spool.records()} spooled record(s)`);
    this.down = false;
    this.backoff = this.retryMinMs;
  }

  private async shutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.replayTimer);
    this.replayTimer = undefined;
    clearTimeout(this.probeTimer);
    if (this.replaying) await this.replaying; // stops at the next batch boundary
    // With the spool broken, one more drain still tries the database. Records that are in memory
    // only (their journal append failed too) get more: the database is retried with backoff for up
    // to closeRetryMs; then the exit rescue is all that is left.
    let triedBroken = false;
    const deadline = Date.now() + this.closeRetryMs;
    let pause = this.retryMinMs;
    for (;;) {
      if (this.draining) await this.draining;
      else if (this.buffer.length > 0 && (!this.spoolBroken || !triedBroken)) {
        triedBroken ||= this.spoolBroken;
        this.kick();
      } else if (this.buffer.length > 0 && this.memoryOnly && Date.now() + pause < deadline) {
        if (pause === this.retryMinMs) this.log("error", `${this.buffer.length} record(s) are in memory only (journal and spool not writable, database unreachable); retrying the database for up to ${this.closeRetryMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, pause));
        pause = Math.min(pause * 2, this.retryMaxMs);
        this.kick();
      } else break;
    }
    this.journal?.dropReserve();
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    // From here on record() writes to disk synchronously, so nothing can wait in a buffer nobody drains.
    this.closed = true;
    this.spoolSync();
    await this.spool.close().catch((err: unknown) => this.log("error", `spool close failed: ${errorMessage(err)}`));
  }

  /** The number of rows written, or null when the write failed (then they are only in the log). */
  private spoolSyncRows(rows: CallRecord[]): number | null {
    if (rows.length === 0 && this.spool.queued() === 0) return 0;
    try {
      return this.spool.rescueSync(rows);
    } catch (err) {
      this.log("error", `synchronous spool write failed (${errorMessage(err)}): ${JSON.stringify(rows)}`);
      return null;
    }
  }
}
