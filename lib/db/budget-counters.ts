import { sql, type Kysely } from "kysely";
import type { BudgetAlertsTable, DB } from "./schema";

/**
 * The gateway's shared budget state in Postgres (budget_counters, budget_reservations;
 * migration 20261206020000). One counter row per organization, month and
 * budget currency holds `spent` and `reserved`; each statement below is atomic on that row, so
 * every instance decides against the same figures:
 *
 * - reserve: `UPDATE … SET reserved = reserved + estimate WHERE spent + reserved + estimate <=
 *   budget RETURNING …`, and the lease row in the same statement. Concurrent reservations queue
 *   on the row lock and each re-checks the condition against the row as the previous one left it.
 * - settle: deletes the lease and moves its amount out of `reserved`, adding the actual cost to
 *   `spent`. A lease that already lapsed was released by the sweep; the cost is still added.
 * - sweep: deletes lapsed leases (a crashed instance's calls) and releases their amounts.
 * - seed: creates the counter from the rollups, or raises `spent` to them (never lowers it: the
 *   rollups lag the settled calls by the recorder's batch).
 *
 * Amounts are exact decimal strings in the budget's currency. Called by lib/gateway/budget-store.ts
 * (behind BudgetReservations) as the service role. The threshold alerts of every budget are written here too.
 */

export interface CounterKey {
  organizationId: string;
  /** YYYY-MM-01 (UTC month). */
  month: string;
  currency: string;
}

export interface CounterFigures {
  spent: string;
  reserved: string;
}

export type ReserveResult =
  | ({ outcome: "reserved" } & CounterFigures)
  | ({ outcome: "refused" } & CounterFigures)
  /** No counter row yet: seed it from the rollups, then reserve again. */
  | { outcome: "missing" };

export async function seedCounter(db: Kysely<DB>, key: CounterKey, spent: string): Promise<CounterFigures> {
  const { rows } = await sql<CounterFigures>`
    insert into public.budget_counters as c (organization_id, month, currency, spent)
    values (${key.organizationId}::uuid, ${key.month}::date, ${key.currency}, ${spent}::numeric)
    on conflict (organization_id, month, currency)
      do update set spent = greatest(c.spent, excluded.spent), synced_at = now()
    returning c.spent::text as spent, c.reserved::text as reserved`.execute(db);
  return rows[0]!;
}

export async function reserveBudget(db: Kysely<DB>, key: CounterKey, lease: { id: string; amount: string; ttlMs: number }, budget: string | null): Promise<ReserveResult> {
  // With a budget: fits when spent + reserved + amount <= budget and the budget is not already
  // fully committed (a call of unknown, zero, estimate is refused once nothing is left).
  const { rows } = await sql<{ ok: boolean; spent: string; reserved: string }>`
    with up as (
      update public.budget_counters c set reserved = c.reserved + ${lease.amount}::numeric
      where c.organization_id = ${key.organizationId}::uuid and c.month = ${key.month}::date and c.currency = ${key.currency}
        and (${budget}::numeric is null
             or (c.spent + c.reserved + ${lease.amount}::numeric <= ${budget}::numeric and c.spent + c.reserved < ${budget}::numeric))
      returning c.spent, c.reserved
    ), lease as (
      insert into public.budget_reservations (id, organization_id, month, currency, amount, expires_at)
      select ${lease.id}::uuid, ${key.organizationId}::uuid, ${key.month}::date, ${key.currency}, ${lease.amount}::numeric,
             now() + make_interval(secs => ${lease.ttlMs / 1000})
      from up
    )
    select true as ok, spent::text as spent, reserved::text as reserved from up
    union all
    select false, c.spent::text, c.reserved::text from public.budget_counters c
    where c.organization_id = ${key.organizationId}::uuid and c.month = ${key.month}::date and c.currency = ${key.currency}
      and not exists (select 1 from up)`.execute(db);
  const row = rows[0];
  if (!row) return { outcome: "missing" };
  return { outcome: row.ok ? "reserved" : "refused", spent: row.spent, reserved: row.reserved };
}

export async function settleReservation(db: Kysely<DB>, key: CounterKey, leaseId: string, actual: string): Promise<void> {
  await sql`
    with gone as (delete from public.budget_reservations where id = ${leaseId}::uuid returning amount)
    update public.budget_counters c
    set spent = c.spent + ${actual}::numeric,
        reserved = greatest(c.reserved - coalesce((select sum(amount) from gone), 0), 0)
    where c.organization_id = ${key.organizationId}::uuid and c.month = ${key.month}::date and c.currency = ${key.currency}`.execute(db);
}

