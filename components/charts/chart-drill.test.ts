import { describe, expect, it } from "vitest";
import { drillHref, type ChartDrill } from "./chart-drill";

describe("drillHref", () => {
  const drill: ChartDrill = { base: { tz: "Europe/Amsterdam" }, series: { a: { organization: "11111111-1111-4111-8111-111111111111" }, none: null }, from: "2025-11-20", to: "2026-12-05" };

  it("opens a day bar's own day in the page's zone", () => {
    expect(drillHref(drill, "a", "2026-11-15")).toBe(
      "/calls?organization=11111111-1111-4111-8111-111111111111&from=2026-11-15&to=2026-11-15&tz=Europe%2FAmsterdam",
    );
  });

  it("opens a month bar's days within the chart's range (ranges past 93 days)", () => {
    expect(drillHref(drill, "a", "2026-02")).toContain("from=2026-02-01&to=2026-02-28");
    expect(drillHref(drill, "a", "2025-11")).toContain("from=2025-11-20&to=2025-11-30");
    expect(drillHref(drill, "a", "2026-12")).toContain("from=2026-12-01&to=2026-12-05");
  });

  it("has no link for a series without a Calls filter", () => {
    expect(drillHref(drill, "none", "2026-11-15")).toBeNull();
  });
});
