import { Decimal } from "decimal.js";

/**
 * The pure side of budget alert webhooks: the retry schedule, the payload a receiver gets, and
 * the host a URL may be shown as. Shared by the dispatcher (lib/finance/budget-webhooks.ts), the
 * claim query (lib/db/budget-webhooks.ts) and the Budgets page's delivery status (lib/db/budgets.ts).
 */

/** After this many failed attempts the alert is left undelivered (status "failed"). */
export const MAX_ATTEMPTS = 8;
const BACKOFF_BASE_SECONDS = 30;
const BACKOFF_CAP_SECONDS = 6 * 3600;

/** Seconds to wait after the `attempts`-th failed attempt: 30 s, 60 s, 120 s… capped at 6 h. */
export function backoffSeconds(attempts: number): number {
  return Math.min(BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempts - 1), BACKOFF_CAP_SECONDS);
}

/** The host (and port) of a webhook URL: all that is ever logged of it. */
export function webhookHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid URL)";
  }
}

/** The figures of one alert, as budget_alerts holds them and the payload sends them. */
export interface AlertFigures {
  threshold_pct: number;
  /** Exact decimal strings in `currency`. */
  spent: string;
  budget: string;
  currency: string;
  policy: "alert" | "block" | "downgrade";
}

export type AlertKind = "threshold" | "forecast" | "spike";

/**
 * What a receiver gets, by the alert's kind:
 * - `budget.threshold_crossed`: month-to-date spend crossed threshold_pct of the budget.
 * - `budget.forecast_exceeded`: the month-end forecast (`forecast`, also in `spent`) is above the
 *   budget; threshold_pct = forecast / budget in percent (rounded down).
 * - `spend.spike`: the day's spend (`spent`) is above 3x the median of the 14 days before it
 *   (`median`, also in `budget`).
 *
 * A threshold alert of a budget other than the organization's monthly one (per app, per key,
 * daily windows; migration 20261208100001) also names its budget: `budget_id` (null once the
 * budget was removed), `scope`, `app_name` or `key_name`, `window`, `period` (the day, or the
 * zone's month) and `amount` (= `budget`); `spent` is spent + in flight + the crossing call's
 * estimate. The organization's monthly alerts are sent exactly as before, without these fields.
 */
export interface BudgetAlertPayload extends AlertFigures {
  type: "budget.threshold_crossed" | "budget.forecast_exceeded" | "spend.spike";
  organization: { id: string; slug: string; name: string };
  /** "2026-11" */
  month: string;
  /** The spike's day, or the day the forecast was made (absent for threshold alerts). */
  day?: string;
  forecast?: string;
  median?: string;
  budget_id?: string | null;
  scope?: AlertScope;
  app_name?: string | null;
  key_name?: string | null;
  window?: "daily" | "monthly";
  /** "2026-12-07" (daily) or "2026-12" (monthly, the reporting time zone's month). */
  period?: string;
  /** The budget's amount (the same as `budget`). */
  amount?: string;
  created_at: string;
}

export type AlertScope = "organization" | "app" | "key";

export const PAYLOAD_TYPES: Record<AlertKind, BudgetAlertPayload["type"]> = {
  threshold: "budget.threshold_crossed",
  forecast: "budget.forecast_exceeded",
  spike: "spend.spike",
};

/** A budget_alerts row with its organization, as the dispatcher claims it. */
export interface AlertRow extends AlertFigures {
  id: string;
  organization_id: string;
  slug: string;
  name: string;
  /** First day of the month, YYYY-MM-DD. */
  month: string;
  created_at: Date | string;
  /** Absent on rows from before alert kinds (threshold). */
  kind?: AlertKind;
  day?: string | null;
  /** Absent on rows from before scoped threshold alerts (20261208100001): the organization's monthly budget. */
  budget_id?: string | null;
  scope?: AlertScope;
  budget_window?: "month" | "day";
  target_name?: string | null;
}

/** A threshold alert of a budget other than the organization × month one. */
export function isScopedThreshold(row: Pick<AlertRow, "kind" | "scope" | "budget_window">): boolean {
  return (row.kind ?? "threshold") === "threshold" && ((row.scope ?? "organization") !== "organization" || (row.budget_window ?? "month") !== "month");
}

export function payloadOf(row: AlertRow): BudgetAlertPayload {
  const kind = row.kind ?? "threshold";
  const spent = new Decimal(row.spent).toFixed();
  const budget = new Decimal(row.budget).toFixed();
  return {
    type: PAYLOAD_TYPES[kind],
    organization: { id: row.organization_id, slug: row.slug, name: row.name },
    month: row.month.slice(0, 7),
    ...(row.day ? { day: row.day.slice(0, 10) } : {}),
    ...(kind === "forecast" ? { forecast: spent } : {}),
    ...(kind === "spike" ? { median: budget } : {}),
    ...(isScopedThreshold(row) ? scopedFields(row, budget) : {}),
    threshold_pct: row.threshold_pct,
    spent,
    budget,
    currency: row.currency,
    policy: row.policy,
    created_at: new Date(row.created_at).toISOString(),
  };
}

function scopedFields(row: AlertRow, amount: string): Partial<BudgetAlertPayload> {
  const scope = row.scope ?? "organization";
  const daily = row.budget_window === "day";
  return {
    budget_id: row.budget_id ?? null,
    scope,
    ...(scope === "app" ? { app_name: row.target_name ?? null } : {}),
    ...(scope === "key" ? { key_name: row.target_name ?? null } : {}),
    window: daily ? "daily" : "monthly",
    period: daily && row.day ? row.day.slice(0, 10) : row.month.slice(0, 7),
    amount,
  };
}
