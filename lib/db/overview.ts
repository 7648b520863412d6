import { sql, type Kysely } from "kysely";
import type { Database } from "./client";
import { getDb } from "./instance";
import { loadBudgetAlerts, type BudgetAlertRow } from "./overview-alerts";
import { loadSavings, type SavingsRow } from "./overview-savings";
import { withUser, type JwtClaims } from "./rls";
import type { DB } from "./schema";

/** Figures for the Overview page. Money is a decimal string (Postgres `numeric`), never a float. */
export interface OverviewStats {
  /** When the figures were read (ISO 8601), so a client can say how fresh they are. */
  generatedAt: string;
  /** Currency of the `daily` cost trend: the one most calls are priced in. */
  currency: string;
  /** One row per organization and currency it was charged in this month. */
  monthToDate: {
    organizationId: string;
    organizationName: string;
    spend: string;
    /** Null when there is no budget or it is set in another currency than `currency`. */
    budget: string | null;
    currency: string;
  }[];
  callsToday: number;
  /** Failed share of today's calls, 0-1; null when there were no calls. */
  errorRateToday: number | null;
  /** Complete records as a percentage, 0-100; null when there were no calls. */
  completenessPct: number | null;
  /** Mean quality score, 1-5; null without feedback. */
  avgFeedbackScore: number | null;
  /** One point per day (YYYY-MM-DD) with calls, oldest first. */
  daily: { day: string; cost: string; calls: number; failed: number }[];
  /** Month-to-date savings against each app's baseline model, one row per app and currency. */
  savings: SavingsRow[];
  /** The most recent budget alerts (80 % / 100 % of a monthly budget), newest first. */
  budgetAlerts: BudgetAlertRow[];
}

/**
 * Overview figures for the signed-in user, read from the daily rollups under RLS (the user sees
 * only their organizations). Money stays a decimal string from SQL; amounts in different
 * currencies are never added together.
 */
export async function getOverviewStats(claims: JwtClaims, now = new Date()): Promise<OverviewStats> {
  return loadOverview(await getDb(), claims, now);
}

/** getOverviewStats for given claims and database: what the page and the live route share. */
export async function loadOverview(db: Database | Kysely<DB>, claims: JwtClaims, now = new Date()): Promise<OverviewStats> {
  const today = now.toISOString().slice(0, 10);
  const monthStart = `${today.slice(0, 7)}-01`;
  const since30 = new Date(now.getTime() - 29 * 86_400_000).toISOString().slice(0, 10);

  return withUser(db, claims, async (tx) => {
    const [spend, todayRow, completeness, feedback, currencies, savings, budgetAlerts] = await Promise.all([
      tx
        .selectFrom("organizations as o")
        .leftJoin("llm_call_daily as d", (j) =>
          j.onRef("d.organization_id", "=", "o.id").on("d.day", ">=", monthStart).on("d.currency", "is not", null),
        )
        .select([
          "o.id",
          "o.name",
          "o.monthly_budget",
          "o.budget_currency",
          "d.currency",
          sql<string>`coalesce(sum(d.cost), 0)::text`.as("spend"),
        ])
        .groupBy(["o.id", "o.name", "o.monthly_budget", "o.budget_currency", "d.currency"])
        .orderBy("o.name")
        .orderBy("d.currency")
        .execute(),
      tx
        .selectFrom("llm_call_daily")
        .select([
          sql<number>`coalesce(sum(calls), 0)::int`.as("calls"),
          sql<number>`coalesce(sum(failed_calls), 0)::int`.as("failed"),
        ])
        .where("day", "=", today)
        .executeTakeFirstOrThrow(),
      tx
        .selectFrom("llm_call_daily")
        .select([
          // Refused calls (no provider) count as calls and failures above, not in completeness.
          sql<number>`coalesce(sum(calls - case when provider_code is null then failed_calls else 0 end), 0)::int`.as("calls"),
          sql<number>`coalesce(sum(complete_calls), 0)::int`.as("complete"),
        ])
        .where("day", ">=", since30)
        .executeTakeFirstOrThrow(),
      tx
        .selectFrom("production_feedback")
        .select(sql<string | null>`round(avg(quality_score), 2)::text`.as("avg"))
        .where("created_at", ">=", new Date(`${since30}T00:00:00Z`))
        .executeTakeFirstOrThrow(),
      tx
        .selectFrom("llm_call_daily")
        .select(["currency", sql<string>`sum(cost)::text`.as("cost")])
        .where("day", ">=", since30)
        .where("currency", "is not", null)
        .groupBy("currency")
        .orderBy(sql`sum(calls)`, "desc")
        .execute(),
      loadSavings(tx, monthStart, today),
      loadBudgetAlerts(tx),
    ]);

    // The trend is shown in the currency most calls are priced in, and says so.
    const currency = currencies[0]?.currency ?? "EUR";
    const daily = await tx
      .selectFrom("llm_call_daily")
      .select([
        "day",
        sql<string>`coalesce(sum(cost) filter (where currency = ${currency}), 0)::text`.as("cost"),
        sql<number>`sum(calls)::int`.as("calls"),
        sql<number>`sum(failed_calls)::int`.as("failed"),
      ])
      .where("day", ">=", since30)
      .groupBy("day")
      .orderBy("day")
      .execute();

    return {
      generatedAt: now.toISOString(),
      currency,
      monthToDate: spend.map((r) => ({
        organizationId: r.id,
        organizationName: r.name,
        spend: r.spend,
        currency: r.currency ?? r.budget_currency,
        budget: r.currency === null || r.currency === r.budget_currency ? r.monthly_budget : null,
      })),
      callsToday: todayRow.calls,
      errorRateToday: todayRow.calls > 0 ? todayRow.failed / todayRow.calls : null,
      completenessPct: completeness.calls > 0 ? (100 * completeness.complete) / completeness.calls : null,
      avgFeedbackScore: feedback.avg === null ? null : Number(feedback.avg),
      daily: daily.map((d) => ({ day: d.day, cost: d.cost, calls: d.calls, failed: d.failed })),
      savings,
      budgetAlerts,
    };
  });
}
