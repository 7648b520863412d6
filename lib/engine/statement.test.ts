import { describe, expect, it } from "vitest";
import { reportingCurrencyFrom } from "@/lib/engine/currency";
import { priceUsage } from "@/lib/engine/price";
import {
  adjustmentLines,
  billingRates,
  markupAmount,
  priceLines,
  priceListAmount,
  rebill,
  summarize,
  type ClientPrice,
  type StatementTerms,
  type TokenCounts,
  type UsageGroup,
} from "@/lib/engine/statement";
import { adjustmentMonth, closeRefusal, monthBounds, nextMonth, previousMonth, reopenRefusal } from "@/lib/engine/statement-period";

/** Statement arithmetic: markup, price lists overriding it, conversion, unconverted amounts, adjustments. */

const tokens = (prompt: number, completion: number, extra: Partial<TokenCounts> = {}): TokenCounts => ({
  prompt, completion, cached: 0, reasoning: 0, cacheWrite5m: 0, cacheWrite1h: 0, ...extra,
});

const group = (over: Partial<UsageGroup> = {}): UsageGroup => ({
  appId: "app-1", appName: "Support bot", providerCode: "openai", modelCode: "gpt-4o", actionType: "answer",
  currency: "USD", clientPrice: null, calls: 10, callsWithoutCost: 0, tokens: tokens(1000, 500), providerCost: "0.0125", ...over,
});

const eurTerms: StatementTerms = { billingCurrency: "EUR", markupPct: "20", rates: { EUR: "1", USD: "0.92" } };

describe("billing rates", () => {
  it("are 1 for the billing currency and the reporting rate when billing in the reporting currency", () => {
    const reporting = reportingCurrencyFrom("EUR", { USD: "0.92", GBP: "1.17" });
    expect(billingRates(reporting, "EUR")).toEqual({ EUR: "1", USD: "0.92", GBP: "1.17" });
  });
  it("cross through the reporting currency, rounded half-up to 12 decimals", () => {
    const reporting = reportingCurrencyFrom("EUR", { USD: "0.92", GBP: "1.17" });
    const rates = billingRates(reporting, "USD");
    expect(rates.USD).toBe("1");
    expect(rates.EUR).toBe("1.086956521739"); // 1 / 0.92
    expect(rates.GBP).toBe("1.271739130435"); // 1.17 / 0.92
  });
  it("convert only the billing currency when it has no rate itself", () => {
    expect(billingRates(reportingCurrencyFrom("EUR", {}), "CHF")).toEqual({ CHF: "1" });
  });
});

describe("client price", () => {
  it("is provider cost × (1 + markup / 100), exactly", () => {
    expect(markupAmount("0.0125", "20")).toBe("0.015");
    expect(markupAmount("0.000000000001", "12.5")).toBe("0.000000000001125");
    expect(markupAmount("3", "0")).toBe("3");
  });

  it("from a price list prices every token kind and agrees with the provider pricing formula", () => {
    const price: ClientPrice = { id: "p", inputPerMtok: "3", outputPerMtok: "15", cachedInputPerMtok: "0.3", cacheWritePerMtok: "3.75", cacheWrite1hPerMtok: null, currency: "EUR" };
    const t = tokens(10_000, 2_000, { cached: 4_000, cacheWrite5m: 1_000, cacheWrite1h: 500, reasoning: 300 });
    // (10000-4000-1500)*3 + 4000*0.3 + 1000*3.75 + 500*6 + 2000*15 = 13500+1200+3750+3000+30000 = 51450 / 1e6
    expect(priceListAmount(t, price)).toBe("0.05145");
    const provider = priceUsage(
      { promptTokens: 10_000, completionTokens: 2_000, totalTokens: 12_000, cachedTokens: 4_000, cacheWriteTokens: 1_500, cacheWrite1hTokens: 500, reasoningTokens: 300 },
      { inputPerMtok: "3", outputPerMtok: "15", cachedInputPerMtok: "0.3", cacheWritePerMtok: "3.75", cacheWrite1hPerMtok: null, reasoningPerMtok: null, currency: "USD" },
    );
    expect(provider).toBe("0.05145");
  });

  it("a price list overrides the markup for its model only", () => {
    const price: ClientPrice = { id: "p1", inputPerMtok: "2", outputPerMtok: "8", cachedInputPerMtok: null, cacheWritePerMtok: null, cacheWrite1hPerMtok: null, currency: "EUR" };
    const lines = priceLines([group({ clientPrice: price }), group({ modelCode: "gpt-4o-mini", providerCost: "0.001" })], eurTerms);
    const listed = lines.find((l) => l.modelCode === "gpt-4o");
    const marked = lines.find((l) => l.modelCode === "gpt-4o-mini");
    expect(listed).toMatchObject({ pricing: "price_list", sourceAmount: "0.006", sourceCurrency: "EUR", rate: "1", amount: "0.006", clientPriceId: "p1" });
    expect(marked).toMatchObject({ pricing: "markup", sourceAmount: "0.0012", sourceCurrency: "USD", rate: "0.92", amount: "0.001104" });
  });
});

