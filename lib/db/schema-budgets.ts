import type { ColumnType, Generated } from "kysely";
import type { Numeric, TimestampNullable } from "./schema-columns";

/**
 * Kysely types of budgets and what they raise: the budgets per organization, app and key, the
 * alerts they trigger and the webhook alerts are posted to. lib/db/schema.ts's DB includes them.
 * Money columns are numeric, read as exact strings.
 */

export interface BudgetAlertsTable {
  id: Generated<string>;
  organization_id: string;
  month: string;
  threshold_pct: number;
  spent: Numeric;
  budget: Numeric;
  currency: string;
  policy: "alert" | "block" | "downgrade";
  created_at: Generated<Date>;
  notified_at: TimestampNullable;
  /** 20261208040001: threshold (gateway), forecast and spike (cron /api/cron/budget-forecast). */
  kind: Generated<"threshold" | "forecast" | "spike">;
  budget_id: string | null;
  /** The spike's day, or the day a forecast alert was computed; null for threshold alerts. */
  day: ColumnType<string | null, string | null | undefined, string | null>;
  attempts: Generated<number>;
  last_error: string | null;
  next_attempt_at: TimestampNullable;
  /** 20261208100001: which budget a threshold alert belongs to (kept when the budget is removed). */
  scope: Generated<"organization" | "app" | "key">;
  budget_window: Generated<"month" | "day">;
  /** The app's or key's name when the alert was raised; null for organization budgets. */
  target_name: string | null;
}

/** Budgets per organization, organization × app and API key (20261208040001). */
export interface BudgetsTable {
  id: Generated<string>;
  organization_id: string;
  app_id: string | null;
  api_key_id: string | null;
  period: "month" | "day";
  amount: Numeric;
  currency: string;
  policy: "alert" | "block" | "downgrade";
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** An organization's budget-alert webhook (migration 20261124000700): readable and writable by platform admins only. */
export interface OrganizationWebhooksTable {
  organization_id: string;
  /** https (or loopback http) URL that budget alerts are POSTed to; may hold a token. */
  url: string;
  /** Set by a trigger on every write. */
  updated_at: Generated<Date>;
  /** auth.uid() of the last writer (null for the service path); set by the same trigger. */
  updated_by: Generated<string | null>;
}

export interface BudgetTables {
  budget_alerts: BudgetAlertsTable;
  budgets: BudgetsTable;
  organization_webhooks: OrganizationWebhooksTable;
}
