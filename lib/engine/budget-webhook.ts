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

export interface BudgetAlertPayload extends AlertFigures {
  type: "budget.threshold_crossed";
  organization: { id: string; slug: string; name: string };
  /** "2026-11" */
  month: string;
  created_at: string;
}

/** A budget_alerts row with its organization, as the dispatcher claims it. */
export interface AlertRow extends AlertFigures {
  id: string;
  organization_id: string;
  slug: string;
  name: string;
  /** First day of the month, YYYY-MM-DD. */
  month: string;
  created_at: Date | string;
}

export function payloadOf(row: AlertRow): BudgetAlertPayload {
  return {
    type: "budget.threshold_crossed",
    organization: { id: row.organization_id, slug: row.slug, name: row.name },
    month: row.month.slice(0, 7),
    threshold_pct: row.threshold_pct,
    spent: new Decimal(row.spent).toFixed(),
    budget: new Decimal(row.budget).toFixed(),
    currency: row.currency,
    policy: row.policy,
    created_at: new Date(row.created_at).toISOString(),
  };
}
