import { describe, expect, it } from "vitest";
import { reportingCurrencyFrom } from "@/lib/engine/currency";
import { Dec } from "@/lib/engine/price";
import { alertPeriod, describeCheck, fits, scopedBudgetsFor, scopedThresholdAlerts, tightest, windowAt, type BudgetCheck } from "@/lib/engine/budget-scope";
import type { SnapshotBudget } from "@/lib/engine/types";
import { demoSnapshot, id, setting } from "@/tests/helpers/engine/snapshot";

/** Which budgets apply, the window in a time zone, and the tightest budget deciding. */

const budget = (b: Partial<SnapshotBudget> & { id: string }): SnapshotBudget => ({
  organizationId: "org", appId: null, apiKeyId: null, window: "month", amount: "100", currency: "EUR", policy: "block", ...b,
});
const check = (b: SnapshotBudget, spent: string, estimate = "1", reserved = "0"): BudgetCheck => ({
  budget: b, label: b.id, spent: new Dec(spent), reserved: new Dec(reserved), estimate: new Dec(estimate),
});
const fx = reportingCurrencyFrom("EUR", { USD: "0.5" });

describe("scopedBudgetsFor", () => {
  it("takes the organization's daily budget, its app's and its key's, never the mirrored monthly one or another app's", () => {
    const all = [
      budget({ id: "org-month" }),
      budget({ id: "org-day", window: "day" }),
      budget({ id: "app", appId: "app-1" }),
      budget({ id: "other-app", appId: "app-2" }),
      budget({ id: "key", apiKeyId: "key-1", window: "day" }),
      budget({ id: "other-key", apiKeyId: "key-2" }),
    ];
    expect(scopedBudgetsFor(all, "app-1", "key-1").map((b) => b.id)).toEqual(["org-day", "app", "key"]);
    expect(scopedBudgetsFor(undefined, "app-1", "key-1")).toEqual([]);
  });
});

describe("windowAt", () => {
  it("starts a daily window at the zone's midnight, and a month at the zone's first midnight", () => {
    // 2026-12-07 15:10 UTC is already Dec 8 in Tokyo (UTC+9).
    const day = windowAt("day", "Asia/Tokyo", Date.parse("2026-12-07T15:10:00Z"));
    expect(day).toEqual({ start: "2026-12-08", from: new Date("2026-12-07T15:00:00Z"), to: new Date("2026-12-08T15:00:00Z") });
    const month = windowAt("month", "Europe/Amsterdam", Date.parse("2026-11-30T23:30:00Z"));
    expect(month).toEqual({ start: "2026-12-01", from: new Date("2026-11-30T23:00:00Z"), to: new Date("2026-12-31T23:00:00Z") });
  });
});

describe("tightest", () => {
  it("fits while spent + in flight + estimate stays within the amount and the budget is not exhausted", () => {
    expect(fits(check(budget({ id: "a", amount: "10" }), "9", "1"))).toBe(true);
    expect(fits(check(budget({ id: "a", amount: "10" }), "9", "1.01"))).toBe(false);
    expect(fits(check(budget({ id: "a", amount: "10" }), "10", "0"))).toBe(false);
  });

  it("picks the least room left, compared in the reporting currency", () => {
    // EUR budget: 100 - 95 - 1 = 4 EUR left; USD budget: 100 - 92 - 1 = 7 USD = 3.5 EUR left (1 USD = 0.5 EUR).
    const eur = check(budget({ id: "eur", policy: "alert" }), "95");
    const usd = check(budget({ id: "usd", currency: "USD", policy: "block", appId: "app" }), "92");
    expect(tightest([eur, usd], fx)?.budget.id).toBe("usd");
    // Over budget: the most negative room decides.
    const overEur = check(budget({ id: "over-eur", policy: "downgrade" }), "110");
    expect(tightest([eur, usd, overEur], fx)?.budget.id).toBe("over-eur");
  });

  it("breaks ties by the stricter policy, then the narrower scope and the shorter window", () => {
    const alert = check(budget({ id: "alert", policy: "alert" }), "50");
    const block = check(budget({ id: "block", policy: "block" }), "50");
    expect(tightest([alert, block], fx)?.budget.id).toBe("block");
    const org = check(budget({ id: "org", window: "day" }), "50");
    const key = check(budget({ id: "key", apiKeyId: "k" }), "50");
    expect(tightest([org, key], fx)?.budget.id).toBe("key");
    const month = check(budget({ id: "m", appId: "a" }), "50");
    const day = check(budget({ id: "d", appId: "a", window: "day" }), "50");
    expect(tightest([month, day], fx)?.budget.id).toBe("d");
    expect(tightest([], fx)).toBeNull();
  });

  it("describes the deciding budget with its scope, window and amounts", () => {
    const c = check(budget({ id: "b", apiKeyId: "k", window: "day", amount: "5" }), "4.2", "0.6", "0.3");
    expect(describeCheck({ ...c, label: "acme × key 1a2b" })).toBe(
      "daily API key budget acme × key 1a2b: spent 4.2 EUR + in flight 0.3 EUR + estimate 0.6 EUR of 5 EUR",
    );
  });
});

