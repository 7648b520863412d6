import { sql, type Kysely } from "kysely";
import type { ReportingCurrency } from "@/lib/engine/currency";
import { adjustmentLines, billingRates, priceLines, rebill, summarize, type ClientPrice, type StatementLine, type StatementSummary, type StatementTerms, type UsageGroup } from "@/lib/engine/statement";
import { adjustmentMonth, monthBounds, monthDate, monthIn, nextMonth } from "@/lib/engine/statement-period";
import { loadReportingCurrency } from "./currency";
import type { Database } from "./client";
import { withUser, type JwtClaims, type UserTx } from "./rls";
import type { DB } from "./schema";
import { readFrozenLines } from "./statement-lines";
import { changedSinceLatestClose, monthMarks } from "./statement-marks";
import { timeZoneFor } from "./time-zone";

/**
 * Client statements, read under the signed-in user's RLS (finance and admins of an organization,
 * platform-wide members for all; lib/engine/statement.ts holds the arithmetic). A closed month is
 * read from its frozen lines; a draft is computed live from the hourly statement rollup
 * (llm_call_statement_hourly, never the ledger), plus, on the month after the latest closed one,
 * the adjustments of every closed month: its live figures priced at ITS terms − its frozen lines −
 * adjustments already frozen for it by later closed statements.
 */

export interface BillingTerms {
  billingCurrency: string;
  /** True when the organization has no currency of its own (the reporting currency is used). */
  currencyIsDefault: boolean;
  markupPct: string;
}

export interface ClosedStatement {
  id: string;
  month: string;
  status: "closed" | "reopened";
  billingCurrency: string;
  markupPct: string;
  rates: Record<string, string>;
  timeZone: string;
  closedAt: string;
  closedByEmail: string | null;
  reopenedAt: string | null;
  reopenReason: string | null;
  /** Closed month → its change-mark sum when this statement was closed (null: closed before marks; lib/db/statement-marks.ts). */
  marksSeen: Record<string, string> | null;
}

export interface StatementOrganization {
  id: string;
  name: string;
  slug: string;
}

/** Organizations whose statements the user may read: RLS decides (has_org_role admin/finance). */
export async function statementOrganizations(tx: UserTx): Promise<StatementOrganization[]> {
  return tx
    .selectFrom("organizations as o")
    .select(["o.id", "o.name", "o.slug"])
    .where(sql<boolean>`public.has_org_role(o.id, array['admin', 'finance'])`)
    .orderBy("o.name")
    .execute();
}

export async function canReadStatements(tx: UserTx, organizationId: string): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`select public.has_org_role(${organizationId}::uuid, array['admin', 'finance']) as ok`.execute(tx);
  return Boolean(rows[0]?.ok);
}

export async function billingTerms(tx: UserTx, organizationId: string, reporting: ReportingCurrency): Promise<BillingTerms> {
  const row = await tx.selectFrom("billing_terms").select(["billing_currency", "markup_pct"]).where("organization_id", "=", organizationId).executeTakeFirst();
  return {
    billingCurrency: row?.billing_currency ?? reporting.currency,
    currencyIsDefault: !row?.billing_currency,
    markupPct: row ? trimNumeric(row.markup_pct) : "0",
  };
}

function trimNumeric(value: string): string {
  return value.includes(".") ? value.replace(/0+$/, "").replace(/\.$/, "") : value;
}

export async function closedStatements(tx: UserTx, organizationId: string): Promise<ClosedStatement[]> {
  const rows = await tx.selectFrom("statements").selectAll().where("organization_id", "=", organizationId).orderBy("month").execute();
  return rows.map((r) => ({
    id: r.id,
    month: r.month.slice(0, 7),
    status: r.status,
    billingCurrency: r.billing_currency,
    markupPct: trimNumeric(r.markup_pct),
    rates: r.fx_rates,
    timeZone: r.time_zone,
    closedAt: r.closed_at.toISOString(),
    closedByEmail: r.closed_by_email,
    reopenedAt: r.reopened_at?.toISOString() ?? null,
    reopenReason: r.reopen_reason,
    marksSeen: r.marks_seen,
  }));
}

export interface ClientPriceRow extends ClientPrice {
  modelId: string;
  modelCode: string;
  providerCode: string;
  effectiveFrom: string;
}

