import { errorMessage } from "@/lib/errors";
import { insertBudgetAlert } from "@/lib/db/budget-counters";
import { serviceDb } from "@/lib/db/service";
import { getEnv } from "@/lib/env";
import { kickBudgetWebhooks } from "@/lib/finance/budget-webhooks";
import type { SnapshotOrganization } from "@/lib/engine/types";

/**
 * Records a budget alert the first time an organization's month-to-date spend crosses a
 * threshold (80 %, 100 % by default). Off the response path; one row per (organization, month,
 * threshold) thanks to the table's unique key, and a per-process memo so the hot path does not
 * retry a write it already made.
 */
const written = new Set<string>();

export function raiseBudgetAlerts(org: SnapshotOrganization, thresholds: number[], spent: string | null, now = new Date()): void {
  if (!org.monthlyBudget || thresholds.length === 0) return;
  const month = `${now.toISOString().slice(0, 7)}-01`;
  for (const threshold of thresholds) {
    const key = `${org.id}|${month}|${threshold}`;
    if (written.has(key)) continue;
    written.add(key);
    void insert(org, month, threshold, spent ?? "0").catch((err: unknown) => {
      written.delete(key);
      console.warn(`[gateway] budget alert for ${org.slug} not recorded yet: ${errorMessage(err)}`);
    });
  }
}

async function insert(org: SnapshotOrganization, month: string, threshold: number, spent: string): Promise<void> {
  const inserted = await insertBudgetAlert(await serviceDb(), {
    organizationId: org.id,
    month,
    thresholdPct: threshold,
    spent,
    budget: org.monthlyBudget!,
    currency: org.budgetCurrency,
    policy: org.budgetPolicy,
  });
  // A new alert: deliver it to the organization's webhook now, still off the response path.
  if (inserted) kickBudgetWebhooks(serviceDb, getEnv().BUDGET_WEBHOOK_SECRET);
}
