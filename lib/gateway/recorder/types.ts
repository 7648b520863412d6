import type { Kysely } from "kysely";
import type { DB } from "@/lib/db/schema";
import type { CallRecord } from "./record";

/** The recorder's contract, shared by the implementation, the shutdown hooks and the singleton. */

export type RecorderLog = (level: "info" | "warn" | "error", message: string) => void;

export interface RecorderOptions {
  /** The service-role database (serviceDb() in the app). Called per flush, so a reconnect is picked up. */
  getDb: () => Promise<Kysely<DB>>;
  /** Where records wait while the database is down. The caller reads RECORDER_SPOOL_DIR. */
  spoolDir?: string;
  /** How long a record may sit in memory before a flush: the window a hard crash can lose. */
  flushIntervalMs?: number;
  /** Rows per insert statement (capped by the protocol's 65,535 bind parameters). */
  maxBatch?: number;
  /** Records held in memory at most; beyond it they go to the spool instead of growing the heap. */
  maxBuffer?: number;
  /** Spool segment size before rotation. */
  segmentBytes?: number;
  /** Replay backoff while the database is down: doubles from min to max. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** An insert (or getDb) slower than this counts as a connection failure and is spooled. */
  writeTimeoutMs?: number;
  log?: RecorderLog;
  /** With the journal unsafe, calls are admitted only this soon after a database write or probe succeeded (default 1000). */
  dbFreshMs?: number;
  /** At close, records held in memory only are retried against the database this long (default 8000). */
  closeRetryMs?: number;
  /** Journal each record to the spool directory as it is recorded (kill -9 safety). Default true. */
  journal?: boolean;
}

export interface RecorderStats {
  /** record() calls. */
  recorded: number;
  /** In memory, not yet in the database or fsync'd to the spool. */
  pending: number;
  /** On disk, waiting for replay. */
  spooled: number;
  /** Rows inserted (fresh and replayed). */
  written: number;
  /** Rows skipped because the same (request_id, attempt, created_at) was already there. */
  duplicates: number;
  /** Records moved to dead-letter.jsonl: rejected by the database or unreadable. */
  deadLettered: number;
  /** Insert attempts that failed for a connection or systemic reason. */
  failedBatches: number;
  statements: number;
  databaseDown: boolean;
  /** False after a spool write failed, until one succeeds again. */
  spoolWritable: boolean;
  /** False after a journal append failed, until one succeeds again. */
  journalWritable: boolean;
  /** False when the journal failed or its disk reserve is spent (journal.ts): admission then needs a proven database. */
  journalReserve: boolean;
  /** See Recorder.accepting(). */
  accepting: boolean;
  /** Why new calls are refused (null while accepting). */
  refusal: string | null;
}

export interface Recorder {
  /**
   * Synchronous and O(1): the response path never waits for the database. On return the record is
   * in the crash journal (one write, no fsync), so a killed process loses no answered call.
   */
  record(row: CallRecord): void;
  /** Resolves when everything recorded before the call is in the database or fsync'd to the spool. */
  flush(): Promise<void>;
  /** Replays the spool now (also runs by itself with backoff). */
  replay(): Promise<void>;
  /** Flushes, stops the timers and seals the spool. Records after close go to disk synchronously. */
  close(): Promise<void>;
  /** At process exit: writes everything still in memory to the spool synchronously. */
  spoolSync(): number;
  stats(): RecorderStats;
  /**
   * Whether a new call can be accounted for. False when the database is unreachable and the
   * spool cannot be written (or the spool is broken and the memory buffer is full): the gateway
   * answers 503 instead of serving calls it could lose. True again as soon as either is back.
   */
  accepting(): boolean;
}