export async function clientPriceList(tx: UserTx, organizationId: string): Promise<ClientPriceRow[]> {
  const rows = await tx
    .selectFrom("client_prices as p")
    .innerJoin("llm_models as m", "m.id", "p.model_id")
    .innerJoin("llm_providers as pr", "pr.id", "m.provider_id")
    .select(["p.id", "p.model_id", "m.model_code", "pr.code as provider_code", "p.input_per_mtok", "p.output_per_mtok", "p.cached_input_per_mtok", "p.cache_write_per_mtok", "p.cache_write_1h_per_mtok", "p.currency", "p.effective_from"])
    .where("p.organization_id", "=", organizationId)
    .orderBy("m.model_code")
    .orderBy("p.effective_from")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    modelId: r.model_id,
    modelCode: r.model_code,
    providerCode: r.provider_code,
    inputPerMtok: trimNumeric(r.input_per_mtok),
    outputPerMtok: trimNumeric(r.output_per_mtok),
    cachedInputPerMtok: r.cached_input_per_mtok === null ? null : trimNumeric(r.cached_input_per_mtok),
    cacheWritePerMtok: r.cache_write_per_mtok === null ? null : trimNumeric(r.cache_write_per_mtok),
    cacheWrite1hPerMtok: r.cache_write_1h_per_mtok === null ? null : trimNumeric(r.cache_write_1h_per_mtok),
    currency: r.currency,
    effectiveFrom: r.effective_from,
  }));
}

interface GroupRow {
  i: number;
  app_id: string | null;
  app_name: string | null;
  provider_code: string | null;
  model_code: string | null;
  action_type: string | null;
  currency: string | null;
  client_price_id: string | null;
  calls: string;
  calls_without_cost: string;
  prompt: string;
  completion: string;
  cached: string;
  reasoning: string;
  cw5m: string;
  cw1h: string;
  cost: string;
}

/**
 * The month's usage groups from the statement rollup, each with the client price row in force at
 * its hour (effective_from at 00:00 UTC; the latest one not after the hour). One aggregate pass;
 * the per-hour price lookup only runs when the organization has a price list.
 */
export async function usageGroups(tx: UserTx, organizationId: string, bounds: { start: Date; end: Date }, prices: readonly ClientPriceRow[]): Promise<UsageGroup[]> {
  return (await usageGroupsPerRange(tx, organizationId, [bounds], prices))[0] ?? [];
}

/**
 * The same for several ranges in one scan, each rollup row counting for the range holding its hour.
 * Drafts call it one month at a time: per-month queries (an index range each) measured faster at
 * 10 M calls a month than one scan over all of them (README "Statements benchmark").
 */
export async function usageGroupsPerRange(tx: UserTx, organizationId: string, ranges: readonly { start: Date; end: Date }[], prices: readonly ClientPriceRow[]): Promise<UsageGroup[][]> {
  if (ranges.length === 0) return [];
  const from = new Date(Math.min(...ranges.map((r) => r.start.getTime())));
  const to = new Date(Math.max(...ranges.map((r) => r.end.getTime())));
  const rangeOf = sql.join(ranges.map((r, i) => sql`when r.hour >= ${r.start} and r.hour < ${r.end} then ${sql.lit(i)}`), sql` `);
  // The price list as periods [from, to) per provider × model (to = the next row's date): a small
  // table hash-joined to the rollup, instead of a lookup per rollup row.
  const periods = prices.length
    ? sql`select p.id, p.provider_code, p.model_code, (p.effective_from::timestamp at time zone 'UTC') as from_ts,
            coalesce((lead(p.effective_from) over (partition by p.provider_code, p.model_code order by p.effective_from))::timestamp at time zone 'UTC', 'infinity'::timestamptz) as to_ts
          from jsonb_to_recordset(${JSON.stringify(prices.map((p) => ({ id: p.id, provider_code: p.providerCode, model_code: p.modelCode, effective_from: p.effectiveFrom })))}::jsonb)
            as p(id uuid, provider_code text, model_code text, effective_from date)`
    : sql`select null::uuid as id, null::text as provider_code, null::text as model_code, null::timestamptz as from_ts, null::timestamptz as to_ts where false`;
  const { rows } = await sql<GroupRow>`
    with periods as materialized (${periods}),
    g as (
      select (case ${rangeOf} end) as i, r.app_id, r.provider_code, r.model_code, r.action_type, r.currency, pp.id as client_price_id,
        sum(r.calls) as calls, sum(r.calls_without_cost) as calls_without_cost, sum(r.prompt_tokens) as prompt,
        sum(r.completion_tokens) as completion, sum(r.cached_tokens) as cached, sum(r.reasoning_tokens) as reasoning,
        sum(r.cache_write_5m_tokens) as cw5m, sum(r.cache_write_1h_tokens) as cw1h, sum(r.cost) as cost
      from public.llm_call_statement_hourly r
      left join periods pp on pp.provider_code = r.provider_code and pp.model_code = r.model_code and r.hour >= pp.from_ts and r.hour < pp.to_ts
      where r.organization_id = ${organizationId}::uuid and r.hour >= ${from} and r.hour < ${to}
      group by 1, 2, 3, 4, 5, 6, 7
    )
    select g.i, g.app_id, a.name as app_name, g.provider_code, g.model_code, g.action_type, g.currency, g.client_price_id,
      g.calls::text, g.calls_without_cost::text, g.prompt::text, g.completion::text, g.cached::text, g.reasoning::text,
      g.cw5m::text, g.cw1h::text, g.cost::text
    from g left join public.apps a on a.id = g.app_id
    where g.calls <> 0 and g.i is not null`.execute(tx);
  const byId = new Map(prices.map((p) => [p.id, p]));
  const out: UsageGroup[][] = ranges.map(() => []);
  for (const r of rows) out[r.i]?.push({
    appId: r.app_id,
    appName: r.app_name,
    providerCode: r.provider_code,
    modelCode: r.model_code,
    actionType: r.action_type,
    currency: r.currency,
    clientPrice: r.client_price_id ? (byId.get(r.client_price_id) ?? null) : null,
    calls: Number(r.calls),
    callsWithoutCost: Number(r.calls_without_cost),
    tokens: { prompt: Number(r.prompt), completion: Number(r.completion), cached: Number(r.cached), reasoning: Number(r.reasoning), cacheWrite5m: Number(r.cw5m), cacheWrite1h: Number(r.cw1h) },
    providerCost: trimNumeric(r.cost),
  });
  return out;
}

