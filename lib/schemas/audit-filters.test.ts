import { describe, expect, it } from "vitest";
import { auditFiltersToSearch, parseAuditFilters } from "./audit-filters";

describe("audit filters", () => {
  it("keeps valid filters and round-trips them through the URL", () => {
    const { filters, errors } = parseAuditFilters(new URLSearchParams("area=routing&actor=system&from=2026-12-01&to=2026-12-07&q=%20bot%20&before=42&org="));
    expect(errors).toEqual({});
    expect(filters).toEqual({ area: "routing", actor: "system", from: "2026-12-01", to: "2026-12-07", q: "bot", before: 42 });
    expect(auditFiltersToSearch(filters)).toBe("area=routing&actor=system&from=2026-12-01&to=2026-12-07&q=bot");
  });

  it("drops and reports bad values instead of failing", () => {
    const { filters, errors } = parseAuditFilters({ area: "llm_configurations", org: "nope", from: "2026-12-09", to: "2026-12-01", before: "-1" });
    expect(filters).toEqual({});
    expect(Object.keys(errors).sort()).toEqual(["area", "before", "org", "range"]);
  });

  it("resolves a period preset in the reporting time zone and keeps it a preset in links", () => {
    const now = new Date("2026-12-07T23:30:00Z");
    const { filters, errors } = parseAuditFilters(new URLSearchParams("preset=today&from=2020-01-01&actor=gateway"), { zone: "Europe/Amsterdam", now });
    expect(errors).toEqual({});
    expect(filters).toEqual({ actor: "gateway", from: "2026-12-08", to: "2026-12-08", preset: "today" });
    expect(auditFiltersToSearch(filters)).toBe("actor=gateway&preset=today");
    expect(auditFiltersToSearch(filters, undefined, { resolved: true })).toBe("actor=gateway&from=2026-12-08&to=2026-12-08");
    expect(parseAuditFilters({ preset: "forever" }).errors).toEqual({ range: expect.stringMatching(/Unknown period/) });
  });
});

