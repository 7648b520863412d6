import { errorDetail } from "@/lib/errors";
import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { countRepriceCandidates, loadRepriceContext, repriceBatch, REPRICE_BATCH, type RepriceCursor } from "./reprice-costs";
import type { DB } from "./schema";
import { withServiceActor } from "./service-actor";

/**
 * Repricing as a resumable background job (table reprice_jobs). One job at a time: a unique
 * index admits one queued-or-running row, so a second start returns the active job.
 *
 * A runner claims the job with a lease (lease_id + heartbeat_at). Each batch reprices calls and
 * saves the cursor and counters in ONE transaction, conditional on still holding the lease: a
 * crash loses at most the uncommitted batch, which the next runner redoes. A running job whose
 * heartbeat is older than STALE_AFTER_MS is taken over (the cron route, or the next start).
 *
 * Every function here takes the SERVICE PATH (users have select-only grants on reprice_jobs and
 * none on writing llm_calls): callers check that the requester is a platform admin first.
 */

export type RepriceJobStatus = "queued" | "running" | "done" | "failed";

/** The job as the status route returns it (JSON-safe). */
export interface RepriceJob {
  id: string;
  status: RepriceJobStatus;
  trigger: "manual" | "import";
  modelCount: number | null;
  examined: number;
  changed: number;
  totalEstimate: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export const STALE_AFTER_MS = 2 * 60_000;

const COLUMNS = [
  "id", "status", "trigger", "model_ids", "examined", "changed", "total_estimate", "created_at", "started_at", "finished_at", "error",
] as const;

type JobRow = {
  id: string;
  status: RepriceJobStatus;
  trigger: "manual" | "import";
  model_ids: string[] | null;
  examined: number;
  changed: number;
  total_estimate: number | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  error: string | null;
};

export function toRepriceJob(row: JobRow): RepriceJob {
  return {
    id: row.id,
    status: row.status,
    trigger: row.trigger,
    modelCount: row.model_ids ? row.model_ids.length : null,
    examined: row.examined,
    changed: row.changed,
    totalEstimate: row.total_estimate,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    error: row.error,
  };
}

/** Reads under whatever role `db` runs as: under RLS (withUser) only platform admins see jobs. */
export async function loadRepriceJob(db: Kysely<DB>, id: string): Promise<RepriceJob | null> {
  const row = await db.selectFrom("reprice_jobs").select(COLUMNS).where("id", "=", id).executeTakeFirst();
  return row ? toRepriceJob(row) : null;
}

/** The active job, else the most recent one. */
export async function loadLatestRepriceJob(db: Kysely<DB>): Promise<RepriceJob | null> {
  const row = await db
    .selectFrom("reprice_jobs")
    .select(COLUMNS)
    .orderBy(sql`status in ('queued', 'running')`, "desc")
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? toRepriceJob(row) : null;
}

async function activeJob(db: Kysely<DB>): Promise<RepriceJob | null> {
  const row = await db.selectFrom("reprice_jobs").select(COLUMNS).where("status", "in", ["queued", "running"]).executeTakeFirst();
  return row ? toRepriceJob(row) : null;
}

export interface StartRepriceInput {
  requestedBy: string | null;
  /** null = every model. */
  modelIds: readonly string[] | null;
  trigger: "manual" | "import";
}

/** Queues a job, or returns the active one (created: false): one job at a time. */
export async function startRepriceJob(db: Kysely<DB>, input: StartRepriceInput): Promise<{ job: RepriceJob; created: boolean }> {
  const active = await activeJob(db);
  if (active) return { job: active, created: false };
  const modelIds = input.modelIds ? [...new Set(input.modelIds)] : null;
  const total = await countRepriceCandidates(db, await loadRepriceContext(db, modelIds));
  try {
    const row = await db
      .insertInto("reprice_jobs")
      .values({ requested_by: input.requestedBy, model_ids: modelIds, trigger: input.trigger, total_estimate: total })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    return { job: toRepriceJob(row), created: true };
  } catch (err) {
    // Another start won the race between our check and insert: theirs is the one job.
    if ((err as { code?: unknown }).code !== "23505") throw err;
    const winner = await activeJob(db);
    if (!winner) throw err;
    return { job: winner, created: false };
  }
}

export interface RunOptions {
  batchSize?: number;
  /** Epoch ms: past it, the runner hands the job back (status queued) for the next runner. */
  deadline?: number;
  /** Stop after this many batches WITHOUT releasing the lease, exactly as a crash would leave it. */
  maxBatches?: number;
  /** A running job whose heartbeat is older than this is taken over. */
  staleAfterMs?: number;
}

export type RunOutcome = "done" | "failed" | "yielded" | "stopped" | "lost_lease" | "not_claimed";

class LeaseLost extends Error {}

/** Claims the job (queued, or running with a stale heartbeat) and works it until done, deadline or error. */
export async function runRepriceJob(db: Kysely<DB>, jobId: string, opts: RunOptions = {}): Promise<RunOutcome> {
  const lease = randomUUID();
  const staleMs = opts.staleAfterMs ?? STALE_AFTER_MS;
  const claimed = await sql<{ model_ids: string[] | null; cursor_created_at: string | null; cursor_id: string | null }>`
    update public.reprice_jobs set status = 'running', lease_id = ${lease}::uuid, heartbeat_at = now(),
      started_at = coalesce(started_at, now()), error = null
    where id = ${jobId}::uuid
      and (status = 'queued' or (status = 'running' and (heartbeat_at is null or heartbeat_at <= now() - make_interval(secs => ${staleMs / 1000}))))
    returning model_ids, cursor_created_at::text as cursor_created_at, cursor_id`.execute(db);
  const job = claimed.rows[0];
  if (!job) return "not_claimed";

  let cursor: RepriceCursor | null = job.cursor_created_at && job.cursor_id ? { createdAt: job.cursor_created_at, id: job.cursor_id } : null;
  try {
    const ctx = await loadRepriceContext(db, job.model_ids);
    for (let batches = 0; ; batches++) {
      if (opts.maxBatches !== undefined && batches >= opts.maxBatches) return "stopped";
      if (opts.deadline !== undefined && Date.now() >= opts.deadline) {
        await db.updateTable("reprice_jobs").set({ status: "queued", lease_id: null }).where("id", "=", jobId).where("lease_id", "=", lease).execute();
        return "yielded";
      }
      const from: RepriceCursor | null = cursor;
      const step = await withServiceActor(db, "job:reprice", async (trx) => {
        const result = await repriceBatch(trx, ctx, from, { batchSize: opts.batchSize ?? REPRICE_BATCH, jobId });
        const saved = result.cursor
          ? await sql`update public.reprice_jobs set cursor_created_at = ${result.cursor.createdAt}::timestamptz,
                cursor_id = ${result.cursor.id}::uuid, examined = examined + ${result.examined}, changed = changed + ${result.changed},
                heartbeat_at = now()
              where id = ${jobId}::uuid and lease_id = ${lease}::uuid and status = 'running'`.execute(trx)
          : await sql`update public.reprice_jobs set status = 'done', finished_at = now(), heartbeat_at = now(), lease_id = null,
                total_estimate = greatest(coalesce(total_estimate, 0), examined)
              where id = ${jobId}::uuid and lease_id = ${lease}::uuid and status = 'running'`.execute(trx);
        // Someone took the job over (we looked stale): roll this batch back and leave it to them.
        if (Number(saved.numAffectedRows ?? 0n) === 0) throw new LeaseLost();
        return result;
      });
      if (!step.cursor) return "done";
      cursor = step.cursor;
    }
  } catch (err) {
    if (err instanceof LeaseLost) return "lost_lease";
    console.error(`[reprice] job ${jobId} failed: ${errorDetail(err)}`);
    await db
      .updateTable("reprice_jobs")
      .set({ status: "failed", finished_at: new Date(), lease_id: null, error: "Repricing failed; batches before the failure are kept, the failed one was rolled back." })
      .where("id", "=", jobId)
      .where("lease_id", "=", lease)
      .execute()
      .catch(() => undefined);
    return "failed";
  }
}

/** For the cron route: picks up a queued job or one whose runner went quiet, and works it. */
export async function resumeRepriceJobs(db: Kysely<DB>, opts: RunOptions = {}): Promise<{ jobId: string | null; outcome: RunOutcome | "idle" }> {
  const active = await activeJob(db);
  if (!active) return { jobId: null, outcome: "idle" };
  return { jobId: active.id, outcome: await runRepriceJob(db, active.id, opts) };
}
