import { Decimal } from "decimal.js";
import { sql, type Kysely } from "kysely";
import { cacheSavingsIn } from "./cache-savings";
import type { Database } from "./client";
import { loadReportingCurrency } from "./currency";
import { getDb } from "./instance";
import { convertParts, spendByOrganization, sumSpend, type CostPart, type Spend } from "./money";
import { loadBudgetAlerts, type BudgetAlertRow } from "./overview-alerts";
import { loadSavings, type SavingsRow } from "./overview-savings";
import { withUser, type JwtClaims } from "./rls";
import type { DB } from "./schema";

/** Figures for the Overview page. Money is a decimal string (Postgres `numeric`), never a float. */
export interface OverviewStats {
  /** When the figures were read (ISO 8601), so a client can say how fresh they are. */
  generatedAt: string;
  /** The reporting currency every amount below is converted into (lib/engine/currency.ts). */
  currency: string;
  /** Spend of the last 30 days (the trend's total), converted; the same figure Costs shows for the range. */
  cost30: Spend;
  /** Month-to-date spend over every visible organization, converted. */
  monthTotal: Spend;
  /** One row per organization, biggest spender first. */
  monthToDate: {
    organizationId: string;
    organizationName: string;
    /** Month-to-date spend in `currency` (converted) plus what has no rate, per currency. */
    spend: Spend;
    /** The monthly budget in `budgetCurrency`; null without one. */
    budget: string | null;
    budgetCurrency: string;
    /** Spend in the budget's own currency: the figure the gateway holds against the budget. */
    budgetSpent: string;
  }[];
  callsToday: number;
  /** Failed share of today's calls, 0-1; null when there were no calls. */
  errorRateToday: number | null;
  /** Complete records as a percentage, 0-100; null when there were no calls. */
  completenessPct: number | null;
  /** Mean quality score, 1-5; null without feedback. */
  avgFeedbackScore: number | null;
  /** One point per day (YYYY-MM-DD) with calls, oldest first; cost converted into `currency`. */
  daily: { day: string; cost: string; calls: number; failed: number }[];
  /** Month-to-date savings against each app's baseline model, one row per app (and per currency without a rate). */
  savings: SavingsRow[];
  /** The most recent budget alerts (80 % / 100 % of a monthly budget), newest first. */
  budgetAlerts: BudgetAlertRow[];
  /**
   * What the response cache saved this month (UTC days `from`..`to`), converted by the one money
   * rule: the figure Savings shows as "saved by cache" for the same days and organizations.
   */
  cacheSaved: { from: string; to: string; hits: number; saved: Spend };
}

/**
 * Overview figures for the signed-in user, read from the daily rollups under RLS (the user sees
 * only their organizations). Money stays a decimal string from SQL and is converted into the
 * reporting currency by the one rule (lib/db/money.ts); amounts without a rate stay apart.
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
    const reporting = await loadReportingCurrency(tx);
    const [organizations, monthSpend, todayRow, completeness, feedback, dailyParts, savings, budgetAlerts, cache] = await Promise.all([
      tx.selectFrom("organizations").select(["id", "name", "monthly_budget", "budget_currency"]).orderBy("name").execute(),
      spendByOrganization(tx, reporting, { from: monthStart, to: today }),
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
        .where("day", "<=", today)
        .executeTakeFirstOrThrow(),
      tx
        .selectFrom("production_feedback")
        .select(sql<string | null>`round(avg(quality_score), 2)::text`.as("avg"))
        .where("created_at", ">=", new Date(`${since30}T00:00:00Z`))
        .executeTakeFirstOrThrow(),
      tx
        .selectFrom("llm_call_daily")
        .select([
          "day",
          "currency",
          sql<string>`coalesce(sum(cost), 0)::text`.as("cost"),
          sql<number>`sum(calls)::int`.as("calls"),
          sql<number>`sum(failed_calls)::int`.as("failed"),
        ])
        .where("day", ">=", since30)
        .where("day", "<=", today)
        .groupBy(["day", "currency"])
        .orderBy("day")
        .execute(),
      loadSavings(tx, reporting, monthStart, today),
      loadBudgetAlerts(tx),
      cacheSavingsIn(tx, reporting, { from: monthStart, to: today, zone: "UTC" }),
    ]);

    // The trend: per day, every currency converted with the one rule (convertParts).
    const perDay = new Map<string, CostPart[]>();
    for (const p of dailyParts) perDay.set(p.day, [...(perDay.get(p.day) ?? []), { currency: p.currency, calls: p.calls, cost: p.cost }]);
    const failedPerDay = new Map<string, number>();
    for (const p of dailyParts) failedPerDay.set(p.day, (failedPerDay.get(p.day) ?? 0) + p.failed);
    const days = [...perDay].map(([day, parts]) => ({ day, spend: convertParts(parts, reporting) }));
    const cost30 = sumSpend(days.map((d) => d.spend), reporting);

    const zero = convertParts([], reporting);
    const monthToDate = organizations
      .map((o) => {
        const spend = monthSpend.get(o.id) ?? zero;
        return {
          organizationId: o.id,
          organizationName: o.name,
          spend,
          budget: o.monthly_budget,
          budgetCurrency: o.budget_currency,
          budgetSpent: spend.byCurrency[o.budget_currency] ?? "0",
        };
      })
      .sort((a, b) => new Decimal(b.spend.amount).cmp(a.spend.amount) || a.organizationName.localeCompare(b.organizationName));

    return {
      generatedAt: now.toISOString(),
      currency: reporting.currency,
      cost30,
      // Calls without an organization are in no row but in the total, as on Costs.
      monthTotal: sumSpend([...monthSpend.values()], reporting),
      monthToDate,
      callsToday: todayRow.calls,
      errorRateToday: todayRow.calls > 0 ? todayRow.failed / todayRow.calls : null,
      completenessPct: completeness.calls > 0 ? (100 * completeness.complete) / completeness.calls : null,
      avgFeedbackScore: feedback.avg === null ? null : Number(feedback.avg),
      daily: days.map((d) => ({ day: d.day, cost: d.spend.amount, calls: d.spend.calls, failed: failedPerDay.get(d.day) ?? 0 })),
      savings,
      budgetAlerts,
      cacheSaved: { from: monthStart, to: today, hits: cache.hits, saved: cache.saved },
    };
  });
}
