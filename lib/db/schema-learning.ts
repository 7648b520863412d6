import type { ColumnType, Generated } from "kysely";
import type { JsonNullable, NumericNullable, TimestampNullable } from "./schema-columns";

/**
 * Kysely types of the learning loop: production feedback and its daily rollup, retrain runs and
 * the routing overrides they learn. lib/db/schema.ts's DB includes them.
 */

export interface ProductionFeedbackTable {
  id: Generated<string>;
  request_id: string;
  organization_id: string | null;
  app_id: string | null;
  action_type: string | null;
  query_pattern: string | null;
  provider_code: string | null;
  model_code: string | null;
  quality_score: number;
  is_correct: boolean | null;
  comment: string | null;
  source: Generated<"api" | "dashboard" | "import" | "seed">;
  created_at: Generated<Date>;
}

/** Feedback per UTC day, organization, app, model and query pattern (triggers on production_feedback keep it). */
export interface ProductionFeedbackDailyTable {
  day: string;
  organization_id: string | null;
  app_id: string | null;
  model_code: string | null;
  query_pattern: string | null;
  feedback: Generated<number>;
  score_sum: Generated<number>;
  judged: Generated<number>;
  correct: Generated<number>;
  updated_at: Generated<Date>;
}

export interface RetrainRunsTable {
  id: Generated<string>;
  created_at: Generated<Date>;
  finished_at: TimestampNullable;
  actor_id: string | null;
  trigger: Generated<"manual" | "cron" | "api">;
  dry_run: boolean;
  params: ColumnType<unknown, string | undefined, string>;
  status: Generated<"running" | "succeeded" | "failed">;
  diff: JsonNullable;
  summary: JsonNullable;
}

export interface LearningOverridesTable {
  id: Generated<string>;
  /** null = app-wide; set = learned from, and applied to, this organization only. */
  organization_id: Generated<string | null>;
  app_id: string;
  action_type: string;
  query_pattern: string;
  model_id: string;
  confidence: "high" | "medium" | "low";
  samples: number;
  avg_score: NumericNullable;
  correctness_rate: NumericNullable;
  evidence: JsonNullable;
  active: Generated<boolean>;
  run_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface LearningTables {
  production_feedback: ProductionFeedbackTable;
  production_feedback_daily: ProductionFeedbackDailyTable;
  retrain_runs: RetrainRunsTable;
  learning_overrides: LearningOverridesTable;
}
