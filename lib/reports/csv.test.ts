import { describe, expect, it } from "vitest";
import { costsToCsv } from "@/lib/reports/costs-csv";
import { csvCell, csvLine } from "@/lib/reports/csv";
import type { CostsData } from "@/lib/db/costs";
import { savingsRowCells } from "@/lib/reports/savings-csv";

describe("csvCell: formula guard", () => {
  it.each([
    ["=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""],
    ["+cmd", "'+cmd"],
    ["-cmd", "'-cmd"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    ["\r=1+1", "\"'\r=1+1\""],
    ["-1.25+A1", "'-1.25+A1"],
    ["-", "'-"],
    ["+1.25", "'+1.25"],
    ["-1e3", "'-1e3"],
  ])("guards %j", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it.each([
    ["-1.25", "-1.25"],
    ["-0.00", "-0.00"],
    ["12.34", "12.34"],
    ["0", "0"],
  ])("a plain decimal string stays a number: %j", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it.each([
    [-1.25, "-1.25"],
    [42, "42"],
    [0, "0"],
  ])("a number stays a number: %d", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it("quotes commas, quotes and line breaks (RFC 4180), plain text unchanged", () => {
    expect(csvCell("a,b")).toBe("\"a,b\"");
    expect(csvCell("say \"hi\"")).toBe("\"say \"\"hi\"\"\"");
    expect(csvCell("two\nlines")).toBe("\"two\nlines\"");
    expect(csvCell("gpt-4o-mini")).toBe("gpt-4o-mini");
    expect(csvLine(["a", -1.25, "-1.25", "=x"])).toBe("a,-1.25,-1.25,'=x");
  });
});

describe("the downloads use the shared cell", () => {
  it("savings: a negative saving stays a number, a formula-looking app name is guarded", () => {
    const cells = savingsRowCells({
      section: "App", organization: "", period: "", app: "\t=cmd", baselineModel: "@m", calls: 3, compared: 3, withoutBaseline: 0,
      actual: "2.50", baseline: "1.25", savings: "-1.25", savingsPct: "-100.0", currency: "EUR", notConverted: "",
    });
    expect(csvLine(cells)).toBe("App,,,'\t=cmd,'@m,3,3,0,2.50,1.25,-1.25,-100.0,EUR,");
  });

  it("costs: a tab- or CR-led model name is guarded", () => {
    const row = (label: string) => ({ label, calls: 1, amount: "1", unconverted: {} });
    const data = {
      reporting: { currency: "USD" },
      breakdowns: { organization: [row("\tevil")], model: [row("\r=evil")], provider: [], stage: [], request_type: [] },
      total: row("Total"),
      granularity: "day",
      zone: "UTC",
      periods: [row("2026-11-24")],
    } as unknown as CostsData;
    const csv = costsToCsv(data);
    expect(csv).toContain("'\tevil");
    expect(csv).toContain("\"'\r=evil\"");
    // The chart's periods follow the breakdowns, the total comes last.
    expect(csv.trimEnd().split("\r\n").slice(-2)).toEqual(["Day (UTC),2026-11-24,1,1,USD,", "Total,Total,1,1,USD,"]);
  });
});
