import { describe, expect, it } from "vitest";
import type { ScopedBudgetAlertRow } from "@/lib/db/budget-counters";
import { alertPeriod, type ScopedAlert } from "@/lib/engine/budget-scope";
import { Dec } from "@/lib/engine/price";
import type { SnapshotBudget, SnapshotOrganization } from "@/lib/engine/types";
import { scopedAlertRaiser } from "./budget-alerts";

/** The scoped alert raiser: fire-and-forget, once per budget, period and threshold, failures logged once and scrubbed. */

const org: SnapshotOrganization = { id: "org-1", slug: "acme", name: "Acme", tier: "standard", monthlyBudget: null, budgetCurrency: "EUR", budgetPolicy: "block" };
const budget: SnapshotBudget = { id: "b-1", organizationId: "org-1", appId: "app-1", apiKeyId: null, window: "day", amount: "25", currency: "EUR", policy: "alert" };
const at = Date.parse("2026-12-07T10:00:00Z");
const alert = (thresholds: number[], when = at): ScopedAlert => ({ budget, period: alertPeriod("day", "UTC", when), thresholds, projected: new Dec("25.5") });

/** Resolves once `check` holds, polling the event loop (bounded). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 1));
  expect(check()).toBe(true);
}

describe("scopedAlertRaiser", () => {
  it("inserts each (budget, period, threshold) once per process and kicks delivery for new rows", async () => {
    const rows: ScopedBudgetAlertRow[] = [];
    let kicks = 0;
    const raise = scopedAlertRaiser(() => ({ insert: async (r) => (rows.push(r), true), delivered: () => void kicks++, log: () => undefined }));
    expect(raise(org, [alert([80, 100])])).toBe(2);
    expect(raise(org, [alert([80, 100])])).toBe(0);
    await until(() => kicks === 2);
    expect(rows.map((r) => [r.thresholdPct, r.month, r.day, r.scope, r.window, r.spent, r.budget])).toEqual([
      [80, "2026-12-01", "2026-12-07", "app", "day", "25.5", "25"],
      [100, "2026-12-01", "2026-12-07", "app", "day", "25.5", "25"],
    ]);
    // The next day is a new period.
    raise(org, [alert([80], at + 86_400_000)]);
    await until(() => rows.length === 3);
    expect(rows[2]).toMatchObject({ day: "2026-12-08", thresholdPct: 80 });
  });

  it("never throws, logs a failure once per budget and period without secrets, and retries on a later call", async () => {
    const lines: string[] = [];
    let attempts = 0;
    let fail = true;
    const raise = scopedAlertRaiser(() => ({
      insert: async () => {
        attempts++;
        if (fail) throw new Error("connect to postgres://svc:hunter2@db.internal:5432 failed, Bearer sk-proj-abcdefghijklmnopqrstuv");
        return true;
      },
      delivered: () => undefined,
      log: (l) => lines.push(l),
    }));
    expect(raise(org, [alert([80, 100])])).toBe(2);
    await until(() => attempts === 2 && lines.length === 1);
    // Forgotten after the failure: the next call tries again, and the log stays at one line.
    expect(raise(org, [alert([80])])).toBe(1);
    await until(() => attempts === 3);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("daily app budget b-1 of acme");
    expect(lines[0]).not.toMatch(/hunter2|abcdefghijklmnop/);
    fail = false;
    expect(raise(org, [alert([80])])).toBe(1);
    await until(() => attempts === 4);
    // Recorded: not tried again.
    expect(raise(org, [alert([80])])).toBe(0);
  });
});
