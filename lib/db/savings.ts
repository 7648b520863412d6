import { Decimal } from "decimal.js";
import { sql, type Kysely } from "kysely";
import { savingsGranularity, type SavingsFilters } from "@/lib/schemas/savings-filters";
import { DEFAULT_TIME_ZONE, bucketsOf, hasUtcDays, hasWholeHourDays, rangeInstants, type Granularity } from "@/lib/engine/date-range";
import type { Database } from "./client";
import { Exact, rateFor, type ReportingCurrency } from "@/lib/engine/currency";
import { loadReportingCurrency } from "./currency";
import { withUser, type JwtClaims, type UserTx } from "./rls";
import type { DB } from "./schema";

/**
 * Savings against each app's baseline model, per organization and period (day, or month past 93
 * days, of the reporting time zone), read under RLS (nothing here filters by membership): from
 * the daily rollup `llm_call_daily` when the zone's days are UTC days, from the hourly rollup
 * `llm_call_savings_hourly` between the zone's midnights for whole-hour zones, else (+05:30…)
 * from the ledger, summed per zone day with the rollup's own keys first so the comparison rule
 * below applies to the same kind of row.
 *
 * Which calls are compared: a call has a baseline (shadow) cost only when the app's baseline
 * model had a price in the call's own currency (lib/engine/price.ts baselineCost), so actual and
 * baseline are always in one currency. The rollup sums cost over all priced calls of a row but
 * baseline_cost only over those with a baseline; a row is compared only when every priced call in
 * it has one (calls_with_baseline = calls_with_cost), so its cost is exactly the actual cost of
 * the compared calls. The other calls are counted as "without a baseline" and left out of both
 * amounts. Currencies are converted into the reporting currency with reporting.fx_rates exactly
 * like the Costs page; a currency without a rate gets rows of its own and is never added.
 */

export interface SavingsAmounts {
  /** All calls of the row (with or without a cost). */
  calls: number;
  /** Calls compared with the baseline: actual and baseline amounts cover exactly these. */
  compared: number;
  /** Exact decimal strings in `currency`. */
  actual: string;
  baseline: string;
  savings: string;
  /** Savings as a percentage of the baseline, exact; null when the baseline is 0. */
  pct: string | null;
}

export interface SavingsRow extends SavingsAmounts {
  organizationId: string | null;
  organization: string;
  /** The bucket: a day (`yyyy-mm-dd`) of the zone, or a month (`yyyy-mm`) past 93 days. */
  period: string;
  currency: string;
  /** False when the amounts stay in their own currency (no rate into the reporting currency). */
  converted: boolean;
}

export interface AppSavingsRow extends SavingsAmounts {
  appId: string | null;
  app: string;
  baselineModel: string | null;
  currency: string;
  converted: boolean;
}

export interface SavingsData {
  filters: SavingsFilters;
  /** IANA zone of every day and bucket here. */
  zone: string;
  granularity: Granularity;
  reporting: ReportingCurrency;
  /** Currencies present in the range with the rate used (null = not converted). */
  currencies: { currency: string; rate: string | null }[];
  organizations: { id: string; name: string }[];
  /** Every bucket of the range, in order. */
  periods: string[];
  rows: SavingsRow[];
  apps: AppSavingsRow[];
  /** One total per currency shown: the reporting currency first, then unconverted ones. */
  totals: (SavingsAmounts & { currency: string; converted: boolean })[];
  /** Per period, in the reporting currency (converted amounts only), for the chart. */
  chart: { period: string; actual: string; baseline: string }[];
}

interface Part {
  period: string;
  organization_id: string | null;
  app_id: string | null;
  currency: string | null;
  calls: number;
  compared: number;
  actual: string;
  baseline: string;
}

class Bucket {
  calls = 0;
  compared = 0;
  actual: Decimal = new Exact(0);
  baseline: Decimal = new Exact(0);

  add(part: Part, rate: Decimal): void {
    this.calls += part.calls;
    this.compared += part.compared;
    this.actual = this.actual.plus(new Exact(part.actual).times(rate));
    this.baseline = this.baseline.plus(new Exact(part.baseline).times(rate));
  }

  amounts(): SavingsAmounts {
    const savings = this.baseline.minus(this.actual);
    return {
      calls: this.calls,
      compared: this.compared,
      actual: this.actual.toFixed(),
      baseline: this.baseline.toFixed(),
      savings: savings.toFixed(),
      // A share, not money: the default 20 significant digits are plenty.
      pct: this.baseline.isZero() ? null : new Decimal(savings).div(new Decimal(this.baseline)).times(100).toFixed(),
    };
  }
}

