import { describe, expect, it } from "vitest";
import { scopedBudgetSchema } from "./budget-scope";

const ORG = "0b000000-0000-4000-8000-000000000001";
const APP = "0b000000-0000-4000-8000-000000000002";
const base = { organizationId: ORG, scope: "app", appId: APP, apiKeyId: "", window: "day", amount: "25.50", currency: "EUR", policy: "block" };

describe("scopedBudgetSchema", () => {
  it("accepts an app budget and drops the id of the other scope", () => {
    const parsed = scopedBudgetSchema.parse({ ...base, apiKeyId: APP });
    expect(parsed).toMatchObject({ scope: "app", appId: APP, apiKeyId: null, amount: "25.50" });
  });

  it("refuses 0, too many decimals, a bad currency and a missing app", () => {
    const errors = (input: object) => scopedBudgetSchema.safeParse(input).error?.issues.map((i) => i.path.join("."));
    expect(errors({ ...base, amount: "0" })).toEqual(["amount"]);
    expect(errors({ ...base, amount: "1.1234567" })).toEqual(["amount"]);
    expect(errors({ ...base, currency: "eu" })).toEqual(["currency"]);
    expect(errors({ ...base, appId: "" })).toEqual(["appId"]);
  });
});
