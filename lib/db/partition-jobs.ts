import { errorMessage } from "@/lib/errors";
import type { Kysely } from "kysely";
import { runPartitionUpkeep, type UpkeepResult } from "./partitions";
import { runRetention, type RetentionResult } from "./retention";
import type { DB } from "./schema";

/**
 * The daily ledger job: partition upkeep, then retention. Run by the cron route
 * (/api/cron/partitions, Vercel Cron) and by a timer in long-running servers; either alone keeps
 * the ledger covered. Each part reports its own failure and never throws.
 */

export interface PartitionJobResult {
  upkeep: UpkeepResult | { error: string };
  retention: RetentionResult | { error: string };
}

const message = (err: unknown) => errorMessage(err);

export async function runPartitionJobs(db: Kysely<DB>, options: { now?: Date; log?: (line: string) => void } = {}): Promise<PartitionJobResult> {
  const log = options.log ?? ((line: string) => console.log(`[db] ${line}`));
  let upkeep: PartitionJobResult["upkeep"];
  try {
    upkeep = await runPartitionUpkeep(db, { now: options.now });
    if (upkeep.created > 0 || upkeep.moved > 0) log(`partitions: ${upkeep.created} created, ${upkeep.moved} row(s) moved out of the default partition`);
  } catch (err) {
    upkeep = { error: message(err) };
    log(`partition upkeep failed: ${upkeep.error}`);
  }
  let retention: PartitionJobResult["retention"];
  try {
    retention = await runRetention(db, { now: options.now, log });
  } catch (err) {
    retention = { error: message(err) };
    log(`retention failed: ${retention.error}`);
  }
  return { upkeep, retention };
}

const DAY_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

type TimerState = { timer?: NodeJS.Timeout };
const state: TimerState = ((globalThis as { __llmcpPartitionTimer?: TimerState }).__llmcpPartitionTimer ??= {});

/**
 * Runs the job about daily in this process: first 5–65 minutes after start, then every 24–25
 * hours. Jittered so a fleet started together does not run it at once (it is serialized in the
 * database anyway), unref'd so it never keeps a process alive. Started once per process.
 */
export function startPartitionTimer(getDb: () => Promise<Kysely<DB>>, random: () => number = Math.random): void {
  if (state.timer) return;
  const schedule = (delay: number) => {
    state.timer = setTimeout(() => {
      void getDb()
        .then((db) => runPartitionJobs(db))
        .catch((err: unknown) => console.error(`[db] partition job skipped: ${message(err)}`))
        .finally(() => schedule(DAY_MS + random() * HOUR_MS));
    }, delay);
    state.timer.unref();
  };
  schedule(5 * 60_000 + random() * HOUR_MS);
}

export function stopPartitionTimer(): void {
  clearTimeout(state.timer);
  state.timer = undefined;
}