/**
 * Groups parts by `keyOf` and currency: parts whose currency has a rate (and unpriced parts,
 * which have calls but no amounts) land in the reporting currency; the others keep their own.
 */
function group(parts: Part[], reporting: ReportingCurrency, keyOf: (p: Part) => string) {
  const buckets = new Map<string, { key: string; currency: string; converted: boolean; sample: Part; bucket: Bucket }>();
  for (const p of parts) {
    const rate = p.currency === null ? new Decimal(1) : rateFor(reporting, p.currency);
    const currency = rate ? reporting.currency : p.currency!;
    const id = `${keyOf(p)}|${currency}`;
    let entry = buckets.get(id);
    if (!entry) {
      entry = { key: keyOf(p), currency, converted: rate !== null, sample: p, bucket: new Bucket() };
      buckets.set(id, entry);
    }
    entry.bucket.add(p, rate ?? new Decimal(1));
  }
  return [...buckets.values()];
}

const byConvertedThenCurrency = (a: { converted: boolean; currency: string }, b: { converted: boolean; currency: string }) =>
  Number(b.converted) - Number(a.converted) || a.currency.localeCompare(b.currency);

/**
 * Rows of llm_call_daily's shape over the range: `day` is the zone's calendar day. The rollup
 * itself for UTC days; else the ledger summed per zone day and the rollup's key columns.
 */
function source(tx: UserTx, filters: SavingsFilters) {
  const zone = filters.zone ?? DEFAULT_TIME_ZONE;
  if (hasUtcDays(zone, filters)) {
    let q = tx.selectFrom("llm_call_daily as r").where("r.day", ">=", filters.from).where("r.day", "<=", filters.to);
    // A view filter chosen by the user; what they may see at all is decided by RLS.
    if (filters.org) q = q.where("r.organization_id", "=", filters.org);
    return q
      .select([
        sql<string>`to_char(r.day, 'YYYY-MM-DD')`.as("day"),
        "r.organization_id", "r.app_id", "r.currency",
        sql<string>`r.calls`.as("calls"),
        sql<string>`r.calls_with_cost`.as("calls_with_cost"),
        sql<string>`r.calls_with_baseline`.as("calls_with_baseline"),
        sql<string>`r.cost`.as("cost"),
        sql<string>`r.baseline_cost`.as("baseline_cost"),
      ])
      .$castTo<SourceRow>()
      .as("d");
  }
  const { start, end } = rangeInstants(filters, zone);
  if (hasWholeHourDays(zone, filters)) {
    // Whole-hour offsets: the hourly rollup of the same groups, summed per zone day (exact, and
    // kept past the ledger's retention like Costs' llm_call_hourly).
    let h = tx.selectFrom("llm_call_savings_hourly as h").where("h.hour", ">=", start).where("h.hour", "<", end);
    if (filters.org) h = h.where("h.organization_id", "=", filters.org);
    return h
      .select([
        sql<string>`to_char(h.hour at time zone ${zone}, 'YYYY-MM-DD')`.as("day"),
        "h.organization_id", "h.app_id", "h.currency",
        sql<string>`sum(h.calls)`.as("calls"),
        sql<string>`sum(h.calls_with_cost)`.as("calls_with_cost"),
        sql<string>`sum(h.calls_with_baseline)`.as("calls_with_baseline"),
        sql<string>`sum(h.cost)`.as("cost"),
        sql<string>`sum(h.baseline_cost)`.as("baseline_cost"),
      ])
      .groupBy([sql`1`, "h.organization_id", "h.app_id", "h.provider_code", "h.model_code", "h.pipeline_stage", "h.request_type", "h.currency"])
      .$castTo<SourceRow>()
      .as("d");
  }
  let q = tx.selectFrom("llm_calls as c").where("c.created_at", ">=", start).where("c.created_at", "<", end);
  if (filters.org) q = q.where("c.organization_id", "=", filters.org);
  const day = sql<string>`to_char(c.created_at at time zone ${zone}, 'YYYY-MM-DD')`;
  return q
    .select([
      day.as("day"),
      "c.organization_id", "c.app_id", "c.currency",
      sql<string>`count(*)`.as("calls"),
      sql<string>`count(c.cost)`.as("calls_with_cost"),
      sql<string>`count(c.baseline_cost)`.as("calls_with_baseline"),
      sql<string>`coalesce(sum(c.cost), 0)`.as("cost"),
      sql<string>`coalesce(sum(c.baseline_cost), 0)`.as("baseline_cost"),
    ])
    // The rollup's key (20261124000300_llm_calls.sql) with the zone's day instead of the UTC day.
    // By position: the zone is a bound parameter, so the select's expression is not the same text.
    .groupBy([sql`1`, "c.organization_id", "c.app_id", "c.provider_code", "c.model_code", "c.pipeline_stage", "c.request_type", "c.currency"])
    .$castTo<SourceRow>()
    .as("d");
}

