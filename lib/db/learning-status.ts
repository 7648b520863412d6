import { sql, type Kysely } from "kysely";
import type { DB } from "./schema";

/**
 * Learning status for the admin route and the Feedback page. Coverage = active overrides over
 * "active patterns", where an active pattern is an (app, action, query pattern) with feedback in
 * the window: the keys learning can decide on (llm_calls is never scanned for this).
 */
export interface LearningStatus {
  total_overrides: number;
  confidence: { high: number; medium: number; low: number };
  last_retrain: { id: string; created_at: string; finished_at: string | null; status: string; trigger: string; summary: unknown } | null;
  coverage: { active_patterns: number; with_override: number; ratio: number | null; window_days: number };
}

export async function learningStatus(db: Kysely<DB>, opts: { appId: string | null; windowDays: number; now?: number }): Promise<LearningStatus> {
  const since = new Date((opts.now ?? Date.now()) - opts.windowDays * 86_400_000);
  let overrides = db.selectFrom("learning_overrides").select(["confidence", (eb) => eb.fn.countAll<number>().as("n")]).where("active", "=", true).groupBy("confidence");
  if (opts.appId) overrides = overrides.where("app_id", "=", opts.appId);
  let patterns = db
    .selectFrom("production_feedback as f")
    .select([
      sql<number>`count(distinct (f.app_id, f.action_type, f.query_pattern))::int`.as("active"),
      sql<number>`count(distinct (f.app_id, f.action_type, f.query_pattern)) filter (where exists (
        select 1 from learning_overrides o where o.active and o.app_id = f.app_id and o.action_type = f.action_type and o.query_pattern = f.query_pattern))::int`.as("covered"),
    ])
    .where("f.created_at", ">=", since)
    .where("f.app_id", "is not", null).where("f.action_type", "is not", null).where("f.query_pattern", "is not", null);
  if (opts.appId) patterns = patterns.where("f.app_id", "=", opts.appId);
  const [byConfidence, coverage, last] = await Promise.all([
    overrides.execute(),
    patterns.executeTakeFirst(),
    db.selectFrom("retrain_runs").select(["id", "created_at", "finished_at", "status", "trigger", "summary"])
      .where("dry_run", "=", false).orderBy("created_at", "desc").limit(1).executeTakeFirst(),
  ]);
  const confidence = { high: 0, medium: 0, low: 0 };
  for (const row of byConfidence) confidence[row.confidence] = Number(row.n);
  const active = Number(coverage?.active ?? 0);
  const covered = Number(coverage?.covered ?? 0);
  return {
    total_overrides: confidence.high + confidence.medium + confidence.low,
    confidence,
    last_retrain: last
      ? { id: last.id, created_at: last.created_at.toISOString(), finished_at: last.finished_at?.toISOString() ?? null, status: last.status, trigger: last.trigger, summary: last.summary }
      : null,
    coverage: { active_patterns: active, with_override: covered, ratio: active > 0 ? Math.round((covered / active) * 10_000) / 10_000 : null, window_days: opts.windowDays },
  };
}
