import { Decimal } from "decimal.js";
import { sql, type Kysely } from "kysely";
import { MAX_ATTEMPTS, webhookHost } from "@/lib/engine/budget-webhook";
import type { BudgetInput, BudgetPolicy } from "@/lib/schemas/budget";
import type { Database } from "./client";
import { loadReportingCurrency } from "./currency";
import { convertParts, spendByOrganization, sumSpend, type Spend } from "./money";
import { withUser, type JwtClaims, type UserTx } from "./rls";
import type { DB } from "./schema";
import { WriteRefusal } from "./write-refusal";

/**
 * Budgets per organization for the signed-in user, under RLS: the organizations they belong to
 * (every one for platform-wide members), month-to-date spend from the daily rollups in the
 * budget's currency (the figure the gateway enforces) next to all spend converted into the
 * reporting currency (the figure every other page shows, lib/db/money.ts), and the alert history with its webhook
 * delivery status. Writes go through updateBudget(), which only platform admins get past RLS.
 *
 * Who sees the webhook: its URL may carry a token, so organization_webhooks is readable by
 * platform admins only (RLS). They get the full URL (to edit it) and its host; everyone else
 * gets neither, not even whether one is set (webhooksVisible = false), and undelivered alerts
 * that were never attempted show as "not_sent" instead of "pending" / "no_webhook".
 */

export type DeliveryStatus = "delivered" | "pending" | "retrying" | "failed" | "no_webhook" | "not_sent";

export interface BudgetAlertRow {
  id: string;
  organizationId: string;
  organizationName: string;
  month: string;
  thresholdPct: number;
  /** threshold (gateway), forecast (month-end forecast above the budget), spike (a day above 3x its median). */
  kind: "threshold" | "forecast" | "spike";
  /** The spike's day, the day the forecast was made, or the day of a daily budget's threshold alert. */
  day: string | null;
  /**
   * The budget a threshold alert belongs to (20261208100001): the organization's monthly budget
   * (scope organization, window month), or one per app, per key or a daily one. budgetId is null
   * for the organization's monthly alerts and once a budget was removed; `target` is the app's or
   * key's name when the alert was raised.
   */
  budgetId: string | null;
  scope: "organization" | "app" | "key";
  window: "month" | "day";
  target: string | null;
  spent: string;
  budget: string;
  currency: string;
  policy: BudgetPolicy;
  createdAt: string;
  notifiedAt: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  status: DeliveryStatus;
}

export interface BudgetRow {
  id: string;
  name: string;
  slug: string;
  /** Exact decimal string; null = no budget. */
  monthlyBudget: string | null;
  currency: string;
  policy: BudgetPolicy;
  /** Full URL: platform admins only (null for everyone else, and when none is set). */
  webhookUrl: string | null;
  /** Host only, for display: the path or query may hold a token. Platform admins only. */
  webhookHost: string | null;
  /** Month-to-date spend in `currency` (calls priced in other currencies are not in it): what the gateway enforces. */
  spent: string;
  /** All month-to-date spend converted into the reporting currency (the figure Overview and Costs show). */
  spentAll: Spend;
  /** Spend as a percentage of the budget, 1 decimal; null without a budget (or a budget of 0). */
  pct: string | null;
  over: boolean;
}

export interface BudgetsData {
  month: string;
  /** The reporting currency of `spentAll` and `total`. */
  reportingCurrency: string;
  /** Month-to-date spend over every visible organization (and calls without one), converted. */
  total: Spend;
  /** False unless the user is a platform admin: webhookUrl / webhookHost are then always null. */
  webhooksVisible: boolean;
  organizations: BudgetRow[];
  alerts: BudgetAlertRow[];
}

/** Delivery status of an alert, given the organization's current webhook (null: not visible to the user). */
export function deliveryStatus(alert: { notified_at: unknown; attempts: number; next_attempt_at: unknown }, hasWebhook: boolean | null): DeliveryStatus {
  if (alert.notified_at) return "delivered";
  if (alert.attempts >= MAX_ATTEMPTS || (alert.attempts > 0 && !alert.next_attempt_at)) return "failed";
  if (alert.attempts > 0) return "retrying";
  if (hasWebhook === null) return "not_sent";
  return hasWebhook ? "pending" : "no_webhook";
}

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

export function monthStart(now: Date): string {
  return `${now.toISOString().slice(0, 7)}-01`;
}

