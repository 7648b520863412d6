import { describe, expect, it } from "vitest";
import type { StatementLine } from "@/lib/engine/statement";
import { clientPriceText, pricingText, rateText, tokensByKind } from "./line-detail";

/** The fields the statement's row sheet and the print view's detail line share. */
const line: StatementLine = {
  kind: "usage", appId: null, appName: "Werkbon", providerCode: "openai", modelCode: "gpt-4o-mini", actionType: "classify",
  currency: "USD", clientPriceId: null, pricing: "markup", calls: 3, callsWithoutCost: 1,
  tokens: { prompt: 1200, completion: 80, cached: 1000, reasoning: 40, cacheWrite5m: 0, cacheWrite1h: 7 },
  providerCost: "0.000123456789", sourceAmount: "0.0001481481468", sourceCurrency: "USD", rate: "0.92", amount: "0.000136296295056",
  correctsMonth: null, correctsStatementId: null,
};

describe("statement line detail", () => {
  it("names every token kind, zero included", () => {
    expect(tokensByKind(line)).toEqual([
      ["Input tokens", "1,200"], ["Cached input tokens", "1,000"], ["Output tokens", "80"], ["Reasoning tokens", "40"],
      ["Cache writes (5 min)", "0"], ["Cache writes (1 h)", "7"],
    ]);
  });

  it("says which pricing rule applied, with the markup only when it is this statement's", () => {
    expect(pricingText(line, "20")).toBe("Provider cost + 20 % markup");
    expect(pricingText(line, null)).toBe("Provider cost + the corrected month's markup");
    expect(pricingText({ ...line, pricing: "price_list" }, "20")).toBe("Client price list (no markup)");
  });

  it("keeps the client price and its rate exact, and says when there is no rate or no cost", () => {
    expect(clientPriceText(line)).toBe("0.0001481481468 USD");
    expect(rateText(line, "EUR")).toBe("1 USD = 0.92 EUR");
    expect(rateText({ ...line, sourceCurrency: "GBP", rate: null, amount: null }, "EUR")).toBe("no GBP rate: not converted");
    expect(clientPriceText({ ...line, sourceAmount: null, sourceCurrency: null })).toBe("not billed: no cost");
    expect(rateText({ ...line, sourceAmount: null, sourceCurrency: null, rate: null }, "EUR")).toBe("—");
  });
});
