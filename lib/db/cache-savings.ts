import { sql, type Kysely } from "kysely";
import { DEFAULT_TIME_ZONE, hasUtcDays, hasWholeHourDays, rangeInstants } from "@/lib/engine/date-range";
import type { ReportingCurrency } from "@/lib/engine/currency";
import type { Database } from "./client";
import { loadReportingCurrency } from "./currency";
import { convertParts, type Spend } from "./money";
import { withUser, type JwtClaims, type UserTx } from "./rls";
import type { DB } from "./schema";

/**
 * "Saved by cache" on Savings (issue 13): what the calls answered from the gateway's response
 * cache would have cost, over the days of the page's time zone (llm_call_daily.cache_hits and
 * cache_saved_cost, migration 20261208050001, or their hourly rollup 20261208060001) under the user's RLS and converted by the one
 * money rule (lib/db/money.ts): summed per currency, then converted once; a currency without a
 * rate stays apart, never added and never dropped. Overview and the organization page show the
 * same figure for their month (cacheSavingsIn, in their own RLS transaction), so the three agree.
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
  range: { from: string; to: string; organizationId?: string | null; zone?: string },
): Promise<CacheSavings> {
  return withUser(db, claims, async (tx) => cacheSavingsIn(tx, await loadReportingCurrency(tx), range));
}

/** loadCacheSavings inside the caller's RLS transaction, with its reporting currency already read. */
export async function cacheSavingsIn(
  tx: UserTx,
  reporting: ReportingCurrency,
  range: { from: string; to: string; organizationId?: string | null; zone?: string },
): Promise<CacheSavings> {
  const parts = await savedPerCurrency(tx, range);
  return { hits: parts.reduce((n, p) => n + Number(p.calls), 0), saved: convertParts(parts, reporting), reportingCurrency: reporting.currency };
}

/**
 * Hits and saved cost per currency over the days of `range.zone` (default UTC), by the rule of
 * every dated page: the daily rollup for UTC days, the hourly savings rollup between the zone's
 * midnights for whole-hour zones, else the ledger. A view filter chosen by the user narrows the
 * organization; what they may see at all is decided by RLS.
 */
function savedPerCurrency(tx: UserTx, range: { from: string; to: string; organizationId?: string | null; zone?: string }) {
  const zone = range.zone ?? DEFAULT_TIME_ZONE;
  const org = range.organizationId;
  const select = [sql<number>`sum(cache_hits)::int`.as("calls"), sql<string>`coalesce(sum(cache_saved_cost), 0)::text`.as("cost")] as const;
  if (hasUtcDays(zone, range)) {
    let q = tx.selectFrom("llm_call_daily").where("day", ">=", range.from).where("day", "<=", range.to).where("cache_hits", ">", 0);
    if (org) q = q.where("organization_id", "=", org);
    return q.select(["currency", ...select]).groupBy("currency").execute();
  }
  const { start, end } = rangeInstants(range, zone);
  if (hasWholeHourDays(zone, range)) {
    let q = tx.selectFrom("llm_call_savings_hourly").where("hour", ">=", start).where("hour", "<", end).where("cache_hits", ">", 0);
    if (org) q = q.where("organization_id", "=", org);
    return q.select(["currency", ...select]).groupBy("currency").execute();
  }
  let q = tx.selectFrom("llm_calls").where("created_at", ">=", start).where("created_at", "<", end).where("cache_hit", "=", true);
  if (org) q = q.where("organization_id", "=", org);
  return q
    .select(["currency", sql<number>`count(*)::int`.as("calls"), sql<string>`coalesce(sum(cache_saved_cost), 0)::text`.as("cost")])
    .groupBy("currency")
    .execute();
}
