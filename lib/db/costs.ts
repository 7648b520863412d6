import { Decimal } from "decimal.js";
import { sql, type Kysely } from "kysely";
import { COST_DIMENSIONS, costGranularity, type CostDimension, type CostFilters } from "@/lib/schemas/cost-filters";
import { DEFAULT_TIME_ZONE, bucketsOf, hasUtcDays, hasWholeHourDays, rangeInstants, type Granularity } from "@/lib/engine/date-range";
import type { Database } from "./client";
import { convertAmounts, rateFor, type ReportingCurrency } from "@/lib/engine/currency";
import { loadReportingCurrency } from "./currency";
import { convertParts } from "./money";
import { withUser, type JwtClaims, type UserTx } from "./rls";
import type { DB } from "./schema";

/**
 * Costs for the signed-in user, read from the daily rollup `llm_call_daily` under RLS (the user
 * sees only their organizations' rows; nothing here filters by membership). Every amount is
 * summed per currency in SQL, then converted into the reporting currency with decimal.js; an
 * amount in a currency without a rate is kept apart, never added.
 *
 * Days are days of `filters.zone` (README "Date ranges"). In a zone whose days are UTC days the
 * daily rollup answers; in a zone with whole-hour offsets (most, DST included) the hourly rollup
 * `llm_call_hourly`, summed between the zone's midnights; only for the rest (+05:30, +05:45…) is
 * the ledger itself read (exact, slower at high volume). Past 93 days the series is by month.
 */

const COLUMNS = {
  organization: "d.organization_id",
  model: "d.model_code",
  provider: "d.provider_code",
  stage: "d.pipeline_stage",
  request_type: "d.request_type",
} as const satisfies Record<CostDimension, string>;

export interface CostRow {
  /** Grouping value (organization id, model code…); null = not recorded. */
  key: string | null;
  label: string;
  calls: number;
  /** Exact decimal string in the reporting currency. */
  amount: string;
  /** Currency → exact amount that has no conversion rate. */
  unconverted: Record<string, string>;
}

export interface CostSeries {
  key: string;
  label: string;
}

export interface CostsData {
  filters: CostFilters;
  /** IANA zone of every day and bucket here. */
  zone: string;
  /** Buckets of `daily`: days (`yyyy-mm-dd`) up to 93 days, months (`yyyy-mm`) beyond. */
  granularity: Granularity;
  reporting: ReportingCurrency;
  /** Currencies present in the range with the rate used (null = not converted). */
  currencies: { currency: string; rate: string | null }[];
  organizations: { id: string; name: string }[];
  /** One series per organization; values are exact decimal strings in the reporting currency. */
  series: CostSeries[];
  /** One point per bucket with calls; `day` is the bucket (a day or a month). */
  daily: { day: string; values: Record<string, string> }[];
  breakdowns: Record<CostDimension, CostRow[]>;
  total: CostRow;
  /**
   * One row per bucket of the chart (every day, or month past 93 days, of the range in `zone`),
   * all organizations together: calls and the exact converted amount with what has no rate apart
   * (the per-period lines of the CSV). Buckets without calls are listed with 0 calls.
   */
  periods: CostRow[];
  /** Calls in the range with no cost at all (unknown price or tokens): not in any amount. */
  unpricedCalls: number;
}

const NO_ORG = "none";

const BUCKET_FORMAT: Record<Granularity, string> = { day: "YYYY-MM-DD", month: "YYYY-MM" };

/**
 * The rows of the range as one shape, from the rollup (UTC days) or the ledger (other zones):
 * bucket, the breakdown columns, currency, calls, priced calls and cost.
 */
