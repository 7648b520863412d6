import { describe, expect, it } from "vitest";
import { isScopedThreshold, payloadOf, type AlertRow } from "@/lib/engine/budget-webhook";

/** The payload a webhook receiver gets: the organization's monthly alerts unchanged, scoped ones naming their budget. */

const base: AlertRow = {
  id: "alert-1", organization_id: "org-1", slug: "acme", name: "Acme", month: "2026-12-01", threshold_pct: 80,
  spent: "20.000000000000", budget: "25.000000", currency: "EUR", policy: "block", created_at: "2026-12-07T10:00:00.000Z",
};

describe("payloadOf", () => {
  it("sends the organization's monthly threshold alert exactly as before", () => {
    expect(payloadOf({ ...base, kind: "threshold", day: null, budget_id: null, scope: "organization", budget_window: "month", target_name: null })).toEqual({
      type: "budget.threshold_crossed", organization: { id: "org-1", slug: "acme", name: "Acme" }, month: "2026-12",
      threshold_pct: 80, spent: "20", budget: "25", currency: "EUR", policy: "block", created_at: "2026-12-07T10:00:00.000Z",
    });
    // Rows from before alert kinds and scopes read the same.
    expect(payloadOf(base)).toEqual(payloadOf({ ...base, kind: "threshold", scope: "organization", budget_window: "month" }));
  });

  it("names an app's daily budget: id, scope, app name, window, period and amount", () => {
    const p = payloadOf({ ...base, kind: "threshold", day: "2026-12-07", budget_id: "b-1", scope: "app", budget_window: "day", target_name: "Support bot" });
    expect(p).toEqual({
      type: "budget.threshold_crossed", organization: { id: "org-1", slug: "acme", name: "Acme" }, month: "2026-12", day: "2026-12-07",
      budget_id: "b-1", scope: "app", app_name: "Support bot", window: "daily", period: "2026-12-07", amount: "25",
      threshold_pct: 80, spent: "20", budget: "25", currency: "EUR", policy: "block", created_at: "2026-12-07T10:00:00.000Z",
    });
  });

  it("names a key's monthly budget, and a removed budget by what the row kept", () => {
    const p = payloadOf({ ...base, kind: "threshold", day: null, budget_id: null, scope: "key", budget_window: "month", target_name: "ci-runner" });
    expect(p).toMatchObject({ budget_id: null, scope: "key", key_name: "ci-runner", window: "monthly", period: "2026-12", amount: "25" });
    expect(p).not.toHaveProperty("app_name");
    // The organization's daily budget is scoped too (it is not the monthly one).
    expect(payloadOf({ ...base, kind: "threshold", day: "2026-12-07", budget_id: "b-2", scope: "organization", budget_window: "day" }))
      .toMatchObject({ scope: "organization", window: "daily", period: "2026-12-07" });
  });

  it("leaves forecast and spike alerts as they were", () => {
    expect(isScopedThreshold({ kind: "forecast", scope: "organization", budget_window: "month" })).toBe(false);
    expect(isScopedThreshold({ kind: "spike" })).toBe(false);
    expect(payloadOf({ ...base, kind: "spike", day: "2026-12-06" })).not.toHaveProperty("scope");
  });
});
