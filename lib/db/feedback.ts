import { sql, type Kysely } from "kysely";
import { SETTING_DEFAULTS } from "@/lib/engine/settings";
import { DEFAULT_WINDOW_DAYS } from "@/lib/engine/retrain";
import { learningStatus, type LearningStatus } from "./learning-status";
import { feedbackSummary, type FeedbackSummary } from "./feedback-summary";
import type { CostFilters } from "@/lib/schemas/cost-filters";
import { DEFAULT_TIME_ZONE, rangeInstants } from "@/lib/engine/date-range";
import { OVERRIDE_LIMIT, RUN_LIMIT } from "@/lib/schemas/learning";
import type { Database } from "./client";
import { withUser, type JwtClaims, type UserTx } from "./rls";
import type { DB } from "./schema";

/**
 * The Feedback page for the signed-in user, in ONE transaction under RLS: the database decides
 * which organizations' feedback counts (production_feedback), whether retrain runs are visible
 * (platform roles and admins) and which settings apply. The summary and the learning status are
 * the same functions the admin routes use, run here on the user's transaction.
 */

export type Confidence = "high" | "medium" | "low";

export interface ScoreBucket {
  score: 1 | 2 | 3 | 4 | 5;
  count: number;
}

export interface OverrideRow {
  id: string;
  /** null = app-wide; else the organization it was learned from and routes (issue 9). */
  organization: string | null;
  app: string;
  actionType: string;
  queryPattern: string;
  model: string;
  provider: string | null;
  confidence: Confidence;
  samples: number;
  /** numeric(6,4) as a decimal string. */
  avgScore: string | null;
  active: boolean;
  runId: string | null;
  createdAt: string;
}

export interface RetrainRunRow {
  id: string;
  createdAt: string;
  finishedAt: string | null;
  trigger: "manual" | "cron" | "api";
  /** "you" when the signed-in user started it; the actor is otherwise not shown (no email under RLS). */
  byYou: boolean;
  hasActor: boolean;
  dryRun: boolean;
  status: "running" | "succeeded" | "failed";
  added: number | null;
  changed: number | null;
  retired: number | null;
  error: string | null;
}

export interface LearningSwitch {
  /** The global learning.enabled value (or the built-in default when there is no row). */
  enabled: boolean;
  source: "global" | "default";
  /** App or organization rows that differ from the global value. */
  exceptions: { scope: "app" | "organization"; target: string; enabled: boolean }[];
}

export interface FeedbackPageData {
  filters: CostFilters;
  organizations: { id: string; name: string }[];
  summary: FeedbackSummary;
  correctness: { stated: number; correct: number; rate: number | null };
  distribution: ScoreBucket[];
  overrides: OverrideRow[];
  runs: RetrainRunRow[];
  status: LearningStatus;
  learning: LearningSwitch;
}

function range(filters: CostFilters) {
  // Half-open range on created_at between the zone's midnights, as feedbackSummary does.
  return rangeInstants(filters, filters.zone ?? DEFAULT_TIME_ZONE);
}

async function scoreDistribution(tx: UserTx, filters: CostFilters) {
  const { start, end } = range(filters);
  let q = tx
    .selectFrom("production_feedback")
    .select([
      "quality_score",
      sql<number>`count(*)::int`.as("n"),
      sql<number>`count(*) filter (where is_correct)::int`.as("correct"),
      sql<number>`count(is_correct)::int`.as("stated"),
    ])
    .where("created_at", ">=", start)
    .where("created_at", "<", end)
    .groupBy("quality_score");
  if (filters.org) q = q.where("organization_id", "=", filters.org);
  const rows = await q.execute();
  const distribution: ScoreBucket[] = ([1, 2, 3, 4, 5] as const).map((score) => ({
    score,
    count: Number(rows.find((r) => Number(r.quality_score) === score)?.n ?? 0),
  }));
  const stated = rows.reduce((s, r) => s + Number(r.stated), 0);
  const correct = rows.reduce((s, r) => s + Number(r.correct), 0);
  return { distribution, correctness: { stated, correct, rate: stated > 0 ? Math.round((correct / stated) * 10_000) / 10_000 : null } };
}

