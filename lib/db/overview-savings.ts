import { sql } from "kysely";
import { Exact, rateFor, type ReportingCurrency } from "@/lib/engine/currency";
import type { UserTx } from "./rls";

export interface SavingsRow {
  appId: string;
  appName: string;
  /** Model code of the app's baseline model; null when the app has none configured. */
  baselineModel: string | null;
  /** The reporting currency, or the calls' own currency when it has no rate (`converted` false). */
  currency: string;
  converted: boolean;
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
 * Amounts are converted into the reporting currency with the one rule (lib/engine/currency.ts),
 * one row per app; a currency without a rate keeps rows of its own and is never added.
 */
export async function loadSavings(tx: UserTx, reporting: ReportingCurrency, monthStart: string, today: string): Promise<SavingsRow[]> {
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

  const merged = new Map<string, SavingsRow>();
  for (const r of rows) {
    // The where clause above excludes null currencies; the type cannot know that.
    const own = r.currency ?? "";
    const rate = rateFor(reporting, own);
    const currency = rate ? reporting.currency : own;
    const key = `${r.id}|${currency}`;
    const times = (v: string) => new Exact(v).times(rate ?? 1);
    const prev = merged.get(key);
    merged.set(key, {
      appId: r.id,
      appName: r.name,
      baselineModel: r.model_code,
      currency,
      converted: rate !== null,
      pricedCalls: (prev?.pricedCalls ?? 0) + r.priced_calls,
      comparedCalls: (prev?.comparedCalls ?? 0) + r.compared_calls,
      cost: times(r.cost).plus(prev?.cost ?? 0).toFixed(),
      baselineCost: times(r.baseline_cost).plus(prev?.baselineCost ?? 0).toFixed(),
      savings: times(r.savings).plus(prev?.savings ?? 0).toFixed(),
    });
  }
  return [...merged.values()].sort(
    (a, b) => a.appName.localeCompare(b.appName) || Number(b.converted) - Number(a.converted) || a.currency.localeCompare(b.currency),
  );
}
