import { Decimal } from "decimal.js";
import { sql, type Kysely } from "kysely";
import { dayBounds, monthList, type SavingsFilters } from "@/lib/schemas/savings-filters";
import type { Database } from "./client";
import { Exact, rateFor, type ReportingCurrency } from "@/lib/engine/currency";
import { loadReportingCurrency } from "./currency";
import { withUser, type JwtClaims } from "./rls";
import type { DB } from "./schema";

/**
 * Savings against each app's baseline model, per organization and month, read from the daily
 * rollup `llm_call_daily` under RLS (nothing here filters by membership).
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
  month: string;
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
  reporting: ReportingCurrency;
  /** Currencies present in the range with the rate used (null = not converted). */
  currencies: { currency: string; rate: string | null }[];
  organizations: { id: string; name: string }[];
  months: string[];
  rows: SavingsRow[];
  apps: AppSavingsRow[];
  /** One total per currency shown: the reporting currency first, then unconverted ones. */
  totals: (SavingsAmounts & { currency: string; converted: boolean })[];
  /** Per month, in the reporting currency (converted amounts only), for the chart. */
  chart: { month: string; actual: string; baseline: string }[];
}

interface Part {
  month: string;
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

export async function loadSavings(db: Database | Kysely<DB>, claims: JwtClaims, filters: SavingsFilters): Promise<SavingsData> {
  const { first, last } = dayBounds(filters);
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
    let q = tx
      .selectFrom("llm_call_daily as d")
      .where("d.day", ">=", first)
      .where("d.day", "<=", last);
    // A view filter chosen by the user; what they may see at all is decided by RLS.
    if (filters.org) q = q.where("d.organization_id", "=", filters.org);
    const parts: Part[] = await q
      .select([
        sql<string>`to_char(d.day, 'YYYY-MM')`.as("month"),
        "d.organization_id",
        "d.app_id",
        "d.currency",
        sql<number>`sum(d.calls)::int`.as("calls"),
        sql<number>`coalesce(sum(d.calls_with_baseline) filter (where ${full}), 0)::int`.as("compared"),
        sql<string>`coalesce(sum(d.cost) filter (where ${full}), 0)::text`.as("actual"),
        sql<string>`coalesce(sum(d.baseline_cost) filter (where ${full}), 0)::text`.as("baseline"),
      ])
      .groupBy([sql`to_char(d.day, 'YYYY-MM')`, "d.organization_id", "d.app_id", "d.currency"])
      .execute();

    const orgNames = new Map(organizations.map((o) => [o.id, o.name]));
    const orgLabel = (id: string | null) => (id === null ? "(no organization)" : (orgNames.get(id) ?? id));
    const appInfo = new Map(apps.map((a) => [a.id, a]));

    const rows = group(parts, reporting, (p) => `${p.organization_id ?? ""}|${p.month}`)
      .map((e): SavingsRow => ({
        organizationId: e.sample.organization_id,
        organization: orgLabel(e.sample.organization_id),
        month: e.sample.month,
        currency: e.currency,
        converted: e.converted,
        ...e.bucket.amounts(),
      }))
      .sort((a, b) => a.organization.localeCompare(b.organization) || a.month.localeCompare(b.month) || byConvertedThenCurrency(a, b));

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

    const perMonth = new Map(
      group(parts, reporting, (p) => p.month)
        .filter((e) => e.converted)
        .map((e) => [e.key, e.bucket]),
    );
    const chart = monthList(filters.from, filters.to).map((month) => {
      const b = perMonth.get(month);
      return { month, actual: b?.actual.toFixed() ?? "0", baseline: b?.baseline.toFixed() ?? "0" };
    });

    const currencyList = [...new Set(parts.flatMap((p) => (p.currency ? [p.currency] : [])))].sort();
    return {
      filters,
      reporting,
      currencies: currencyList.map((currency) => ({ currency, rate: rateFor(reporting, currency)?.toFixed() ?? null })),
      organizations,
      months: monthList(filters.from, filters.to),
      rows,
      apps: appRows,
      totals,
      chart,
    };
  });
}