async function overrides(tx: UserTx): Promise<OverrideRow[]> {
  const rows = await tx
    .selectFrom("learning_overrides as o")
    .innerJoin("apps as a", "a.id", "o.app_id")
    .innerJoin("llm_models as m", "m.id", "o.model_id")
    .leftJoin("llm_providers as p", "p.id", "m.provider_id")
    .leftJoin("organizations as org", "org.id", "o.organization_id")
    .select([
      "o.id", "org.name as organization", "a.name as app", "o.action_type", "o.query_pattern", "m.display_name", "m.model_code", "p.code as provider",
      "o.confidence", "o.samples", "o.avg_score", "o.active", "o.run_id", "o.created_at",
    ])
    // Active ones first (what routing uses now), then the history, newest first.
    .orderBy("o.active", "desc")
    .orderBy("o.created_at", "desc")
    .orderBy("o.id")
    .limit(OVERRIDE_LIMIT)
    .execute();
  return rows.map((r) => ({
    id: r.id, organization: r.organization ?? null, app: r.app, actionType: r.action_type, queryPattern: r.query_pattern, model: r.display_name || r.model_code, provider: r.provider,
    confidence: r.confidence, samples: Number(r.samples), avgScore: r.avg_score === null ? null : String(r.avg_score), active: r.active,
    runId: r.run_id, createdAt: new Date(r.created_at).toISOString(),
  }));
}

const countOf = (summary: unknown, key: string): number | null => {
  const v = summary && typeof summary === "object" ? (summary as Record<string, unknown>)[key] : undefined;
  return typeof v === "number" ? v : null;
};

async function runs(tx: UserTx, userId: string): Promise<RetrainRunRow[]> {
  const rows = await tx
    .selectFrom("retrain_runs")
    .select(["id", "created_at", "finished_at", "trigger", "actor_id", "dry_run", "status", "summary"])
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(RUN_LIMIT)
    .execute();
  return rows.map((r) => {
    const error = r.summary && typeof r.summary === "object" ? (r.summary as Record<string, unknown>).error : undefined;
    return {
      id: r.id, createdAt: new Date(r.created_at).toISOString(), finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
      trigger: r.trigger, byYou: r.actor_id === userId, hasActor: r.actor_id !== null, dryRun: r.dry_run, status: r.status,
      added: countOf(r.summary, "added"), changed: countOf(r.summary, "changed"), retired: countOf(r.summary, "retired"),
      error: typeof error === "string" ? error : null,
    };
  });
}

/** learning.enabled as the user may see it: the global row and any app/organization rows. */
async function learningSwitch(tx: UserTx): Promise<LearningSwitch> {
  const rows = await tx
    .selectFrom("app_configuration as c")
    .leftJoin("apps as a", "a.id", "c.app_id")
    .leftJoin("organizations as o", "o.id", "c.organization_id")
    .select(["c.scope", "c.value_type", "c.value", "a.name as app", "o.name as organization"])
    .where("c.key", "=", "learning.enabled")
    .execute();
  const bool = (r: (typeof rows)[number]) => (r.value_type === "bool" && typeof r.value === "boolean" ? r.value : null);
  const global = rows.find((r) => r.scope === "global");
  const globalValue = global ? bool(global) : null;
  const enabled = globalValue ?? SETTING_DEFAULTS["learning.enabled"];
  const exceptions: LearningSwitch["exceptions"] = [];
  for (const r of rows) {
    const v = bool(r);
    if (r.scope === "global" || v === null || v === enabled) continue;
    const target = [r.organization, r.app].filter(Boolean).join(" / ") || "unknown";
    exceptions.push({ scope: r.scope === "app" ? "app" : "organization", target, enabled: v });
  }
  exceptions.sort((a, b) => a.target.localeCompare(b.target));
  return { enabled, source: globalValue === null ? "default" : "global", exceptions };
}

export async function loadFeedback(db: Database | Kysely<DB>, claims: JwtClaims, filters: CostFilters): Promise<FeedbackPageData> {
  return withUser(db, claims, async (tx) => {
    const organizations = await tx.selectFrom("organizations").select(["id", "name"]).orderBy("name").execute();
    const summary = await feedbackSummary(tx, { from: filters.from, to: filters.to, organizationId: filters.org, zone: filters.zone });
    const { distribution, correctness } = await scoreDistribution(tx, filters);
    const status = await learningStatus(tx, { appId: null, windowDays: DEFAULT_WINDOW_DAYS });
    return {
      filters,
      organizations,
      summary,
      correctness,
      distribution,
      overrides: await overrides(tx),
      runs: await runs(tx, claims.sub),
      status,
      learning: await learningSwitch(tx),
    };
  });
}
