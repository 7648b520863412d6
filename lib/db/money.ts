import { Decimal } from "decimal.js";
import { sql } from "kysely";
import { convertAmounts, Exact, type ConvertedAmount, type ReportingCurrency } from "@/lib/engine/currency";
import type { UserTx } from "./rls";

/**
 * The one way a dashboard sums cost (issue 12, "one money truth"): SQL sums `cost` per currency
 * over the daily rollup `llm_call_daily` (under the caller's RLS), and lib/engine/currency's
 * convertAmounts turns those parts into one exact amount in the reporting currency plus the
 * amounts it has no rate for, kept apart. Overview, Costs, Budgets and the organization figures
 * all read spend through here or through convertAmounts on the same per-currency parts, so they
 * agree to the digit for the same range and organizations.
 */

export interface CostPart {
  currency: string | null;
  calls: number;
  cost: string;
}

export interface Spend extends ConvertedAmount {
  /** All calls in the range (priced or not). */
  calls: number;
  /** Currency → exact amount charged in it, before conversion (a budget counts its own currency). */
  byCurrency: Record<string, string>;
}

/** Parts without a currency are calls that were never priced: counted, with no amount. */
export function convertParts(parts: readonly CostPart[], reporting: ReportingCurrency): Spend {
  const byCurrency = new Map<string, Decimal>();
  for (const p of parts) {
    if (p.currency) byCurrency.set(p.currency, (byCurrency.get(p.currency) ?? new Exact(0)).plus(p.cost));
  }
  const priced = [...byCurrency].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount: amount.toFixed() }));
  return {
    calls: parts.reduce((n, p) => n + p.calls, 0),
    byCurrency: Object.fromEntries(priced.map((p) => [p.currency, p.amount])),
    ...convertAmounts(priced, reporting),
  };
}

export interface SpendRange {
  /** First and last day, inclusive (YYYY-MM-DD, UTC days of the rollup). */
  from: string;
  to: string;
  /** A view filter chosen by the user; what they may see at all is decided by RLS. */
  organizationId?: string | null;
}

/** Spend per organization (null = calls without one) in the range, converted. */
export async function spendByOrganization(tx: UserTx, reporting: ReportingCurrency, range: SpendRange): Promise<Map<string | null, Spend>> {
  let q = tx.selectFrom("llm_call_daily as d").where("d.day", ">=", range.from).where("d.day", "<=", range.to);
  if (range.organizationId) q = q.where("d.organization_id", "=", range.organizationId);
  const rows = await q
    .select([
      "d.organization_id",
      "d.currency",
      sql<number>`sum(d.calls)::int`.as("calls"),
      sql<string>`coalesce(sum(d.cost), 0)::text`.as("cost"),
    ])
    .groupBy(["d.organization_id", "d.currency"])
    .execute();
  const byOrg = new Map<string | null, CostPart[]>();
  for (const r of rows) byOrg.set(r.organization_id, [...(byOrg.get(r.organization_id) ?? []), r]);
  return new Map([...byOrg].map(([org, parts]) => [org, convertParts(parts, reporting)]));
}

/** Total spend in the range over every organization the user sees, converted. */
export async function spendTotal(tx: UserTx, reporting: ReportingCurrency, range: SpendRange): Promise<Spend> {
  const byOrg = await spendByOrganization(tx, reporting, range);
  return sumSpend([...byOrg.values()], reporting);
}

/** Adds spends per currency first, then converts once (the same result as one query over all). */
export function sumSpend(spends: readonly Spend[], reporting: ReportingCurrency): Spend {
  const parts = spends.flatMap((s): CostPart[] => [
    { currency: null, calls: s.calls, cost: "0" },
    ...Object.entries(s.byCurrency).map(([currency, cost]) => ({ currency, calls: 0, cost })),
  ]);
  return convertParts(parts, reporting);
}
