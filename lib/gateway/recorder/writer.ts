import type { Kysely } from "kysely";
import { ensureCallPartitions, insertCalls } from "@/lib/db/call-ledger";
import type { DB } from "@/lib/db/schema";
import { classifyFailure, describeError, type FailureKind } from "./classify";
import { toRow, type CallRecord } from "./record";

export interface DeadRecord {
  record: CallRecord;
  error: { code?: string; message: string };
}

export interface WriteResult {
  /** Rows the database accepted as new. */
  inserted: number;
  /** Rows already present (a redelivery): skipped by `on conflict do nothing`. */
  duplicates: number;
  /** Rows no retry can land, with the reason. */
  dead: DeadRecord[];
  /** Insert statements issued (one per batch unless a bad row forced a bisection). */
  statements: number;
}

/** The batch could not be written for a reason that is not the rows' fault: keep it and retry. */
export class TransientWriteError extends Error {
  constructor(
    readonly kind: Exclude<FailureKind, "data">,
    readonly cause: unknown,
  ) {
    super(`${kind} failure: ${describeError(cause).message}`);
    this.name = "TransientWriteError";
  }
}

/** Rejects with an ETIMEDOUT-coded error (classified "connection") when `ms` passes first. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} timed out after ${ms} ms`), { code: "ETIMEDOUT" })), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** One statement for the whole batch (lib/db/call-ledger.ts), bounded by the write timeout. */
function insertOnce(db: Kysely<DB>, rows: CallRecord[], timeoutMs: number): Promise<number> {
  return withTimeout(insertCalls(db, rows.map(toRow)), timeoutMs, "recorder insert");
}

/** Creates the monthly partitions the rows need (bounded: a date decades off is a bad row). */
async function ensurePartitionsFor(db: Kysely<DB>, rows: CallRecord[]): Promise<void> {
  const times = rows.map((r) => new Date(r.created_at).getTime()).filter((t) => Number.isFinite(t));
  if (times.length === 0) return;
  const from = new Date(Math.min(...times));
  const to = new Date(Math.max(...times));
  const now = Date.now();
  const yearMs = 366 * 24 * 3600 * 1000;
  if (now - from.getTime() > 5 * yearMs || to.getTime() - now > yearMs) return;
  await ensureCallPartitions(db, from.toISOString().slice(0, 10), to.toISOString().slice(0, 10));
}

/**
 * Writes a batch idempotently. A data error bisects the batch until the bad rows stand alone,
 * so one poison record costs about 2·log2(batch) extra statements and never blocks the others.
 * Any other failure throws TransientWriteError with nothing dead-lettered; rows that landed
 * before it are harmless to retry because the insert skips existing keys.
 */
export async function writeBatch(db: Kysely<DB>, rows: CallRecord[], timeoutMs = 15_000): Promise<WriteResult> {
  const result: WriteResult = { inserted: 0, duplicates: 0, dead: [], statements: 0 };
  let partitionsTried = false;

  const attempt = async (part: CallRecord[]): Promise<void> => {
    if (part.length === 0) return;
    try {
      result.statements += 1;
      const inserted = await insertOnce(db, part, timeoutMs);
      result.inserted += inserted;
      result.duplicates += part.length - inserted;
      return;
    } catch (err) {
      let kind = classifyFailure(err);
      if (kind === "partition" && !partitionsTried) {
        partitionsTried = true;
        try {
          await ensurePartitionsFor(db, part);
        } catch (ensureErr) {
          if (classifyFailure(ensureErr) === "connection") throw new TransientWriteError("connection", ensureErr);
        }
        return attempt(part);
      }
      // Still no partition after creating them: the row's date is unplaceable, i.e. bad data.
      if (kind === "partition") kind = "data";
      if (kind !== "data") throw new TransientWriteError(kind, err);
      if (part.length === 1) {
        result.dead.push({ record: part[0]!, error: describeError(err) });
        return;
      }
      const middle = Math.ceil(part.length / 2);
      await attempt(part.slice(0, middle));
      await attempt(part.slice(middle));
    }
  };

  await attempt(rows);
  return result;
}
