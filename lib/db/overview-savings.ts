import { sql } from "kysely";
import type { UserTx } from "./rls";

export interface SavingsRow {
  appId: string;
  appName: string;
  /** Model code of the app's baseline model; null when the app has none configured. */
  baselineModel: string | null;
  currency: string;
  /** Calls with a known cost in this currency this month. */
  pricedCalls: number;
  /** Of those, the calls compared with the baseline (the baseline was priced in the same currency). */
  comparedCalls: number;
  /** Actual cost of the compared calls. */
  cost: string;
  /** What the compared calls would have cost on the baseline model. */
  baselineCost: string;
  /** baselineCost − cost: positive is money saved, negative is extra spend. */
  savings: string;
}

/**
 * Month-to-date savings per app against its baseline model, from the daily rollups, in the
 * caller's RLS transaction.
 *
 * A call's baseline (shadow) cost is recorded only when the baseline model has a price in the
 * call's own currency, so the rollup's `cost` can cover more calls than its `baseline_cost`. To
 * compare like with like, only rollup rows in which every priced call has a baseline cost are
 * counted (`calls_with_baseline = calls_with_cost`); the rest show up as priced but not compared.
 * Rows are per currency: amounts in different currencies are never added.
 */
export async function loadSavings(tx: UserTx, monthStart: string, today: string): Promise<SavingsRow[]> {
  const compared = sql<boolean>`d.calls_with_baseline > 0 and d.calls_with_baseline = d.calls_with_cost`;
  const rows = await tx
    .selectFrom("llm_call_daily as d")
    .innerJoin("apps as a", "a.id", "d.app_id")
    .leftJoin("llm_models as m", "m.id", "a.baseline_model_id")
    .select([
      "a.id",
      "a.name",
      "m.model_code",
      "d.currency",
      sql<number>`sum(d.calls_with_cost)::int`.as("priced_calls"),
      sql<number>`coalesce(sum(d.calls_with_baseline) filter (where ${compared}), 0)::int`.as("compared_calls"),
      sql<string>`coalesce(sum(d.cost) filter (where ${compared}), 0)::text`.as("cost"),
      sql<string>`coalesce(sum(d.baseline_cost) filter (where ${compared}), 0)::text`.as("baseline_cost"),
      sql<string>`(coalesce(sum(d.baseline_cost) filter (where ${compared}), 0) - coalesce(sum(d.cost) filter (where ${compared}), 0))::text`.as("savings"),
    ])
    .where("d.day", ">=", monthStart)
    .where("d.day", "<=", today)
    .where("d.currency", "is not", null)
    .groupBy(["a.id", "a.name", "m.model_code", "d.currency"])
    .having(sql<boolean>`sum(d.calls_with_cost) > 0`)
    .orderBy("a.name")
    .orderBy("d.currency")
    .execute();

  return rows.map((r) => ({
    appId: r.id,
    appName: r.name,
    baselineModel: r.model_code,
    // The where clause above excludes null currencies; the type cannot know that.
    currency: r.currency ?? "",
    pricedCalls: r.priced_calls,
    comparedCalls: r.compared_calls,
    cost: r.cost,
    baselineCost: r.baseline_cost,
    savings: r.savings,
  }));
}
