import { addDays, dayIn, startOfDay, timeZoneFrom, TIME_ZONE_KEY } from "@/lib/engine/date-range";
import type { ReportingCurrency } from "@/lib/engine/currency";
import { alertThresholds, toBudgetCurrency } from "@/lib/engine/budget";
import { Dec, formatCost } from "@/lib/engine/price";
import type { SettingContext } from "@/lib/engine/settings";
import type { ConfigSnapshot } from "@/lib/engine/snapshot";
import type { SnapshotBudget } from "@/lib/engine/types";

/**
 * Budgets per organization, organization × app and API key, monthly or daily (table `budgets`,
 * migration 20261208040001). Pure: which budgets apply to a call, the window a budget counts at
 * an instant (days and months of the organization's reporting time zone), and which budget
 * decides when several do not fit (the tightest).
 *
 * The organization × month budget is the one mirrored in organizations.monthly_budget and is
 * enforced by the original path (lib/gateway/budget-admission.ts, UTC months); every other budget
 * goes through lib/gateway/budget-scoped.ts with the helpers here.
 */

export type BudgetScope = "organization" | "app" | "key";
export type BudgetWindow = "month" | "day";

export function scopeOf(b: Pick<SnapshotBudget, "appId" | "apiKeyId">): BudgetScope {
  return b.apiKeyId ? "key" : b.appId ? "app" : "organization";
}

/** The organization × month budget: the mirrored one the original path enforces. */
export function isOrganizationMonth(b: Pick<SnapshotBudget, "appId" | "apiKeyId" | "window">): boolean {
  return scopeOf(b) === "organization" && b.window === "month";
}

/** Budgets of the organization that apply to a call of `appId` with key `apiKeyId`, except the mirrored organization × month one. */
export function scopedBudgetsFor(budgets: readonly SnapshotBudget[] | undefined, appId: string, apiKeyId: string | null): SnapshotBudget[] {
  if (!budgets || budgets.length === 0) return [];
  return budgets.filter((b) => {
    if (isOrganizationMonth(b)) return false;
    if (b.apiKeyId) return b.apiKeyId === apiKeyId;
    if (b.appId) return b.appId === appId;
    return true;
  });
}

/** The organization's reporting time zone from the snapshot: its own row, else the global one (lib/db/time-zone.ts's rule). */
export function zoneOf(snapshot: ConfigSnapshot, organizationId: string): string {
  const rows = snapshot.settingsByKey.get(TIME_ZONE_KEY);
  const own = rows?.byOrganization?.get(organizationId)?.value;
  return timeZoneFrom(own ?? rows?.global?.value);
}

export interface BudgetWindowSpan {
  /** YYYY-MM-DD: the first day of the window in the zone (the counter's key). */
  start: string;
  /** The instants the window covers: [from, to). */
  from: Date;
  to: Date;
}

/** The window of a budget at `at`: the zone's day, or the zone's month. */
export function windowAt(window: BudgetWindow, zone: string, at: number): BudgetWindowSpan {
  const today = dayIn(zone, new Date(at));
  if (window === "day") return { start: today, from: startOfDay(today, zone), to: startOfDay(addDays(today, 1), zone) };
  const first = `${today.slice(0, 7)}-01`;
  const next = new Date(`${first}T00:00:00Z`);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return { start: first, from: startOfDay(first, zone), to: startOfDay(next.toISOString().slice(0, 10), zone) };
}

export const SCOPE_LABELS: Record<BudgetScope, string> = { organization: "organization", app: "app", key: "API key" };
export const WINDOW_LABELS: Record<BudgetWindow, string> = { month: "monthly", day: "daily" };

/** One budget's figures for a call, in its currency. */
export interface BudgetCheck {
  budget: SnapshotBudget;
  /** Human name of the scope: "acme", "acme × support-bot", "key ak_12ab…". */
  label: string;
  spent: Dec;
  reserved: Dec;
  estimate: Dec;
}

/** spent + in flight + estimate within the amount, and not already exhausted (the store's rule). */
export function fits(c: BudgetCheck): boolean {
  const amount = new Dec(c.budget.amount);
  const committed = c.spent.plus(c.reserved);
  return committed.lt(amount) && committed.plus(c.estimate).lte(amount);
}

/** What is left after this call (negative when over), in the budget's currency. */
export function headroom(c: BudgetCheck): Dec {
  return new Dec(c.budget.amount).minus(c.spent).minus(c.reserved).minus(c.estimate);
}

const POLICY_RANK = { block: 0, downgrade: 1, alert: 2 } as const;

/**
 * The tightest budget: the least headroom after the call, compared in the reporting currency
 * (reporting.fx_rates, the Costs page's rule); a budget whose currency has no rate compares by
 * its own figure. Ties go to the stricter policy (block, then downgrade, then alert), then to the
 * narrower scope (key, app, organization) and the shorter window, so the answer never depends on
 * the order budgets were loaded in.
 */
