import { sql, type Kysely, type Transaction } from "kysely";
import { DEFAULT_TIME_ZONE, hasUtcDays, rangeInstants } from "@/lib/engine/date-range";
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
  /** Inclusive day range, YYYY-MM-DD, days of `zone`. */
  from: string;
  to: string;
  /** IANA zone of the days (the reporting time zone); UTC when not given. */
  zone?: string;
  appId?: string | null;
  organizationId?: string | null;
}

/** One rollup-shaped row (production_feedback_daily's counters). */
interface SourceRow {
  organization_id: string | null;
  app_id: string | null;
  model_code: string | null;
  query_pattern: string | null;
  feedback: string;
  score_sum: string;
  judged: string;
  correct: string;
}

const round = (v: number | null) => (v === null ? null : Math.round(Number(v) * 10_000) / 10_000);

export async function feedbackSummary(db: Kysely<DB> | Transaction<DB>, f: SummaryFilter): Promise<FeedbackSummary> {
  // From the daily rollup (production_feedback_daily, kept by triggers) when the zone's days are
  // UTC days: the same days as created_at in [from 00:00, to + 1 day), and the same numeric
  // averages as avg() over the rows. In any other zone the rows themselves between the zone's
  // midnights (a bounded read of production_feedback), with the rollup's very sums.
  const zone = f.zone ?? DEFAULT_TIME_ZONE;
  const utc = hasUtcDays(zone, f);
  const { start, end } = rangeInstants(f, zone);
  const grouped = (column: "model_code" | "query_pattern") => {
    const source = utc
      ? db
          .selectFrom("production_feedback_daily as r")
          .select(["r.organization_id", "r.app_id", "r.model_code", "r.query_pattern", "r.feedback", "r.score_sum", "r.judged", "r.correct"])
          .where("r.day", ">=", f.from)
          .where("r.day", "<=", f.to)
          .$castTo<SourceRow>()
      : db
          .selectFrom("production_feedback as r")
          .select([
            "r.organization_id", "r.app_id", "r.model_code", "r.query_pattern",
            sql<string>`1::bigint`.as("feedback"),
            sql<string>`r.quality_score::bigint`.as("score_sum"),
            sql<string>`(r.is_correct is not null)::int::bigint`.as("judged"),
            sql<string>`coalesce(r.is_correct, false)::int::bigint`.as("correct"),
          ])
          .where("r.created_at", ">=", start)
          .where("r.created_at", "<", end)
          .$castTo<SourceRow>();
    let q = db
      .selectFrom(source.as("d"))
      .select([
        sql<string>`coalesce(${sql.ref(`d.${column}`)}, 'unknown')`.as("key"),
        sql<number>`sum(d.feedback)::int`.as("count"),
        sql<number | null>`(sum(d.score_sum)::numeric / nullif(sum(d.feedback), 0))::float8`.as("avg_score"),
        sql<number | null>`(sum(d.correct)::numeric / nullif(sum(d.judged), 0))::float8`.as("correctness_rate"),
      ])
      .groupBy(sql`1`)
      .having(sql<boolean>`sum(d.feedback) > 0`)
      .orderBy(sql`2`, "desc")
      .orderBy(sql`1`);
    if (f.appId) q = q.where("d.app_id", "=", f.appId);
    if (f.organizationId) q = q.where("d.organization_id", "=", f.organizationId);
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
