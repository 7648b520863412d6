import { sql, type Kysely } from "kysely";
import type { ActiveOverride, LearnDiff, Proposal } from "@/lib/engine/learn";
import type { FeedbackAggregateRow, RetrainOptions } from "@/lib/engine/retrain";
import type { DB } from "./schema";
import { withServiceActor, type ServiceActor } from "./service-actor";

/**
 * The queries of a retrain (lib/learning/retrain.ts runs it): feedback aggregates and active
 * overrides in; a retrain_runs row and ONE transaction that retires and activates overrides out.
 * SERVICE path (a job, not a user's read); callers authorize before calling.
 */

/** Feedback grouped per organization, app, action, pattern and model since `since` (one app, or every app). */
export async function loadFeedbackAggregates(db: Kysely<DB>, since: Date, appId: string | null): Promise<FeedbackAggregateRow[]> {
  let q = db
    .selectFrom("production_feedback")
    .select((eb) => [
      "organization_id", "app_id", "action_type", "query_pattern", "provider_code", "model_code",
      eb.fn.countAll<number>().as("n"),
      sql<number>`avg(quality_score)::float8`.as("mean"),
      sql<number>`coalesce(stddev_samp(quality_score), 0)::float8`.as("std"),
      sql<number | null>`avg(case when is_correct then 1.0 when not is_correct then 0.0 end)::float8`.as("correct"),
    ])
    .where("created_at", ">=", since)
    // Feedback on calls without an organization is nobody's vote: it is not learned from.
    .where("organization_id", "is not", null)
    .where("app_id", "is not", null).where("action_type", "is not", null).where("query_pattern", "is not", null).where("model_code", "is not", null)
    .groupBy(["organization_id", "app_id", "action_type", "query_pattern", "provider_code", "model_code"]);
  if (appId) q = q.where("app_id", "=", appId);
  return q.execute();
}

export async function loadActiveOverrides(db: Kysely<DB>, appId: string | null): Promise<ActiveOverride[]> {
  let q = db.selectFrom("learning_overrides").select(["id", "organization_id", "app_id", "action_type", "query_pattern", "model_id", "confidence"]).where("active", "=", true);
  if (appId) q = q.where("app_id", "=", appId);
  const rows = await q.execute();
  return rows.map((o) => ({ id: o.id, organizationId: o.organization_id, appId: o.app_id, actionType: o.action_type, queryPattern: o.query_pattern, modelId: o.model_id, confidence: o.confidence }));
}

/** A real run's row, status "running"; returns its id. */
export async function insertRetrainRun(db: Kysely<DB>, run: { trigger: RetrainOptions["trigger"]; actorId: string | null; params: unknown }): Promise<string> {
  const row = await db
    .insertInto("retrain_runs")
    .values({ trigger: run.trigger, dry_run: false, actor_id: run.actorId, params: JSON.stringify(run.params) })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

function overrideRow(p: Proposal, runId: string) {
  return {
    organization_id: p.organizationId, app_id: p.appId, action_type: p.actionType, query_pattern: p.queryPattern, model_id: p.modelId, confidence: p.confidence,
    samples: p.samples, avg_score: p.avgScore.toFixed(4), correctness_rate: p.correctRate === null ? null : p.correctRate.toFixed(4),
    evidence: JSON.stringify(p.evidence), active: true, run_id: runId,
  };
}

/**
 * The diff in ONE transaction, so the gateway (which polls config_version, bumped by the audit
 * trigger) never sees half a retrain: retired and replaced overrides off, added and new ones on.
 * `actor` names the writer in the audit trail: "gateway" when an app key asked for the retrain,
 * else "job:retrain" (cron, or a platform admin's "apply").
 */
export async function applyRetrainDiff(db: Kysely<DB>, runId: string, diff: LearnDiff, actor: ServiceActor = "job:retrain"): Promise<void> {
  await withServiceActor(db, actor, async (tx) => {
    const retire = [...diff.retired.map((r) => r.override.id), ...diff.changed.map((c) => c.from.id)];
    if (retire.length > 0) await tx.updateTable("learning_overrides").set({ active: false }).where("id", "in", retire).execute();
    const activate = [...diff.added, ...diff.changed.map((c) => c.to)];
    if (activate.length > 0) await tx.insertInto("learning_overrides").values(activate.map((p) => overrideRow(p, runId))).execute();
  });
}

export async function markRetrainSucceeded(db: Kysely<DB>, runId: string, diff: LearnDiff, summary: unknown): Promise<void> {
  await db.updateTable("retrain_runs")
    .set({ status: "succeeded", finished_at: new Date(), diff: JSON.stringify(diff), summary: JSON.stringify(summary) })
    .where("id", "=", runId).execute();
}

export async function markRetrainFailed(db: Kysely<DB>, runId: string, message: string): Promise<void> {
  await db.updateTable("retrain_runs").set({ status: "failed", finished_at: new Date(), summary: JSON.stringify({ error: message.slice(0, 500) }) }).where("id", "=", runId).execute();
}
