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
});
