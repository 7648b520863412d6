import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "./schema";

/**
 * Feedback summary for a date range: total, average score, and per model and per query pattern
 * (count, average score, correctness rate). The caller picks the path: withUser() for a session
 * (RLS decides which organizations' rows count) or the service path scoped to an app key's app
 * (and organization, for a pinned key). Nothing here filters by organization on its own.
 */
export interface FeedbackGroup {
  key: string;
  count: number;
  avg_score: number | null;
  /** Share correct among rows that state is_correct; null when none do. */
  correctness_rate: number | null;
}

export interface FeedbackSummary {
  from: string;
  to: string;
  total: number;
  avg_score: number | null;
  by_model: FeedbackGroup[];
  by_pattern: FeedbackGroup[];
}

export interface SummaryFilter {
  /** Inclusive day range, YYYY-MM-DD (UTC). */
  from: string;
  to: string;
  appId?: string | null;
  organizationId?: string | null;
}

const round = (v: number | null) => (v === null ? null : Math.round(Number(v) * 10_000) / 10_000);

export async function feedbackSummary(db: Kysely<DB> | Transaction<DB>, f: SummaryFilter): Promise<FeedbackSummary> {
  // From the daily rollup (production_feedback_daily, kept by triggers): the same UTC days as
  // created_at in [from 00:00, to + 1 day), and the same numeric averages as avg() over the rows.
  const grouped = (column: "model_code" | "query_pattern") => {
    let q = db
      .selectFrom("production_feedback_daily")
      .select([
        sql<string>`coalesce(${sql.ref(column)}, 'unknown')`.as("key"),
        sql<number>`sum(feedback)::int`.as("count"),
        sql<number | null>`(sum(score_sum)::numeric / nullif(sum(feedback), 0))::float8`.as("avg_score"),
        sql<number | null>`(sum(correct)::numeric / nullif(sum(judged), 0))::float8`.as("correctness_rate"),
      ])
      .where("day", ">=", f.from)
      .where("day", "<=", f.to)
      .groupBy(sql`1`)
      .having(sql<boolean>`sum(feedback) > 0`)
      .orderBy(sql`2`, "desc")
      .orderBy(sql`1`);
    if (f.appId) q = q.where("app_id", "=", f.appId);
    if (f.organizationId) q = q.where("organization_id", "=", f.organizationId);
    return q.execute();
  };
  const byModel = await grouped("model_code");
  const byPattern = await grouped("query_pattern");
  const map = (rows: typeof byModel): FeedbackGroup[] =>
    rows.map((r) => ({ key: r.key, count: Number(r.count), avg_score: round(r.avg_score), correctness_rate: round(r.correctness_rate) }));
  const total = byModel.reduce((s, r) => s + Number(r.count), 0);
  const sum = byModel.reduce((s, r) => s + Number(r.count) * Number(r.avg_score ?? 0), 0);
  return { from: f.from, to: f.to, total, avg_score: total > 0 ? round(sum / total) : null, by_model: map(byModel), by_pattern: map(byPattern) };
}