function source(tx: UserTx, filters: CostFilters) {
  const zone = filters.zone ?? DEFAULT_TIME_ZONE;
  const format = BUCKET_FORMAT[costGranularity(filters)];
  if (hasUtcDays(zone, filters)) {
    let q = tx.selectFrom("llm_call_daily as r").where("r.day", ">=", filters.from).where("r.day", "<=", filters.to);
    // A view filter chosen by the user; what they may see at all is decided by RLS.
    if (filters.org) q = q.where("r.organization_id", "=", filters.org);
    return q.select([
      sql<string>`to_char(r.day, ${format})`.as("bucket"),
      "r.organization_id", "r.model_code", "r.provider_code", "r.pipeline_stage", "r.request_type", "r.currency",
      sql<string>`r.calls`.as("calls"),
      sql<string>`r.calls_with_cost`.as("calls_with_cost"),
      sql<string>`r.cost`.as("cost"),
    ]);
  }
  const { start, end } = rangeInstants(filters, zone);
  if (hasWholeHourDays(zone, filters)) {
    let h = tx.selectFrom("llm_call_hourly as h").where("h.hour", ">=", start).where("h.hour", "<", end);
    if (filters.org) h = h.where("h.organization_id", "=", filters.org);
    return h.select([
      sql<string>`to_char(h.hour at time zone ${zone}, ${format})`.as("bucket"),
      "h.organization_id", "h.model_code", "h.provider_code", "h.pipeline_stage", "h.request_type", "h.currency",
      sql<string>`h.calls`.as("calls"),
      sql<string>`h.calls_with_cost`.as("calls_with_cost"),
      sql<string>`h.cost`.as("cost"),
    ]);
  }
  let q = tx.selectFrom("llm_calls as c").where("c.created_at", ">=", start).where("c.created_at", "<", end);
  if (filters.org) q = q.where("c.organization_id", "=", filters.org);
  return q.select([
    sql<string>`to_char(c.created_at at time zone ${zone}, ${format})`.as("bucket"),
    "c.organization_id", "c.model_code", "c.provider_code", "c.pipeline_stage", "c.request_type", "c.currency",
    sql<string>`1::bigint`.as("calls"),
    sql<string>`(c.cost is not null)::int::bigint`.as("calls_with_cost"),
    sql<string>`coalesce(c.cost, 0)`.as("cost"),
  ]);
}

interface Part {
  key: string | null;
  currency: string | null;
  calls: number;
  cost: string;
}

interface SetRow extends Part {
  set: CostDimension | "daily";
  bucket: string | null;
  organization_id: string | null;
  unpriced: number;
}

/**
 * Every breakdown, the per-bucket series and the unpriced count in ONE pass over the range
 * (grouping sets): the rollup or the ledger is scanned once, not once per breakdown.
 */
async function sumAll(tx: UserTx, filters: CostFilters): Promise<SetRow[]> {
  const key = sql.join(
    COST_DIMENSIONS.map((d) => sql`when grouping(${sql.ref(COLUMNS[d])}) = 0 then ${sql.ref(COLUMNS[d])}::text`),
    sql` `,
  );
  const set = sql.join(COST_DIMENSIONS.map((d) => sql`when grouping(${sql.ref(COLUMNS[d])}) = 0 then ${sql.lit(d)}`), sql` `);
  const sets = sql.join(
    [
      ...COST_DIMENSIONS.map((d) => sql`(${sql.ref(COLUMNS[d])}, d.currency)`),
      sql`(d.bucket, d.organization_id, d.currency)`,
    ],
    sql`, `,
  );
  return tx
    .selectFrom(source(tx, filters).as("d"))
    .select([
      // The daily set also groups by organization: test the bucket first.
      sql<SetRow["set"]>`case when grouping(d.bucket) = 0 then 'daily' ${set} end`.as("set"),
      sql<string | null>`case when grouping(d.bucket) = 0 then null ${key} end`.as("key"),
      sql<string | null>`case when grouping(d.bucket) = 0 then d.bucket end`.as("bucket"),
      sql<string | null>`case when grouping(d.bucket) = 0 then d.organization_id::text end`.as("organization_id"),
      "d.currency",
      sql<number>`sum(d.calls)::int`.as("calls"),
      sql<number>`sum(d.calls - d.calls_with_cost)::int`.as("unpriced"),
      sql<string>`sum(d.cost)::text`.as("cost"),
    ])
    .groupBy(sql`grouping sets (${sets})`)
    .execute();
}

