import { describe, expect, it } from "vitest";
import { monthsBetween } from "./demo";

describe("monthsBetween", () => {
  it.each([
    ["2026-03-15", "2026-03-31", 0],
    ["2025-12-15", "2026-03-15", 3],
    ["2024-11-30", "2026-11-24", 24],
    ["2026-01-31T23:59:59Z", "2026-02-01T00:00:00Z", 1],
  ])("%s to %s is %i month(s) in UTC", (from, to, months) => {
    expect(monthsBetween(new Date(from), new Date(to))).toBe(months);
  });
});