export function tightest(checks: readonly BudgetCheck[], fx: ReportingCurrency): BudgetCheck | null {
  let best: { c: BudgetCheck; room: Dec } | null = null;
  for (const c of checks) {
    const own = headroom(c);
    const room = toBudgetCurrency(own, c.budget.currency, fx.currency, fx) ?? own;
    if (!best || tighter(c, room, best.c, best.room)) best = { c, room };
  }
  return best?.c ?? null;
}

const SCOPE_RANK: Record<BudgetScope, number> = { key: 0, app: 1, organization: 2 };

function tighter(a: BudgetCheck, aRoom: Dec, b: BudgetCheck, bRoom: Dec): boolean {
  const cmp = aRoom.comparedTo(bRoom);
  if (cmp !== 0) return cmp < 0;
  const pa = POLICY_RANK[a.budget.policy], pb = POLICY_RANK[b.budget.policy];
  if (pa !== pb) return pa < pb;
  const sa = SCOPE_RANK[scopeOf(a.budget)], sb = SCOPE_RANK[scopeOf(b.budget)];
  if (sa !== sb) return sa < sb;
  if (a.budget.window !== b.budget.window) return a.budget.window === "day";
  return a.budget.id < b.budget.id;
}

/** "daily app budget acme × support-bot: spent 4.2 EUR + in flight 0.3 EUR + estimate 0.6 EUR of 5 EUR". */
export function describeCheck(c: BudgetCheck): string {
  const cur = c.budget.currency;
  return `${WINDOW_LABELS[c.budget.window]} ${SCOPE_LABELS[scopeOf(c.budget)]} budget ${c.label}: ` +
    `spent ${formatCost(c.spent)} ${cur} + in flight ${formatCost(c.reserved)} ${cur} + estimate ${formatCost(c.estimate)} ${cur}` +
    ` of ${formatCost(new Dec(c.budget.amount))} ${cur}`;
}

// ---- Threshold alerts of scoped budgets ---------------------------------------------------

/**
 * The period a budget's threshold alerts count in at `at` (the key of their unique index,
 * migration 20261208100001): a daily budget alerts once per day of the zone and threshold, a
 * monthly one once per month of the zone and threshold.
 */
export interface AlertPeriod {
  /** YYYY-MM-01: the first day of the window's month in the zone. */
  month: string;
  /** YYYY-MM-DD for a daily budget; null for a monthly one. */
  day: string | null;
  /** What the webhook sends as `period`: "2026-12-07" (daily) or "2026-12" (monthly). */
  label: string;
}

export function alertPeriod(window: BudgetWindow, zone: string, at: number): AlertPeriod {
  return periodOf(window, dayIn(zone, new Date(at)));
}

/** The period of a budget's alerts on the zone's day `today` (windowAt's start, without the window's bounds). */
function periodOf(window: BudgetWindow, today: string): AlertPeriod {
  const month = `${today.slice(0, 7)}-01`;
  return window === "day" ? { month, day: today, label: today } : { month, day: null, label: today.slice(0, 7) };
}

/** The thresholds one budget's projected spend reaches with this call, and where they count. */
export interface ScopedAlert {
  budget: SnapshotBudget;
  period: AlertPeriod;
  thresholds: number[];
  /** spent + in flight + this call's estimate, in the budget's currency: what crossed the line. */
  projected: Dec;
}

/**
 * The alerts a call raises on its scoped budgets: for each budget, the thresholds (setting
 * budget.alert_thresholds, the organization budget's rule, default 80 / 100) that spent + in
 * flight + the call's estimate reaches. Budgets reaching none are left out.
 */
export function scopedThresholdAlerts(
  snapshot: ConfigSnapshot,
  ctx: SettingContext,
  checks: readonly BudgetCheck[],
  zone: string,
  at: number,
): ScopedAlert[] {
  const out: ScopedAlert[] = [];
  const all = alertThresholds(snapshot, ctx);
  // The zone's day, computed once per call and only when a threshold is reached (an Intl lookup).
  let today: string | null = null;
  for (const c of checks) {
    const projected = c.spent.plus(Dec.max(c.reserved, 0)).plus(Dec.max(c.estimate, 0));
    const amount = new Dec(c.budget.amount);
    const pct = projected.times(100);
    // Thresholds are sorted: below the lowest, none (the common case costs one comparison).
    if (all.length === 0 || pct.lt(amount.times(all[0]!))) continue;
    const thresholds = all.filter((t) => pct.gte(amount.times(t)));
    if (thresholds.length === 0) continue;
    today ??= dayIn(zone, new Date(at));
    out.push({ budget: c.budget, period: periodOf(c.budget.window, today), thresholds, projected });
  }
  return out;
}
