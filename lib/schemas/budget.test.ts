import { describe, expect, it } from "vitest";
import { budgetSchema, webhookUrlProblem } from "./budget";

const ORG = "0a000000-0000-4000-8000-00000000000a";

describe("budget webhook URL (same rule as the database CHECK)", () => {
  it.each([
    "https://hooks.example.com/budget",
    "https://hooks.example.com:8443/x?token=abc",
    "http://127.0.0.1:4000/hook",
    "http://localhost/hook",
    "http://[::1]:9000",
  ])("accepts %s", (url) => {
    expect(webhookUrlProblem(url)).toBeNull();
  });

  it.each([
    ["http://hooks.example.com/x", /https/],
    ["http://localhost.evil.com/x", /https/],
    ["HTTPS://hooks.example.com", /https/],
    ["ftp://127.0.0.1/x", /https/],
    ["https://user:pw@hooks.example.com/x", /credentials/],
    ["hooks.example.com", /full URL/],
    ["https://hooks.example.com/a b", /spaces/],
  ])("refuses %s", (url, message) => {
    expect(webhookUrlProblem(url)).toMatch(message);
  });
});

describe("budget schema", () => {
  const base = { organizationId: ORG, monthlyBudget: "1500.50", currency: "eur", policy: "block", webhookUrl: "" };

  it("keeps the amount as an exact string, upper-cases the currency, turns empty into null", () => {
    expect(budgetSchema.parse(base)).toEqual({ organizationId: ORG, monthlyBudget: "1500.50", currency: "EUR", policy: "block", webhookUrl: null });
    expect(budgetSchema.parse({ ...base, monthlyBudget: "  " }).monthlyBudget).toBeNull();
    expect(budgetSchema.parse({ ...base, monthlyBudget: "0" }).monthlyBudget).toBe("0");
    expect(budgetSchema.parse({ ...base, monthlyBudget: "99999999999999.999999" }).monthlyBudget).toBe("99999999999999.999999");
  });

  it.each([
    [{ monthlyBudget: "-1" }, "monthlyBudget"],
    [{ monthlyBudget: "1e3" }, "monthlyBudget"],
    [{ monthlyBudget: "0.1234567" }, "monthlyBudget"],
    [{ monthlyBudget: "123456789012345" }, "monthlyBudget"],
    [{ currency: "EURO" }, "currency"],
    [{ policy: "panic" }, "policy"],
    [{ organizationId: "acme" }, "organizationId"],
    [{ webhookUrl: "http://example.com" }, "webhookUrl"],
  ])("refuses %j on %s", (patch, field) => {
    const parsed = budgetSchema.safeParse({ ...base, ...patch });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join("."))).toEqual([field]);
  });
});