interface SourceRow {
  day: string;
  organization_id: string | null;
  app_id: string | null;
  currency: string | null;
  calls: string;
  calls_with_cost: string;
  calls_with_baseline: string;
  cost: string;
  baseline_cost: string;
}

export async function loadSavings(db: Database | Kysely<DB>, claims: JwtClaims, filters: SavingsFilters): Promise<SavingsData> {
  const granularity = savingsGranularity(filters);
  const periods = bucketsOf(filters, granularity);
  return withUser(db, claims, async (tx) => {
    const reporting = await loadReportingCurrency(tx);
    const organizations = await tx.selectFrom("organizations").select(["id", "name"]).orderBy("name").execute();
    const apps = await tx
      .selectFrom("apps as a")
      .leftJoin("llm_models as m", "m.id", "a.baseline_model_id")
      .select(["a.id", "a.name", "m.model_code"])
      .execute();

    // A row is compared when every priced call in it has a baseline (see the module comment).
    const full = sql`d.calls_with_baseline > 0 and d.calls_with_baseline = d.calls_with_cost`;
    // A literal, not a parameter: the same text in the select and the group by.
    const bucket = sql<string>`left(d.day, ${sql.lit(granularity === "day" ? 10 : 7)})`;
    const parts: Part[] = await tx
      .selectFrom(source(tx, filters))
      .select([
        bucket.as("period"),
        "d.organization_id",
        "d.app_id",
        "d.currency",
        sql<number>`sum(d.calls)::int`.as("calls"),
        sql<number>`coalesce(sum(d.calls_with_baseline) filter (where ${full}), 0)::int`.as("compared"),
        sql<string>`coalesce(sum(d.cost) filter (where ${full}), 0)::text`.as("actual"),
        sql<string>`coalesce(sum(d.baseline_cost) filter (where ${full}), 0)::text`.as("baseline"),
      ])
      .groupBy([bucket, "d.organization_id", "d.app_id", "d.currency"])
      .execute();

    const orgNames = new Map(organizations.map((o) => [o.id, o.name]));
    const orgLabel = (id: string | null) => (id === null ? "(no organization)" : (orgNames.get(id) ?? id));
    const appInfo = new Map(apps.map((a) => [a.id, a]));

    const rows = group(parts, reporting, (p) => `${p.organization_id ?? ""}|${p.period}`)
      .map((e): SavingsRow => ({
        organizationId: e.sample.organization_id,
        organization: orgLabel(e.sample.organization_id),
        period: e.sample.period,
        currency: e.currency,
        converted: e.converted,
        ...e.bucket.amounts(),
      }))
      .sort((a, b) => a.organization.localeCompare(b.organization) || a.period.localeCompare(b.period) || byConvertedThenCurrency(a, b));

    const appRows = group(parts, reporting, (p) => p.app_id ?? "")
      .map((e): AppSavingsRow => {
        const app = e.sample.app_id ? appInfo.get(e.sample.app_id) : undefined;
        return {
          appId: e.sample.app_id,
          app: app?.name ?? (e.sample.app_id ? e.sample.app_id : "(no app)"),
          baselineModel: app?.model_code ?? null,
          currency: e.currency,
          converted: e.converted,
          ...e.bucket.amounts(),
        };
      })
      .sort((a, b) => a.app.localeCompare(b.app) || byConvertedThenCurrency(a, b));

    const totals = group(parts, reporting, () => "total")
      .map((e) => ({ currency: e.currency, converted: e.converted, ...e.bucket.amounts() }))
      .sort(byConvertedThenCurrency);

    const perPeriod = new Map(
      group(parts, reporting, (p) => p.period)
        .filter((e) => e.converted)
        .map((e) => [e.key, e.bucket]),
    );
    const chart = periods.map((period) => {
      const b = perPeriod.get(period);
      return { period, actual: b?.actual.toFixed() ?? "0", baseline: b?.baseline.toFixed() ?? "0" };
    });

    const currencyList = [...new Set(parts.flatMap((p) => (p.currency ? [p.currency] : [])))].sort();
    return {
      filters,
      zone: filters.zone ?? DEFAULT_TIME_ZONE,
      granularity,
      reporting,
      currencies: currencyList.map((currency) => ({ currency, rate: rateFor(reporting, currency)?.toFixed() ?? null })),
      organizations,
      periods,
      rows,
      apps: appRows,
      totals,
      chart,
    };
  });
}
