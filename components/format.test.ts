import { describe, expect, it } from "vitest";
import { formatCount, formatDateTime, formatDay, formatMoney, formatMoneyTick, formatMonth, formatPrice, formatShortDateTime, formatTimestamp, formatUtc, moneyTitle } from "./format";

describe("formatMoney", () => {
  it("rounds totals to cents without going through a float", () => {
    expect(formatMoney("1234.5678", "USD")).toBe("$1,234.57");
    expect(formatMoney("90071992547409.99", "USD")).toBe("$90,071,992,547,409.99");
  });

  it("keeps up to eight decimals for one call; a price per million tokens loses its trailing zeros", () => {
    expect(formatMoney("0.000123", "USD", { precision: "call" })).toBe("$0.000123");
    expect(formatMoney("12345678901234.123456", "EUR", { precision: "call" })).toBe("€12,345,678,901,234.123456");
    expect(formatMoney("1", "JPY", { precision: "call" })).toBe("¥1.00");
    expect(formatPrice("0.075", "USD")).toBe("$0.075");
    expect(formatPrice("0.00000012", "USD")).toBe("$0.00000012");
    expect(formatPrice("0.80000000", "EUR")).toBe("€0.8");
    expect(formatPrice("2.50000000", "USD")).toBe("$2.5");
    expect(formatPrice("3.00000000", "USD")).toBe("$3");
  });

  it("never shows a non-zero amount as zero, and titles the exact value when digits are hidden", () => {
    expect(formatMoney("0.000012", "EUR")).toBe("< €0.01");
    expect(formatMoney("-0.000012", "EUR")).toBe("> -€0.01");
    expect(formatMoney("0.005", "EUR")).toBe("€0.01");
    expect(formatMoney("0.004999999999999999999", "EUR")).toBe("< €0.01");
    expect(formatMoney("0", "EUR")).toBe("€0.00");
    expect(formatMoney("0.000000000000", "EUR")).toBe("€0.00");
    expect(formatMoney("0.000000001", "EUR", { precision: "call" })).toBe("< €0.00000001");
    expect(moneyTitle("0.000012", "EUR")).toBe("€0.000012");
    expect(moneyTitle("12.345", "USD")).toBe("$12.345");
    expect(moneyTitle("12.34", "USD")).toBeUndefined();
    expect(moneyTitle("12.340000", "USD")).toBeUndefined();
    expect(moneyTitle(null, "USD")).toBeUndefined();
  });

  it("formats axis ticks with the decimals the tick needs", () => {
    expect(formatMoneyTick(0.25, "EUR")).toBe("€0.25");
    expect(formatMoneyTick(0.75, "EUR")).toBe("€0.75");
    expect(formatMoneyTick(0.5, "EUR")).toBe("€0.50");
    expect(formatMoneyTick(0.1 + 0.2, "EUR")).toBe("€0.30");
    expect(formatMoneyTick(0.0025, "USD")).toBe("$0.0025");
    expect(formatMoneyTick(2, "EUR")).toBe("€2");
    expect(formatMoneyTick(0, "EUR")).toBe("€0");
    expect(formatMoneyTick(2500, "EUR")).toBe("€2.5K");
  });

  it("is compact for chart axes", () => {
    expect(formatMoney(1234, "EUR", { compact: true })).toBe("€1.2K");
  });

  it("shows a dash for a missing amount or currency and the raw value for an unknown currency", () => {
    expect(formatMoney(null, "USD")).toBe("—");
    expect(formatMoney("1.5", null)).toBe("—");
    expect(formatMoney("12.5", "NOT A CODE")).toBe("12.5 NOT A CODE");
    expect(formatMoney("n/a", "USD")).toBe("n/a USD");
  });
});

describe("other formatters", () => {
  it("formats counts, months and timestamps", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatCount(null)).toBe("—");
    expect(formatMonth("2026-11")).toBe("2026-11");
    expect(formatMonth("2026-11-01", "long")).toBe("2026-11");
    expect(formatTimestamp(new Date("2026-11-24T19:15:02.123Z"))).toBe("2026-11-24 19:15:02 UTC");
  });

  it("uses one ISO form for days and one for timestamps", () => {
    expect(formatDay("2026-11-24")).toBe("2026-11-24");
    expect(formatDay("2026-11-24", "long")).toBe("2026-11-24");
    expect(formatDay("nope")).toBe("nope");
    expect(formatUtc("2026-11-24T19:15:02.123Z")).toBe("2026-11-24 19:15 UTC");
    expect(formatDateTime("2026-11-24T19:15:02.123Z")).toBe("2026-11-24 19:15 UTC");
    expect(formatShortDateTime("2026-11-24T19:15:02.123Z")).toBe("2026-11-24 19:15");
  });
});
