import { sql, type AliasedSelectQueryBuilder, type Kysely } from "kysely";
import { costGranularity, type CostFilters } from "@/lib/schemas/cost-filters";
import { DEFAULT_TIME_ZONE, hasUtcDays, hasWholeHourDays, rangeInstants } from "@/lib/engine/date-range";
import type { Database } from "./client";
import { withUser, type JwtClaims, type UserTx } from "./rls";
import type { DB } from "./schema";

/**
 * Record completeness for the signed-in user, under RLS. Days are days of `filters.zone` (the
 * reporting time zone, README "Date ranges"), answered by rollups like Costs: in a zone whose
 * days are UTC days the daily ones (llm_call_daily for ratios, coverage and prices,
 * llm_call_incomplete_daily for "incomplete records by purpose"); in a zone with whole-hour
 * offsets (Amsterdam, New York…, DST included) their hourly twins llm_call_quality_hourly and
 * llm_call_incomplete_hourly summed between the zone's midnights; only for the rest (+05:30,
 * +05:45) the ledger itself, with the very definitions the rollup triggers use. All kept by
 * triggers on llm_calls.
 */

export interface CompletenessDay {
  day: string;
  calls: number;
  complete: number;
}

export interface Coverage {
  field: "organization" | "stage" | "type" | "tokens" | "cost";
  label: string;
  present: number;
}

export interface IncompleteGroup {
  purpose: string | null;
  app: string | null;
  count: number;
}

export interface MissingPriceModel {
  provider: string | null;
  model: string;
  /** Calls that reported tokens but got no cost: the model had no price. */
  unpriced: number;
  /** Calls priced from the built-in fallback table, not a database price row. */
  fallbackPriced: number;
}

export interface CompletenessData {
  filters: CostFilters;
  organizations: { id: string; name: string }[];
  calls: number;
  complete: number;
  daily: CompletenessDay[];
  coverage: Coverage[];
  incomplete: IncompleteGroup[];
  missingPrices: MissingPriceModel[];
}

const BUCKET_FORMAT = { day: "YYYY-MM-DD", month: "YYYY-MM" } as const;

/**
 * The range as rows of llm_call_daily's shape (`d`): the rollup itself for UTC days, else the
 * ledger's rows between the zone's midnights, one row per call with the rollup's counters
 * (triggers in 20261124000300_llm_calls.sql), and `bucket` the day or month in the zone.
 */
function rollup(tx: UserTx, filters: CostFilters) {
  const zone = filters.zone ?? DEFAULT_TIME_ZONE;
  const format = BUCKET_FORMAT[costGranularity(filters)];
  if (hasUtcDays(zone, filters)) {
    let q = tx.selectFrom("llm_call_daily as r").where("r.day", ">=", filters.from).where("r.day", "<=", filters.to);
    if (filters.org) q = q.where("r.organization_id", "=", filters.org);
    return tx.selectFrom(
      q.select([
        sql<string>`to_char(r.day, ${format})`.as("bucket"),
        "r.organization_id", "r.provider_code", "r.model_code", "r.pipeline_stage", "r.request_type",
        "r.calls", "r.failed_calls", "r.complete_calls", "r.calls_with_tokens", "r.calls_with_cost", "r.fallback_priced_calls",
      ]).as("d"),
    );
  }
  const { start, end } = rangeInstants(filters, zone);
  if (hasWholeHourDays(zone, filters)) {
    let h = tx.selectFrom("llm_call_quality_hourly as h").where("h.hour", ">=", start).where("h.hour", "<", end);
    if (filters.org) h = h.where("h.organization_id", "=", filters.org);
    return tx.selectFrom(
      h.select([
        sql<string>`to_char(h.hour at time zone ${zone}, ${format})`.as("bucket"),
        "h.organization_id", "h.provider_code", "h.model_code", "h.pipeline_stage", "h.request_type",
        "h.calls", "h.failed_calls", "h.complete_calls", "h.calls_with_tokens", "h.calls_with_cost", "h.fallback_priced_calls",
      ]).as("d"),
    );
  }
  let q = tx.selectFrom("llm_calls as c").where("c.created_at", ">=", start).where("c.created_at", "<", end);
  if (filters.org) q = q.where("c.organization_id", "=", filters.org);
  return tx.selectFrom(
    q.select([
      sql<string>`to_char(c.created_at at time zone ${zone}, ${format})`.as("bucket"),
      "c.organization_id", "c.provider_code", "c.model_code", "c.pipeline_stage", "c.request_type",
      sql<string>`1::bigint`.as("calls"),
      sql<string>`(c.status = 'failed')::int::bigint`.as("failed_calls"),
      sql<string>`c.record_complete::int::bigint`.as("complete_calls"),
      sql<string>`(c.total_tokens is not null)::int::bigint`.as("calls_with_tokens"),
      sql<string>`(c.cost is not null)::int::bigint`.as("calls_with_cost"),
      sql<string>`(c.pricing_source = 'fallback')::int::bigint`.as("fallback_priced_calls"),
    ]).as("d"),
  );
}

/** Incomplete records per organization, app and purpose: the rollup for UTC days, else the ledger. */
interface IncompleteRow {
  app_id: string | null;
  purpose: string | null;
  calls: string;
}

