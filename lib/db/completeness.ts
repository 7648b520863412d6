import { sql, type Kysely } from "kysely";
import { costGranularity, type CostFilters } from "@/lib/schemas/cost-filters";
import type { Database } from "./client";
import { withUser, type JwtClaims, type UserTx } from "./rls";
import type { DB } from "./schema";

/**
 * Record completeness for the signed-in user, under RLS, from the daily rollups only:
 * llm_call_daily for ratios, coverage and prices, and llm_call_incomplete_daily (incomplete calls
 * per UTC day, organization, app and purpose, kept by triggers on llm_calls) for "incomplete
 * records by purpose", so no chart reads the raw ledger.
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

function rollup(tx: UserTx, filters: CostFilters) {
  let q = tx.selectFrom("llm_call_daily as d").where("d.day", ">=", filters.from).where("d.day", "<=", filters.to);
  if (filters.org) q = q.where("d.organization_id", "=", filters.org);
  return q;
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
    // By UTC day, or by month past 93 days (the same buckets as Costs).
    const bucket = sql<string>`to_char(d.day, ${costGranularity(filters) === "day" ? "YYYY-MM-DD" : "YYYY-MM"})`;
    const daily = await rollup(tx, filters)
      .select([bucket.as("day"), n(attempted).as("calls"), n(sql`d.complete_calls`).as("complete")])
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

    let incompleteQuery = tx
      .selectFrom("llm_call_incomplete_daily as i")
      .leftJoin("apps as a", "a.id", "i.app_id")
      .select(["i.purpose", "a.name as app", sql<number>`sum(i.calls)::int`.as("count")])
      .where("i.day", ">=", filters.from)
      .where("i.day", "<=", filters.to);
    if (filters.org) incompleteQuery = incompleteQuery.where("i.organization_id", "=", filters.org);
    const incomplete = await incompleteQuery
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
