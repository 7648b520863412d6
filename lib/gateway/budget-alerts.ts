import { errorMessage } from "@/lib/errors";
import { insertBudgetAlert, insertScopedBudgetAlert, type ScopedBudgetAlertRow } from "@/lib/db/budget-counters";
import { serviceDb } from "@/lib/db/service";
import { getEnv } from "@/lib/env";
import { kickBudgetWebhooks } from "@/lib/finance/budget-webhooks";
import { scopeOf, type ScopedAlert } from "@/lib/engine/budget-scope";
import { formatCost } from "@/lib/engine/price";
import type { SnapshotOrganization } from "@/lib/engine/types";
import { scrubSecrets } from "@/lib/providers/errors";

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

// ---- Budgets per app, per key and daily windows ------------------------------------------

export interface ScopedAlertDeps {
  /** Records one alert; true when it is new (the unique index drops repeats from any instance). */
  insert: (row: ScopedBudgetAlertRow) => Promise<boolean>;
  /** A new alert was recorded: deliver it to the organization's webhook (off the response path). */
  delivered: () => void;
  log: (line: string) => void;
}

/** Remembered alerts per process before the memo starts over (the database dedupes anyway). */
const MEMO_LIMIT = 10_000;

/** Database errors name hosts and users at most, never keys; stripped anyway, with any URL credentials. */
function safeReason(err: unknown): string {
  return scrubSecrets(errorMessage(err)).replace(/(\w+:\/\/)[^/@\s]+@/g, "$1[redacted]@").slice(0, 300);
}

/**
 * The threshold alerts of scoped budgets (lib/engine/budget-scope.ts scopedThresholdAlerts),
 * fire-and-forget: raise() returns at once and never throws, so the call is never slowed or
 * failed by it. One insert per (budget, period, threshold) per process (memo); a failed insert
 * is forgotten so a later call retries it, and logged once per budget and period, without secrets.
 * Returns how many inserts it started (for tests).
 */
export function scopedAlertRaiser(deps: () => ScopedAlertDeps): (org: SnapshotOrganization, alerts: readonly ScopedAlert[]) => number {
  const written = new Set<string>();
  const warned = new Set<string>();
  return (org, alerts) => {
    let scheduled = 0;
    for (const a of alerts) {
      for (const threshold of a.thresholds) {
        const key = `${a.budget.id}|${a.period.label}|${threshold}`;
        if (written.has(key)) continue;
        if (written.size >= MEMO_LIMIT) written.clear();
        written.add(key);
        scheduled++;
        const row: ScopedBudgetAlertRow = {
          budgetId: a.budget.id, organizationId: org.id, scope: scopeOf(a.budget), window: a.budget.window,
          month: a.period.month, day: a.period.day, thresholdPct: threshold,
          spent: formatCost(a.projected), budget: a.budget.amount, currency: a.budget.currency, policy: a.budget.policy,
        };
        let d: ScopedAlertDeps | null = null;
        void Promise.resolve()
          .then(() => (d = deps()).insert(row))
          .then((inserted) => {
            if (inserted) d!.delivered();
          })
          .catch((err: unknown) => {
            written.delete(key);
            const once = `${a.budget.id}|${a.period.label}`;
            if (warned.has(once)) return;
            if (warned.size >= MEMO_LIMIT) warned.clear();
            warned.add(once);
            const log = d?.log ?? ((line: string) => console.warn(line));
            log(`[gateway] ${a.budget.window === "day" ? "daily" : "monthly"} ${scopeOf(a.budget)} budget ${a.budget.id} of ${org.slug}: ` +
              `${threshold} % alert for ${a.period.label} not recorded yet (a later call retries): ${safeReason(err)}`);
          });
      }
    }
    return scheduled;
  };
}

export const raiseScopedBudgetAlerts = scopedAlertRaiser(() => ({
  insert: async (row) => insertScopedBudgetAlert(await serviceDb(), row),
  delivered: () => kickBudgetWebhooks(serviceDb, getEnv().BUDGET_WEBHOOK_SECRET),
  log: (line) => console.warn(line),
}));