export async function loadBudgets(db: Database | Kysely<DB>, claims: JwtClaims, now = new Date()): Promise<BudgetsData> {
  const month = monthStart(now);
  return withUser(db, claims, async (tx) => {
    // Only decides what to show; RLS on organization_webhooks is what hides the URL from others.
    const { rows: [who] } = await sql<{ admin: boolean }>`select public.is_platform_admin() as admin`.execute(tx);
    const webhooksVisible = who?.admin === true;
    const reporting = await loadReportingCurrency(tx);
    // The one way spend is summed (lib/db/money.ts); the budget counts its own currency's part.
    const spend = await spendByOrganization(tx, reporting, { from: month, to: now.toISOString().slice(0, 10) });
    const zero = convertParts([], reporting);
    const orgs = await tx
      .selectFrom("organizations as o")
      .leftJoin("organization_webhooks as w", "w.organization_id", "o.id")
      .select(["o.id", "o.name", "o.slug", "o.monthly_budget", "o.budget_currency", "o.budget_policy", "w.url as webhook_url"])
      .orderBy("o.name")
      .execute();

    const organizations = orgs.map((o): BudgetRow => {
      const spentAll = spend.get(o.id) ?? zero;
      const spent = new Decimal(spentAll.byCurrency[o.budget_currency] ?? "0");
      const budget = o.monthly_budget === null ? null : new Decimal(o.monthly_budget);
      return {
        id: o.id,
        name: o.name,
        slug: o.slug,
        monthlyBudget: budget?.toFixed() ?? null,
        currency: o.budget_currency,
        policy: o.budget_policy,
        webhookUrl: webhooksVisible ? o.webhook_url : null,
        webhookHost: webhooksVisible && o.webhook_url ? webhookHost(o.webhook_url) : null,
        spent: spent.toFixed(),
        spentAll,
        pct: budget && budget.gt(0) ? spent.div(budget).times(100).toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toFixed(1) : null,
        // Same rule as the gateway: spend at or past the budget is exhausted (a budget of 0 blocks at once).
        over: budget !== null && spent.gte(budget),
      };
    });
    const byId = new Map(organizations.map((o) => [o.id, o]));

    const alertRows = await tx
      .selectFrom("budget_alerts as a")
      .select([
        "a.id", "a.organization_id", sql<string>`a.month::text`.as("month"), "a.threshold_pct", "a.kind", sql<string | null>`a.day::text`.as("day"), sql<string>`a.spent::text`.as("spent"),
        sql<string>`a.budget::text`.as("budget"), "a.currency", "a.policy", "a.created_at", "a.notified_at", "a.attempts", "a.last_error", "a.next_attempt_at",
        "a.budget_id", "a.scope", "a.budget_window", "a.target_name",
      ])
      .orderBy("a.created_at", "desc")
      .orderBy("a.threshold_pct", "desc")
      .limit(100)
      .execute();

    const alerts = alertRows.map((a): BudgetAlertRow => {
      const org = byId.get(a.organization_id);
      return {
        id: a.id,
        organizationId: a.organization_id,
        organizationName: org?.name ?? a.organization_id,
        month: a.month.slice(0, 7),
        thresholdPct: a.threshold_pct,
        kind: a.kind,
        day: a.day,
        budgetId: a.kind === "threshold" ? a.budget_id : null,
        scope: a.scope,
        window: a.budget_window,
        target: a.target_name,
        spent: new Decimal(a.spent).toFixed(),
        budget: new Decimal(a.budget).toFixed(),
        currency: a.currency,
        policy: a.policy,
        createdAt: iso(a.created_at)!,
        notifiedAt: iso(a.notified_at),
        attempts: a.attempts,
        lastError: a.last_error,
        nextAttemptAt: iso(a.next_attempt_at),
        status: deliveryStatus(a, webhooksVisible ? Boolean(org?.webhookUrl) : null),
      };
    });
    return {
      month: month.slice(0, 7),
      reportingCurrency: reporting.currency,
      total: sumSpend([...spend.values()], reporting),
      webhooksVisible,
      organizations,
      alerts,
    };
  });
}

/**
 * Sets an organization's budget, currency, policy and webhook, in the caller's RLS transaction.
 * RLS lets only platform admins update organizations and write organization_webhooks; for
 * anyone else the organization row is filtered out and nothing changes, which is reported as a
 * refusal (and the webhook is never touched). The audit triggers record the change (the
 * webhook's by host only), and the organizations trigger's config_version bump makes every
 * gateway instance reload the budget within a second.
 */
export async function updateBudget(tx: UserTx, input: BudgetInput): Promise<{ id: string }> {
  const result = await tx
    .updateTable("organizations")
    .set({
      monthly_budget: input.monthlyBudget,
      budget_currency: input.currency,
      budget_policy: input.policy,
    })
    .where("id", "=", input.organizationId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    throw new WriteRefusal("Only platform administrators can change budgets (or the organization no longer exists).");
  }
  if (input.webhookUrl === null) {
    await tx.deleteFrom("organization_webhooks").where("organization_id", "=", input.organizationId).execute();
  } else {
    // An unchanged URL is left alone: no audit row, no new updated_at.
    await tx
      .insertInto("organization_webhooks")
      .values({ organization_id: input.organizationId, url: input.webhookUrl })
      .onConflict((oc) =>
        oc
          .column("organization_id")
          .doUpdateSet({ url: (eb) => eb.ref("excluded.url") })
          .where("organization_webhooks.url", "is distinct from", (eb) => eb.ref("excluded.url")),
      )
      .execute();
  }
  return { id: input.organizationId };
}
