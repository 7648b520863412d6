import type { UserTx } from "./rls";

export interface BudgetAlertRow {
  id: string;
  organizationName: string;
  /** First day of the budget month, YYYY-MM-DD. */
  month: string;
  thresholdPct: number;
  spent: string;
  budget: string;
  currency: string;
  policy: "alert" | "block" | "downgrade";
  createdAt: string;
}

/**
 * The most recent budget alerts the caller may see, newest first. The gateway writes one row per
 * organization, month and threshold crossed; RLS shows members only their organizations' alerts.
 */
export async function loadBudgetAlerts(tx: UserTx, limit = 8): Promise<BudgetAlertRow[]> {
  const rows = await tx
    .selectFrom("budget_alerts as b")
    .innerJoin("organizations as o", "o.id", "b.organization_id")
    .select(["b.id", "o.name", "b.month", "b.threshold_pct", "b.spent", "b.budget", "b.currency", "b.policy", "b.created_at"])
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