export async function renewReservations(db: Kysely<DB>, leaseIds: string[], ttlMs: number): Promise<void> {
  await sql`
    update public.budget_reservations set expires_at = now() + make_interval(secs => ${ttlMs / 1000})
    where id = any(${leaseIds}::uuid[])`.execute(db);
}

export async function sweepReservations(db: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{ released: string }>`
    with gone as (
      delete from public.budget_reservations where expires_at < now()
      returning organization_id, month, currency, amount
    ), sums as (
      select organization_id, month, currency, sum(amount) as amount, count(*) as n from gone group by 1, 2, 3
    ), up as (
      update public.budget_counters c set reserved = greatest(c.reserved - s.amount, 0)
      from sums s
      where c.organization_id = s.organization_id and c.month = s.month and c.currency = s.currency
      returning 1
    )
    select coalesce(sum(n), 0)::text as released from sums`.execute(db);
  return Number(rows[0]?.released ?? 0);
}

export async function rollupSpend(db: Kysely<DB>, organizationId: string, month: string): Promise<{ currency: string; amount: string }[]> {
  const { rows } = await sql<{ currency: string; amount: string }>`
    select d.currency, sum(d.cost)::text as amount
    from public.llm_call_daily d
    where d.organization_id = ${organizationId}::uuid and d.day >= ${month}::date
      and d.day < (${month}::date + interval '1 month') and d.currency is not null
    group by d.currency
    having sum(d.cost) is not null`.execute(db);
  return rows;
}

export interface BudgetAlertRow {
  organizationId: string;
  /** YYYY-MM-01 (UTC month). */
  month: string;
  thresholdPct: number;
  spent: string;
  budget: string;
  currency: string;
  policy: BudgetAlertsTable["policy"];
}

/** One alert per (organization, month, threshold): true when this call inserted it (false: it existed). */
export async function insertBudgetAlert(db: Kysely<DB>, alert: BudgetAlertRow): Promise<boolean> {
  const inserted = await db
    .insertInto("budget_alerts")
    .values({
      organization_id: alert.organizationId,
      month: alert.month,
      threshold_pct: alert.thresholdPct,
      spent: alert.spent,
      budget: alert.budget,
      currency: alert.currency,
      policy: alert.policy,
    })
    // The unique index is partial (20261208040001, 20261208100001): the organization's monthly
    // threshold rows only (scoped budgets' alerts have an index of their own).
    .onConflict((oc) => oc.columns(["organization_id", "month", "threshold_pct"])
      .where("kind", "=", "threshold").where("budget_id", "is", null).where("scope", "=", "organization").where("budget_window", "=", "month")
      .doNothing())
    .returning("id")
    .execute();
  return inserted.length > 0;
}

export interface ScopedBudgetAlertRow {
  budgetId: string;
  organizationId: string;
  scope: "organization" | "app" | "key";
  window: "month" | "day";
  /** YYYY-MM-01: first day of the window's month in the reporting time zone. */
  month: string;
  /** YYYY-MM-DD for a daily budget, null for a monthly one. */
  day: string | null;
  thresholdPct: number;
  /** spent + in flight + the crossing call's estimate, exact, in `currency`. */
  spent: string;
  budget: string;
  currency: string;
  policy: BudgetAlertsTable["policy"];
}

/**
 * One alert per (budget, period, threshold) of a budget other than the organization × month one
 * (migration 20261208100001): true when this call inserted it. The app's or key's name is read
 * in the same statement and kept on the row, so the history still names it after the budget is
 * removed. Concurrent inserts of the same alert: the unique index lets exactly one through.
 */
export async function insertScopedBudgetAlert(db: Kysely<DB>, alert: ScopedBudgetAlertRow): Promise<boolean> {
  const name = db.selectFrom("budgets as b")
    .leftJoin("apps as a", "a.id", "b.app_id")
    .leftJoin("api_keys as k", "k.id", "b.api_key_id")
    .select(sql<string | null>`left(coalesce(a.name, k.name), 200)`.as("name"))
    .where("b.id", "=", alert.budgetId);
  const inserted = await db
    .insertInto("budget_alerts")
    .values({
      organization_id: alert.organizationId,
      budget_id: alert.budgetId,
      scope: alert.scope,
      budget_window: alert.window,
      target_name: name,
      month: alert.month,
      day: alert.day,
      threshold_pct: alert.thresholdPct,
      spent: alert.spent,
      budget: alert.budget,
      currency: alert.currency,
      policy: alert.policy,
    })
    .onConflict((oc) => oc.columns(["budget_id", "month", "day", "threshold_pct"])
      .where("kind", "=", "threshold").where("budget_id", "is not", null)
      .doNothing())
    .returning("id")
    .execute();
  return inserted.length > 0;
}