function toRows(parts: Part[], reporting: ReportingCurrency, labelOf: (key: string | null) => string): CostRow[] {
  const groups = new Map<string | null, Part[]>();
  for (const p of parts) groups.set(p.key, [...(groups.get(p.key) ?? []), p]);
  const rows = [...groups].map(([key, list]): CostRow => {
    // Rows without a currency are calls that were never priced: counted, with no amount.
    const priced = list.flatMap((p) => (p.currency ? [{ currency: p.currency, amount: p.cost }] : []));
    return { key, label: labelOf(key), calls: list.reduce((n, p) => n + p.calls, 0), ...convertAmounts(priced, reporting) };
  });
  return rows.sort((a, b) => new Decimal(b.amount).cmp(a.amount) || b.calls - a.calls || a.label.localeCompare(b.label));
}

export async function loadCosts(db: Database | Kysely<DB>, claims: JwtClaims, filters: CostFilters): Promise<CostsData> {
  return withUser(db, claims, async (tx) => {
    const reporting = await loadReportingCurrency(tx);
    const organizations = await tx.selectFrom("organizations").select(["id", "name"]).orderBy("name").execute();
    const names = new Map(organizations.map((o) => [o.id, o.name]));
    const orgLabel = (key: string | null) => (key === null ? "(no organization)" : (names.get(key) ?? key));
    const plain = (key: string | null) => key ?? "(not recorded)";

    const all = await sumAll(tx, filters);
    const breakdowns = {} as Record<CostDimension, CostRow[]>;
    for (const dimension of COST_DIMENSIONS) {
      const parts = all.filter((r) => r.set === dimension);
      breakdowns[dimension] = toRows(parts, reporting, dimension === "organization" ? orgLabel : plain);
    }
    const orgParts = all.filter((r) => r.set === "organization");

    const series = breakdowns.organization.map((r) => ({ key: r.key ?? NO_ORG, label: r.label }));
    const byDay = new Map<string, Map<string, { currency: string; amount: string }[]>>();
    for (const p of all) {
      if (p.set !== "daily" || !p.currency || !p.bucket) continue;
      const day = byDay.get(p.bucket) ?? new Map<string, { currency: string; amount: string }[]>();
      const key = p.organization_id ?? NO_ORG;
      day.set(key, [...(day.get(key) ?? []), { currency: p.currency, amount: p.cost }]);
      byDay.set(p.bucket, day);
    }
    // The chart plots converted amounts only; unconverted ones are listed beside it.
    const daily = [...byDay]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, orgs]) => ({
        day,
        values: Object.fromEntries([...orgs].map(([key, parts]) => [key, convertAmounts(parts, reporting).amount])),
      }));
    const periodParts = new Map<string, SetRow[]>();
    for (const p of all) if (p.set === "daily" && p.bucket) periodParts.set(p.bucket, [...(periodParts.get(p.bucket) ?? []), p]);
    const periods = bucketsOf(filters, costGranularity(filters)).map((bucket): CostRow => {
      const { calls, amount, unconverted } = convertParts(periodParts.get(bucket) ?? [], reporting);
      return { key: bucket, label: bucket, calls, amount, unconverted };
    });
    const unpriced = { n: orgParts.reduce((n, p) => n + p.unpriced, 0) };

    const currencyList = [...new Set(orgParts.flatMap((p) => (p.currency ? [p.currency] : [])))].sort();
    const priced = orgParts.flatMap((p) => (p.currency ? [{ currency: p.currency, amount: p.cost }] : []));
    return {
      filters,
      zone: filters.zone ?? DEFAULT_TIME_ZONE,
      granularity: costGranularity(filters),
      reporting,
      currencies: currencyList.map((currency) => ({ currency, rate: rateFor(reporting, currency)?.toFixed() ?? null })),
      organizations,
      series,
      daily,
      breakdowns,
      periods,
      total: { key: null, label: "Total", calls: orgParts.reduce((n, p) => n + p.calls, 0), ...convertAmounts(priced, reporting) },
      unpricedCalls: unpriced.n,
    };
  });
}