describe("conversion and totals", () => {
  it("keeps an amount without a rate apart: never converted, zeroed or dropped", () => {
    const lines = priceLines([group(), group({ appId: "app-2", appName: "Search", currency: "GBP", providerCost: "1.5" })], eurTerms);
    const gbp = lines.find((l) => l.currency === "GBP");
    expect(gbp).toMatchObject({ sourceAmount: "1.8", rate: null, amount: null });
    const s = summarize(lines);
    expect(s.total).toEqual({ amount: "0.0138", unconverted: { GBP: "1.8" } });
    expect(s.apps.map((a) => [a.appName, a.subtotal])).toEqual([
      ["Search", { amount: "0", unconverted: { GBP: "1.8" } }],
      ["Support bot", { amount: "0.0138", unconverted: {} }],
    ]);
  });

  it("merges groups of one key and counts calls without cost", () => {
    const lines = priceLines([group(), group({ calls: 5, providerCost: "0.0025" }), group({ currency: null, providerCost: "0", calls: 3, callsWithoutCost: 3 })], eurTerms);
    expect(lines).toHaveLength(2);
    const priced = lines.find((l) => l.currency === "USD");
    expect(priced).toMatchObject({ calls: 15, providerCost: "0.015", sourceAmount: "0.018" });
    const unpriced = lines.find((l) => l.currency === null);
    expect(unpriced).toMatchObject({ sourceAmount: null, amount: null, callsWithoutCost: 3 });
    expect(summarize(lines).callsWithoutCost).toBe(3);
  });
});

describe("adjustments", () => {
  const corrects = { month: "2026-10-01", statementId: "s-oct" };

  it("are live − frozen per key, only where something differs", () => {
    const frozen = priceLines([group(), group({ modelCode: "gpt-4o-mini", providerCost: "0.001" })], eurTerms);
    const live = priceLines([group({ calls: 11, providerCost: "0.0135", tokens: tokens(1100, 550) }), group({ modelCode: "gpt-4o-mini", providerCost: "0.001" })], eurTerms);
    const adj = adjustmentLines(live, frozen, corrects, eurTerms);
    expect(adj).toHaveLength(1);
    expect(adj[0]).toMatchObject({
      kind: "adjustment", modelCode: "gpt-4o", calls: 1, providerCost: "0.001", sourceAmount: "0.0012", rate: "0.92", amount: "0.001104",
      tokens: tokens(100, 50), correctsMonth: "2026-10-01", correctsStatementId: "s-oct",
    });
  });

  it("subtract adjustments already frozen, so a second correction yields only the remaining difference", () => {
    const frozenUsage = priceLines([group()], eurTerms);
    const firstLive = priceLines([group({ providerCost: "0.02" })], eurTerms);
    const first = adjustmentLines(firstLive, frozenUsage, corrects, eurTerms);
    expect(first[0]?.providerCost).toBe("0.0075");
    const secondLive = priceLines([group({ providerCost: "0.025" })], eurTerms);
    const second = adjustmentLines(secondLive, [...frozenUsage, ...first], corrects, eurTerms);
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ providerCost: "0.005", sourceAmount: "0.006", amount: "0.00552" });
    expect(adjustmentLines(secondLive, [...frozenUsage, ...first, ...second], corrects, eurTerms)).toEqual([]);
  });

  it("carried into a statement billed in another currency, they convert by its rate and keep rate × source = amount", () => {
    const frozen = priceLines([group()], eurTerms);
    const adj = adjustmentLines(priceLines([group({ providerCost: "0.0225" })], eurTerms), frozen, corrects, eurTerms);
    const usdTerms: StatementTerms = { billingCurrency: "USD", markupPct: "0", rates: { USD: "1", EUR: "1.086956521739" } };
    const [line] = rebill(adj, "EUR", usdTerms);
    expect(line).toMatchObject({ sourceAmount: "0.012", sourceCurrency: "USD", rate: "0.99999999999988", amount: "0.01199999999999856" });
    expect(rebill(adj, "EUR", { ...usdTerms, rates: { USD: "1" } })[0]).toMatchObject({ rate: null, amount: null, sourceAmount: "0.012" });
    expect(rebill(adj, "EUR", eurTerms)).toEqual(adj);
  });

  it("a line that disappeared is credited in full (negative)", () => {
    const frozen = priceLines([group()], eurTerms);
    const adj = adjustmentLines([], frozen, corrects, eurTerms);
    expect(adj[0]).toMatchObject({ calls: -10, providerCost: "-0.0125", sourceAmount: "-0.015", amount: "-0.0138" });
    expect(summarize(adj).adjustmentsTotal.amount).toBe("-0.0138");
  });
});

describe("period rules", () => {
  it("month bounds follow the zone, DST included", () => {
    expect(monthBounds("2026-11", "UTC")).toEqual({ start: new Date("2026-11-01T00:00:00Z"), end: new Date("2026-12-01T00:00:00Z") });
    expect(monthBounds("2026-10", "Europe/Amsterdam")).toEqual({ start: new Date("2026-09-30T22:00:00Z"), end: new Date("2026-10-31T23:00:00Z") });
    expect(nextMonth("2026-12")).toBe("2027-01");
    expect(previousMonth("2027-01")).toBe("2026-12");
  });
  it("close in order, only ended months; reopen only the latest closed", () => {
    const now = new Date("2026-12-07T10:00:00Z");
    expect(closeRefusal("2026-12", "UTC", now, [])).toBe("not_ended");
    expect(closeRefusal("2026-11", "UTC", now, [])).toBeNull();
    expect(closeRefusal("2026-10", "UTC", now, ["2026-11"])).toBe("later_closed");
    expect(closeRefusal("2026-11", "UTC", now, ["2026-11"])).toBe("already_closed");
    expect(closeRefusal("2026-11", "UTC", now, ["2026-09"])).toBe("skips_month");
    expect(closeRefusal("2026-11", "UTC", now, ["2026-10"])).toBeNull();
    expect(reopenRefusal("2026-10", ["2026-10", "2026-11"])).toBe("later_closed");
    expect(reopenRefusal("2026-11", ["2026-10", "2026-11"])).toBeNull();
    expect(reopenRefusal("2026-09", ["2026-10"])).toBe("not_closed");
    expect(adjustmentMonth(["2026-10", "2026-09"])).toBe("2026-11");
    expect(adjustmentMonth([])).toBeNull();
  });
});