describe("alertPeriod", () => {
  it("keys a daily budget's alerts by the zone's day, a monthly one's by the zone's month", () => {
    // 2026-12-07 15:10 UTC is Dec 8 in Tokyo; 2026-11-30 23:30 UTC is Dec 1 in Amsterdam.
    expect(alertPeriod("day", "Asia/Tokyo", Date.parse("2026-12-07T15:10:00Z"))).toEqual({ month: "2026-12-01", day: "2026-12-08", label: "2026-12-08" });
    expect(alertPeriod("day", "Asia/Tokyo", Date.parse("2026-12-07T14:50:00Z"))).toEqual({ month: "2026-12-01", day: "2026-12-07", label: "2026-12-07" });
    expect(alertPeriod("month", "Europe/Amsterdam", Date.parse("2026-11-30T23:30:00Z"))).toEqual({ month: "2026-12-01", day: null, label: "2026-12" });
    // The last day of a month in the zone keys the month it belongs to.
    expect(alertPeriod("day", "America/New_York", Date.parse("2026-12-01T03:00:00Z"))).toEqual({ month: "2026-11-01", day: "2026-11-30", label: "2026-11-30" });
  });
});

describe("scopedThresholdAlerts", () => {
  const ctx = { appId: id.app("wb"), organizationId: id.org("acme") };
  const at = Date.parse("2026-12-07T10:00:00Z");
  const snapshot = demoSnapshot();

  it("raises the thresholds spent + in flight + estimate reaches, per budget, exactly at the line", () => {
    const day = budget({ id: "day", appId: "a", window: "day", amount: "25" });
    const key = budget({ id: "key", apiKeyId: "k", amount: "10" });
    const calm = budget({ id: "calm", amount: "1000" });
    const alerts = scopedThresholdAlerts(snapshot, ctx, [
      check(day, "19", "0.5", "0.5"), // 20 of 25 = 80 % exactly
      check(key, "9.5", "0.25", "0.25"), // 10 of 10 = 100 % exactly
      check(calm, "10"),
    ], "UTC", at);
    expect(alerts.map((a) => [a.budget.id, a.thresholds, a.projected.toFixed(), a.period.label])).toEqual([
      ["day", [80], "20", "2026-12-07"],
      ["key", [80, 100], "10", "2026-12"],
    ]);
    // Just below the line: nothing.
    expect(scopedThresholdAlerts(snapshot, ctx, [check(day, "19.999999", "0.000000", "0")], "UTC", at)).toEqual([]);
  });

  it("reads the same thresholds setting as the organization's budget, and ignores negative figures", () => {
    const custom = demoSnapshot((d) => d.settings.push(setting("budget.alert_thresholds", "global", "json", [50, 90])));
    const b = budget({ id: "b", appId: "a", amount: "10" });
    expect(scopedThresholdAlerts(custom, ctx, [check(b, "5", "0")], "UTC", at)[0]?.thresholds).toEqual([50]);
    expect(scopedThresholdAlerts(custom, ctx, [check(b, "8", "0", "-5")], "UTC", at)[0]?.projected.toFixed()).toBe("8");
  });
});
