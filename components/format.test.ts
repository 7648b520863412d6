import { describe, expect, it } from "vitest";
import { formatCount, formatMonth, formatMoney, formatTimestamp } from "./format";

describe("formatMoney", () => {
  it("rounds totals to cents without going through a float", () => {
    expect(formatMoney("1234.5678", "USD")).toBe("$1,234.57");
    expect(formatMoney("90071992547409.99", "USD")).toBe("$90,071,992,547,409.99");
  });

  it("keeps up to six decimals for one call and eight for a price per million tokens", () => {
    expect(formatMoney("0.000123", "USD", { precision: "call" })).toBe("$0.000123");
    expect(formatMoney("12345678901234.123456", "EUR", { precision: "call" })).toBe("€12,345,678,901,234.123456");
    expect(formatMoney("1", "JPY", { precision: "call" })).toBe("¥1.00");
    expect(formatMoney("0.075", "USD", { precision: "rate" })).toBe("$0.075");
    expect(formatMoney("0.00000012", "USD", { precision: "rate" })).toBe("$0.00000012");
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
    expect(formatMonth("2026-11")).toBe("Nov 2026");
    expect(formatMonth("2026-11-01", "long")).toBe("November 2026");
    expect(formatTimestamp(new Date("2026-11-24T19:15:02.123Z"))).toBe("2026-11-24 19:15:02 UTC");
  });
});
