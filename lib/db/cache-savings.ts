import { sql, type Kysely } from "kysely";
import type { Database } from "./client";
import { loadReportingCurrency } from "./currency";
import { convertParts, type Spend } from "./money";
import { withUser, type JwtClaims } from "./rls";
import type { DB } from "./schema";

/**
 * "Saved by cache" on Savings (issue 13): what the calls answered from the gateway's response
 * cache would have cost, read from the daily rollup (llm_call_daily.cache_hits and
 * cache_saved_cost, migration 20261208050001) under the user's RLS and converted by the one
 * money rule (lib/db/money.ts): summed per currency, then converted once; a currency without a
 * rate stays apart, never added and never dropped.
 */
export interface CacheSavings {
  /** Calls answered from the cache in the range. */
  hits: number;
  /** What they saved: exact, in the reporting currency, plus any unconverted amounts. */
  saved: Spend;
  reportingCurrency: string;
}

export async function loadCacheSavings(
  db: Database | Kysely<DB>,
  claims: JwtClaims,
  range: { from: string; to: string; organizationId?: string | null },
): Promise<CacheSavings> {
  return withUser(db, claims, async (tx) => {
    const reporting = await loadReportingCurrency(tx);
    let q = tx.selectFrom("llm_call_daily as d").where("d.day", ">=", range.from).where("d.day", "<=", range.to).where("d.cache_hits", ">", 0);
    // A view filter chosen by the user; what they may see at all is decided by RLS.
    if (range.organizationId) q = q.where("d.organization_id", "=", range.organizationId);
    const parts = await q
      .select(["d.currency", sql<number>`sum(d.cache_hits)::int`.as("calls"), sql<string>`coalesce(sum(d.cache_saved_cost), 0)::text`.as("cost")])
      .groupBy("d.currency")
      .execute();
    return { hits: parts.reduce((n, p) => n + Number(p.calls), 0), saved: convertParts(parts, reporting), reportingCurrency: reporting.currency };
  });
}
