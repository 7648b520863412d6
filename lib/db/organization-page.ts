import { Decimal } from "decimal.js";
import { sql, type Kysely } from "kysely";
import { convertAmounts, rateFor, type ConvertedAmount } from "@/lib/engine/currency";
import { rulesInForce, type RuleInForce } from "@/lib/engine/rules-in-force";
import { buildSnapshot } from "@/lib/engine/snapshot";
import type { BudgetPolicy } from "@/lib/schemas/budget";
import { callFiltersSchema } from "@/lib/schemas/call-filters";
import { loadKeysPage, type ApiKeyRow } from "./api-keys";
import { organizationFigures } from "./budget-forecast";
import { monthStart } from "./budgets";
import { cacheSavingsIn } from "./cache-savings";
import { timeZoneFor } from "./time-zone";
import { listCalls, type CallRow } from "./calls";
import type { Database } from "./client";
import { loadReportingCurrency } from "./currency";
import { feedbackSummary, type FeedbackSummary } from "./feedback-summary";
import type { Spend } from "./money";
import { withUser, type JwtClaims } from "./rls";
import { loadRoutingSnapshot } from "./routing";
import type { DB } from "./schema";

/**
 * One client organization's page (/organizations/[id]), every read under RLS as the signed-in
 * user: a member of another organization gets null from loadOrganizationHeader (the page answers
 * 403 before loading anything else), and each later loader sees only what RLS lets through. Money
 * is converted into the reporting currency by lib/engine/currency (the one rule the Costs page
 * uses); amounts without a rate are listed apart, never dropped. Routing in force is the engine's
 * own answer (lib/engine/rules-in-force.ts on the snapshot the route simulator uses).
 */

type Db = Database | Kysely<DB>;

export interface OrganizationHeader {
  id: string;
  slug: string;
  name: string;
  tier: string;
  createdAt: string;
}

/** The organization if the user may read it (a member, or a platform admin), else null. */
export async function loadOrganizationHeader(db: Db, claims: JwtClaims, id: string): Promise<OrganizationHeader | null> {
  return withUser(db, claims, async (tx) => {
    const row = await tx.selectFrom("organizations").select(["id", "slug", "name", "tier", "created_at"]).where("id", "=", id).executeTakeFirst();
    return row ? { id: row.id, slug: row.slug, name: row.name, tier: row.tier, createdAt: row.created_at.toISOString() } : null;
  });
}

export interface SpendDay {
  day: string;
  /** Exact decimal string in the reporting currency (convertible amounts only). */
  cost: string;
  calls: number;
}

