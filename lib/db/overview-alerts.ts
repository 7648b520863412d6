import type { BudgetAlertRow as BudgetAlertDetail } from "./budgets";
import type { UserTx } from "./rls";

/** An alert as the Overview lists it: the Budgets page's row (month = first day, YYYY-MM-DD) without its delivery. */
export type BudgetAlertRow = Pick<
  BudgetAlertDetail,
  "id" | "organizationName" | "month" | "thresholdPct" | "spent" | "budget" | "currency" | "policy" | "createdAt"
>;

/**
 * The most recent budget alerts the caller may see, newest first. The gateway writes one row per
 * organization, month and threshold crossed; RLS shows members only their organizations' alerts.
 */
export async function loadBudgetAlerts(tx: UserTx, limit = 8): Promise<BudgetAlertRow[]> {
  const rows = await tx
    .selectFrom("budget_alerts as b")
    .innerJoin("organizations as o", "o.id", "b.organization_id")
    .select(["b.id", "o.name", "b.month", "b.threshold_pct", "b.spent", "b.budget", "b.currency", "b.policy", "b.created_at"])
    // Threshold alerts only: forecast and spike alerts (20261208040001) are listed on Budgets.
    .where("b.kind", "=", "threshold")
    .orderBy("b.created_at", "desc")
    .orderBy("b.threshold_pct", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    organizationName: r.name,
    month: r.month,
    thresholdPct: r.threshold_pct,
    spent: r.spent,
    budget: r.budget,
    currency: r.currency,
    policy: r.policy,
    createdAt: r.created_at.toISOString(),
  }));
}