export interface StatementView {
  organization: StatementOrganization;
  month: string;
  status: "draft" | "closed";
  timeZone: string;
  /** [start, end) of the month in the zone, ISO. */
  period: { start: string; end: string };
  billingCurrency: string;
  markupPct: string;
  /** Source currency → rate into the billing currency used by this statement. */
  rates: Record<string, string>;
  closed: ClosedStatement | null;
  /** Closed months of the organization (YYYY-MM), oldest first. */
  closedMonths: string[];
  /** The month that carries corrections of closed months (null: none closed). */
  adjustmentMonth: string | null;
  lines: StatementLine[];
  summary: StatementSummary;
  priceList: ClientPriceRow[];
  /** The organization's current terms (drafts use them; a closed statement keeps its own). */
  terms: BillingTerms;
}

/** Everything a draft or closed statement shows; null when the user may not read the organization. */
export async function loadStatement(tx: UserTx, organizationId: string, month: string): Promise<StatementView | null> {
  if (!(await canReadStatements(tx, organizationId))) return null;
  const organization = await tx.selectFrom("organizations").select(["id", "name", "slug"]).where("id", "=", organizationId).executeTakeFirst();
  if (!organization) return null;
  const [reporting, zone, statements, prices] = [await loadReportingCurrency(tx), await timeZoneFor(tx, organizationId), await closedStatements(tx, organizationId), await clientPriceList(tx, organizationId)];
  const closedMonths = statements.filter((s) => s.status === "closed").map((s) => s.month);
  const closed = statements.find((s) => s.month === month && s.status === "closed") ?? null;
  const terms = await billingTerms(tx, organizationId, reporting);
  const base = { organization, month, closedMonths, adjustmentMonth: adjustmentMonth(closedMonths), priceList: prices, terms };
  if (closed) {
    const bounds = monthBounds(month, closed.timeZone);
    const lines = await readFrozenLines(tx, [closed.id]);
    return {
      ...base, status: "closed", timeZone: closed.timeZone, period: iso(bounds), billingCurrency: closed.billingCurrency, markupPct: closed.markupPct,
      rates: closed.rates, closed, lines, summary: summarize(lines),
    };
  }
  const draftTerms: StatementTerms = { billingCurrency: terms.billingCurrency, markupPct: terms.markupPct, rates: billingRates(reporting, terms.billingCurrency) };
  const lines = await draftLines(tx, organizationId, month, zone, draftTerms, statements, prices);
  const bounds = monthBounds(month, zone);
  return {
    ...base, status: "draft", timeZone: zone, period: iso(bounds), billingCurrency: draftTerms.billingCurrency, markupPct: draftTerms.markupPct,
    rates: draftTerms.rates, closed: null, lines, summary: summarize(lines),
  };
}

function iso(b: { start: Date; end: Date }): { start: string; end: string } {
  return { start: b.start.toISOString(), end: b.end.toISOString() };
}

/**
 * Usage lines of an open month, plus the adjustments of closed months when it carries them. Only
 * closed months changed since the latest close are re-read (lib/db/statement-marks.ts): an
 * unchanged one has a zero adjustment.
 */