function incompleteSource(tx: UserTx, filters: CostFilters): AliasedSelectQueryBuilder<IncompleteRow, "i"> {
  const zone = filters.zone ?? DEFAULT_TIME_ZONE;
  if (hasUtcDays(zone, filters)) {
    let q = tx.selectFrom("llm_call_incomplete_daily as r").where("r.day", ">=", filters.from).where("r.day", "<=", filters.to);
    if (filters.org) q = q.where("r.organization_id", "=", filters.org);
    return q.select(["r.app_id", "r.purpose", sql<string>`r.calls`.as("calls")]).$castTo<IncompleteRow>().as("i");
  }
  const { start, end } = rangeInstants(filters, zone);
  if (hasWholeHourDays(zone, filters)) {
    let h = tx.selectFrom("llm_call_incomplete_hourly as h").where("h.hour", ">=", start).where("h.hour", "<", end);
    if (filters.org) h = h.where("h.organization_id", "=", filters.org);
    return h.select(["h.app_id", "h.purpose", sql<string>`h.calls`.as("calls")]).$castTo<IncompleteRow>().as("i");
  }
  // The rollup trigger's rule (20261206011000_refused_calls.sql): incomplete and not refused.
  let q = tx
    .selectFrom("llm_calls as c")
    .where("c.created_at", ">=", start)
    .where("c.created_at", "<", end)
    .where(sql<boolean>`not c.record_complete and not (c.status = 'failed' and c.provider_code is null)`);
  if (filters.org) q = q.where("c.organization_id", "=", filters.org);
  return q.select(["c.app_id", "c.purpose", sql<string>`1::bigint`.as("calls")]).$castTo<IncompleteRow>().as("i");
}

const n = (expr: ReturnType<typeof sql>) => sql<number>`coalesce(sum(${expr}), 0)::int`;

/**
 * Calls refused before any provider was called (rate limit, concurrency cap, budget, circuits:
 * failed rows without a provider, lib/gateway/refusal.ts) have nothing to price or attribute:
 * completeness counts attempts only. Refused rows have tokens (zero) and never a cost.
 */
const REFUSED_CALLS = sql`case when d.provider_code is null then d.failed_calls else 0 end`;
const attempted = sql`(d.calls - ${REFUSED_CALLS})`;

export async function loadCompleteness(db: Database | Kysely<DB>, claims: JwtClaims, filters: CostFilters): Promise<CompletenessData> {
  return withUser(db, claims, async (tx) => {
    const organizations = await tx.selectFrom("organizations").select(["id", "name"]).orderBy("name").execute();
    // By day of the zone, or by month past 93 days (the same buckets as Costs).
    const daily = await rollup(tx, filters)
      .select([sql<string>`d.bucket`.as("day"), n(attempted).as("calls"), n(sql`d.complete_calls`).as("complete")])
      .groupBy(sql`1`)
      .orderBy(sql`1`)
      .execute();

    const totals = await rollup(tx, filters)
      .select([
        n(attempted).as("calls"),
        n(sql`d.complete_calls`).as("complete"),
        n(sql`case when d.organization_id is not null then ${attempted} else 0 end`).as("organization"),
        n(sql`case when d.pipeline_stage is not null then ${attempted} else 0 end`).as("stage"),
        n(sql`case when d.request_type is not null then ${attempted} else 0 end`).as("type"),
        n(sql`d.calls_with_tokens - ${REFUSED_CALLS}`).as("tokens"),
        n(sql`d.calls_with_cost`).as("cost"),
      ])
      .executeTakeFirstOrThrow();

    const missing = await rollup(tx, filters)
      .select([
        "d.provider_code",
        "d.model_code",
        n(sql`d.calls_with_tokens - d.calls_with_cost`).as("unpriced"),
        n(sql`d.fallback_priced_calls`).as("fallback"),
      ])
      .where("d.model_code", "is not", null)
      .groupBy(["d.provider_code", "d.model_code"])
      .having(sql<boolean>`sum(d.calls_with_tokens - d.calls_with_cost) > 0 or sum(d.fallback_priced_calls) > 0`)
      .orderBy(sql`sum(d.calls_with_tokens - d.calls_with_cost)`, "desc")
      .orderBy("d.model_code")
      .execute();

    const incomplete = await tx
      .selectFrom(incompleteSource(tx, filters))
      .leftJoin("apps as a", "a.id", "i.app_id")
      .select(["i.purpose", "a.name as app", sql<number>`sum(i.calls)::int`.as("count")])
      .groupBy(["i.purpose", "a.name"])
      // A group whose calls were all completed since (repricing) nets to zero: not incomplete.
      .having(sql<boolean>`sum(i.calls) > 0`)
      .orderBy(sql`sum(i.calls)`, "desc")
      .orderBy("i.purpose")
      .limit(50)
      .execute();

    const coverage: Coverage[] = [
      { field: "organization", label: "Organization", present: totals.organization },
      { field: "stage", label: "Pipeline stage", present: totals.stage },
      { field: "type", label: "Request type", present: totals.type },
      { field: "tokens", label: "Tokens", present: totals.tokens },
      { field: "cost", label: "Cost", present: totals.cost },
    ];
    return {
      filters,
      organizations,
      calls: totals.calls,
      complete: totals.complete,
      daily,
      coverage,
      incomplete: incomplete.map((r) => ({ purpose: r.purpose, app: r.app, count: r.count })),
      missingPrices: missing.flatMap((r) =>
        r.model_code ? [{ provider: r.provider_code, model: r.model_code, unpriced: r.unpriced, fallbackPriced: r.fallback }] : [],
      ),
    };
  });
}