export interface OrganizationSpend {
  /** YYYY-MM (UTC). */
  month: string;
  reportingCurrency: string;
  /** Month-to-date spend: converted total and what has no rate, per currency. */
  spent: ConvertedAmount;
  calls: number;
  budget: {
    /** Exact decimal in `currency`; null = no budget. */
    amount: string | null;
    currency: string;
    policy: BudgetPolicy;
    /** The budget in the reporting currency; null when there is no budget or no rate for its currency. */
    inReporting: string | null;
  };
  /** Spend as a percentage of the budget (1 decimal), on the reporting-currency figures; null when not comparable. */
  pct: string | null;
  over: boolean;
  /** The last `days` days, one point per day (zero-filled). */
  trend: SpendDay[];
  /** Trend amounts without a rate, per currency (not in `trend`). */
  trendUnconverted: Record<string, string>;
  alerts: { thresholdPct: number; spent: string; budget: string; currency: string; createdAt: string }[];
  /** Month-end forecast in the budget's currency (lib/db/budget-forecast.ts); null without a budget or a rate. */
  forecast: { monthEnd: string; over: boolean } | null;
  /** What the response cache saved this month (UTC days `from`..`to`): Savings' "saved by cache" for this organization. */
  cacheSaved: { from: string; to: string; hits: number; saved: Spend };
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Month-to-date spend against the budget, and the daily trend of the last `days` days (UTC). */
export async function loadOrganizationSpend(db: Db, claims: JwtClaims, id: string, { now = new Date(), days = 30 } = {}): Promise<OrganizationSpend> {
  const month = monthStart(now);
  const today = now.toISOString().slice(0, 10);
  const first = addDays(today, -(days - 1));
  return withUser(db, claims, async (tx) => {
    const reporting = await loadReportingCurrency(tx);
    const org = await tx
      .selectFrom("organizations")
      .select(["monthly_budget", "budget_currency", "budget_policy"])
      .where("id", "=", id)
      .executeTakeFirst();
    const daily = await tx
      .selectFrom("llm_call_daily")
      .select([
        sql<string>`day::text`.as("day"),
        "currency",
        sql<string>`sum(cost)::text`.as("cost"),
        sql<string>`sum(calls)::text`.as("calls"),
      ])
      .where("organization_id", "=", id)
      .where("day", ">=", first < month ? first : month)
      .where("day", "<=", today)
      .groupBy(["day", "currency"])
      .execute();
    const alerts = await tx
      .selectFrom("budget_alerts")
      .select(["threshold_pct", sql<string>`spent::text`.as("spent"), sql<string>`budget::text`.as("budget"), "currency", "created_at"])
      .where("organization_id", "=", id)
      .where("month", "=", month)
      .where("kind", "=", "threshold")
      .orderBy("threshold_pct", "desc")
      .execute();

    // Calls without a cost have no currency: they count as calls, never as money.
    const priced = (rows: typeof daily) => rows.filter((r) => r.currency !== null).map((r) => ({ currency: r.currency!, amount: r.cost }));
    const mtdRows = daily.filter((r) => r.day >= month);
    const spent = convertAmounts(priced(mtdRows), reporting);
    const budgetAmount = org?.monthly_budget === null || org?.monthly_budget === undefined ? null : new Decimal(org.monthly_budget);
    const budgetCurrency = org?.budget_currency ?? reporting.currency;
    const rate = rateFor(reporting, budgetCurrency);
    const inReporting = budgetAmount && rate ? budgetAmount.times(rate) : null;
    const spentDec = new Decimal(spent.amount);
    const figures = budgetAmount
      ? await organizationFigures(tx, { organizationId: id, zone: await timeZoneFor(tx, id), currency: budgetCurrency, fx: reporting, now })
      : null;
    const cache = await cacheSavingsIn(tx, reporting, { from: month, to: today, organizationId: id, zone: "UTC" });
    const monthEnd = figures?.ok ? figures.forecast.monthEnd.toDecimalPlaces(6, Decimal.ROUND_HALF_UP) : null;
    // Comparable only when nothing is left unconverted: a figure with a hole is not a percentage.
    const comparable = inReporting !== null && Object.keys(spent.unconverted).length === 0;

    const trendRows = daily.filter((r) => r.day >= first);
    const trend: SpendDay[] = [];
    for (let day = first; day <= today; day = addDays(day, 1)) {
      const rows = trendRows.filter((r) => r.day === day);
      trend.push({
        day,
        cost: convertAmounts(priced(rows), reporting).amount,
        calls: rows.reduce((n, r) => n + Number(r.calls), 0),
      });
    }
    return {
      month: month.slice(0, 7),
      reportingCurrency: reporting.currency,
      spent,
      calls: mtdRows.reduce((n, r) => n + Number(r.calls), 0),
      budget: {
        amount: budgetAmount?.toFixed() ?? null,
        currency: budgetCurrency,
        policy: org?.budget_policy ?? "alert",
        inReporting: inReporting?.toFixed() ?? null,
      },
      pct: comparable && inReporting.gt(0) ? spentDec.div(inReporting).times(100).toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toFixed(1) : null,
      over: comparable && spentDec.gte(inReporting),
      trend,
      trendUnconverted: convertAmounts(priced(trendRows), reporting).unconverted,
      alerts: alerts.map((a) => ({
        thresholdPct: a.threshold_pct, spent: new Decimal(a.spent).toFixed(), budget: new Decimal(a.budget).toFixed(), currency: a.currency,
        createdAt: a.created_at.toISOString(),
      })),
      forecast: monthEnd && budgetAmount ? { monthEnd: monthEnd.toFixed(), over: monthEnd.gt(budgetAmount) } : null,
      cacheSaved: { from: month, to: today, hits: cache.hits, saved: cache.saved },
    };
  });
}

/** The routing in force for the organization, per app × action, as the engine decides it. */
export async function loadOrganizationRouting(db: Db, claims: JwtClaims, id: string): Promise<RuleInForce[]> {
  return withUser(db, claims, async (tx) => rulesInForce(buildSnapshot(await loadRoutingSnapshot(tx)), id));
}

/** The organization's pinned keys (RLS: platform admins and the organization's admins; nobody else sees any). */
export async function loadOrganizationKeys(db: Db, claims: JwtClaims, id: string, now = new Date()): Promise<ApiKeyRow[]> {
  return (await loadKeysPage(db, claims, now, { organizationId: id })).keys;
}

export const RECENT_CALLS = 10;

/** The organization's latest call attempts (the Calls page's query, filtered the way its URL is). */
export async function loadOrganizationRecentCalls(db: Db, claims: JwtClaims, id: string): Promise<CallRow[]> {
  return (await listCalls(db, claims, callFiltersSchema.parse({ organization: id }), RECENT_CALLS)).rows;
}

/** Feedback of the last `days` days (UTC), from the same rollup the Feedback page reads. */
export async function loadOrganizationFeedback(db: Db, claims: JwtClaims, id: string, { now = new Date(), days = 30 } = {}): Promise<FeedbackSummary> {
  const to = now.toISOString().slice(0, 10);
  return withUser(db, claims, (tx) => feedbackSummary(tx, { from: addDays(to, -(days - 1)), to, organizationId: id }));
}