export async function draftLines(tx: UserTx, organizationId: string, month: string, zone: string, terms: StatementTerms, statements: readonly ClosedStatement[], prices: readonly ClientPriceRow[]): Promise<StatementLine[]> {
  const all = statements.filter((s) => s.status === "closed");
  const carries = adjustmentMonth(all.map((s) => s.month)) === month;
  // Marks before the rollup: a change committed in between shows as a changed sum (re-read), never as a missed one.
  const current = carries ? await monthMarks(tx, organizationId, all) : {};
  const closed = carries ? changedSinceLatestClose(all, current) : [];
  // One query per month: measured faster than one scan over all of them (each month is an index range).
  const groups: UsageGroup[][] = [];
  for (const bounds of [monthBounds(month, zone), ...closed.map((s) => monthBounds(s.month, s.timeZone))]) groups.push(await usageGroups(tx, organizationId, bounds, prices));
  const usage = priceLines(groups[0] ?? [], terms);
  if (closed.length === 0) return usage;
  // Every closed statement's lines: a later one holds adjustments already frozen for a changed month.
  const frozen = await readFrozenLines(tx, all.map((s) => s.id));
  const adjustments: StatementLine[] = [];
  for (const [k, s] of closed.entries()) {
    const sTerms: StatementTerms = { billingCurrency: s.billingCurrency, markupPct: s.markupPct, rates: s.rates };
    const live = priceLines(groups[k + 1] ?? [], sTerms);
    const already = frozen.filter((l) => (l.kind === "usage" && l.statementId === s.id) || (l.kind === "adjustment" && l.correctsStatementId === s.id));
    adjustments.push(...rebill(adjustmentLines(live, already, { month: monthDate(s.month), statementId: s.id }, sTerms), s.billingCurrency, terms));
  }
  return [...usage, ...adjustments];
}

export interface StatementMonthRow {
  month: string;
  status: "draft" | "closed";
  closedAt: string | null;
  closedByEmail: string | null;
  reopenedAt: string | null;
  reopenReason: string | null;
}

export interface StatementListOrganization extends StatementOrganization {
  billingCurrency: string;
  markupPct: string;
  timeZone: string;
  months: StatementMonthRow[];
}

/** Months shown per organization: from its first call (at most 24 months back) to the current month. */
const MAX_MONTHS = 24;

export async function loadStatementList(tx: UserTx, now: Date): Promise<StatementListOrganization[]> {
  const reporting = await loadReportingCurrency(tx);
  const out: StatementListOrganization[] = [];
  for (const org of await statementOrganizations(tx)) {
    const zone = await timeZoneFor(tx, org.id);
    const terms = await billingTerms(tx, org.id, reporting);
    const statements = await closedStatements(tx, org.id);
    const first = await tx.selectFrom("llm_call_statement_hourly").select((eb) => eb.fn.min("hour").as("first")).where("organization_id", "=", org.id).executeTakeFirst();
    const current = monthIn(zone, now);
    const months = new Set<string>(statements.map((s) => s.month));
    let m = first?.first ? monthIn(zone, new Date(first.first)) : current;
    for (let i = 0; m <= current && i < MAX_MONTHS * 10; i++, m = nextMonth(m)) months.add(m);
    const sorted = [...months].sort().reverse().slice(0, MAX_MONTHS);
    out.push({
      ...org,
      billingCurrency: terms.billingCurrency,
      markupPct: terms.markupPct,
      timeZone: zone,
      months: sorted.map((month) => {
        const s = statements.find((x) => x.month === month);
        const isClosed = s?.status === "closed";
        return {
          month,
          status: isClosed ? "closed" : "draft",
          closedAt: isClosed ? s.closedAt : null,
          closedByEmail: isClosed ? s.closedByEmail : null,
          reopenedAt: s?.reopenedAt ?? null,
          reopenReason: s?.reopenReason ?? null,
        };
      }),
    });
  }
  return out;
}

/** The Statements page: months per organization the user may read. */
export function loadStatementsPage(db: Database | Kysely<DB>, claims: JwtClaims, now = new Date()): Promise<StatementListOrganization[]> {
  return withUser(db, claims, (tx) => loadStatementList(tx, now));
}

/** One statement as the user may read it; null when RLS does not let them read the organization. */
export function loadStatementFor(db: Database | Kysely<DB>, claims: JwtClaims, organizationId: string, month: string): Promise<StatementView | null> {
  return withUser(db, claims, (tx) => loadStatement(tx, organizationId, month));
}

export interface PriceableModel {
  id: string;
  label: string;
}

/** Models a client price can be set for (the catalog, read under RLS). */
export async function priceableModels(db: Database | Kysely<DB>, claims: JwtClaims): Promise<PriceableModel[]> {
  return withUser(db, claims, async (tx) => {
    const rows = await tx
      .selectFrom("llm_models as m")
      .innerJoin("llm_providers as p", "p.id", "m.provider_id")
      .select(["m.id", "m.model_code", "p.code"])
      .orderBy("p.code")
      .orderBy("m.model_code")
      .execute();
    return rows.map((r) => ({ id: r.id, label: `${r.code} / ${r.model_code}` }));
  });
}
