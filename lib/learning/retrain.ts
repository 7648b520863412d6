import { errorMessage } from "@/lib/errors";
import type { Kysely } from "kysely";
import {
  applyRetrainDiff, insertRetrainRun, loadActiveOverrides, loadFeedbackAggregates, markRetrainFailed, markRetrainSucceeded,
} from "@/lib/db/retrain";
import type { DB } from "@/lib/db/schema";
import { defaultModelOf, diffSummary, learnOverrides, type LearnDiff, type LearnInput, type LearnParams } from "@/lib/engine/learn";
import { aggregatesFrom, DEFAULT_WINDOW_DAYS, modelPrices, resolveParams, type RetrainOptions } from "@/lib/engine/retrain";
import { key2, type ConfigSnapshot } from "@/lib/engine/snapshot";

/**
 * The retrain job: feedback aggregates, prices in force, default rules and active overrides in;
 * the engine's diff out; on a real run, one transaction that retires and activates overrides.
 * Runs on the SERVICE path (a job, not a user's read); callers authorize before calling. The
 * queries are lib/db/retrain.ts, the parameters and row matching lib/engine/retrain.ts.
 */

export interface RetrainResult {
  runId: string | null;
  dryRun: boolean;
  params: LearnParams & { windowDays: number; appId: string | null };
  summary: ReturnType<typeof diffSummary>;
  diff: LearnDiff;
}

export async function loadLearnInput(db: Kysely<DB>, snapshot: ConfigSnapshot, opts: RetrainOptions): Promise<LearnInput> {
  const now = opts.now ?? Date.now();
  const appId = opts.appId ?? null;
  const since = new Date(now - (opts.windowDays ?? DEFAULT_WINDOW_DAYS) * 86_400_000);
  const [rows, overrides] = await Promise.all([loadFeedbackAggregates(db, since, appId), loadActiveOverrides(db, appId)]);
  const aggregates = aggregatesFrom(snapshot, rows);
  const defaults = new Map<string, { appId: string; actionType: string; modelId: string }>();
  for (const a of aggregates) {
    const modelId = defaultModelOf(snapshot, a.appId, a.actionType);
    if (modelId) defaults.set(key2(a.appId, a.actionType), { appId: a.appId, actionType: a.actionType, modelId });
  }
  return { aggregates, overrides, defaults: [...defaults.values()], prices: modelPrices(snapshot, now), params: resolveParams(snapshot, opts) };
}

/**
 * A dry run computes the diff and writes nothing (not even a run row). A real run records a
 * retrain_runs row (running → succeeded | failed) and applies the diff in ONE transaction, so the
 * gateway (which polls config_version, bumped by the audit trigger) never sees half a retrain.
 */
export async function runRetrain(db: Kysely<DB>, snapshot: ConfigSnapshot, opts: RetrainOptions): Promise<RetrainResult> {
  const input = await loadLearnInput(db, snapshot, opts);
  const diff = learnOverrides(input);
  const params = { ...input.params, windowDays: opts.windowDays ?? DEFAULT_WINDOW_DAYS, appId: opts.appId ?? null };
  const summary = diffSummary(diff);
  if (opts.dryRun) return { runId: null, dryRun: true, params, summary, diff };

  const runId = await insertRetrainRun(db, { trigger: opts.trigger, actorId: opts.actorId ?? null, params });
  try {
    await applyRetrainDiff(db, runId, diff, opts.trigger === "api" ? "gateway" : "job:retrain");
    await markRetrainSucceeded(db, runId, diff, summary);
  } catch (err) {
    await markRetrainFailed(db, runId, errorMessage(err));
    throw err;
  }
  return { runId, dryRun: false, params, summary, diff };
}
