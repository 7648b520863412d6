import { describe, expect, it } from "vitest";
import { convertAmounts, rateFor, reportingCurrencyFrom } from "@/lib/engine/currency";
import {
  DEFAULT_OUTPUT_TOKENS,
  defaultOutputTokens,
  estimateCost,
  estimateTokens,
  evaluateBudget,
  fxRates,
  sumInBudgetCurrency,
  toBudgetCurrency,
} from "@/lib/engine/budget";
import { Dec, priceUsage } from "@/lib/engine/price";
import { demoSnapshot, id, setting, T_NOW } from "@/tests/helpers/engine/snapshot";
import type { TraceStep } from "@/lib/engine/types";

/** Budget math: a call's estimate before it is made, currency conversion, in-flight reservations. */

const text = (n: number) => "x".repeat(n);

describe("estimateTokens", () => {
  it("overestimates the prompt: 3 bytes a token plus a per-message overhead, images at a flat 2,000", () => {
    const one = estimateTokens({ messages: [{ role: "user", content: text(3000) }] }, {}, 1024)!;
    // The JSON around the content adds a few bytes: never fewer than 1,000 + 8 tokens.
    expect(one.promptTokens).toBeGreaterThanOrEqual(1008);
    expect(one.promptTokens).toBeLessThan(1030);
    const withImage = estimateTokens({
      messages: [{ role: "user", content: [{ type: "text", text: "look" }, { type: "image_url", image_url: { url: `data:image/png;base64,${text(90_000)}` } }] }],
    }, {}, 1024)!;
    // The 90 KB of base64 is not counted as text: one image is 2,000 tokens.
    expect(withImage.promptTokens).toBeGreaterThan(2000);
    expect(withImage.promptTokens).toBeLessThan(2100);
    // Multi-byte text counts by its UTF-8 bytes: 1,000 CJK characters are 3,000 bytes, 1,000 tokens.
    const cjk = estimateTokens({ messages: [{ role: "user", content: "語".repeat(1000) }] }, {}, 1)!;
    expect(cjk.promptTokens).toBeGreaterThanOrEqual(1008);
  });

  it("takes the output from max_completion_tokens, max_tokens, the rule's params, then the default", () => {
    const m = { messages: [{ role: "user", content: "hi" }] };
    expect(estimateTokens({ ...m, max_completion_tokens: 50, max_tokens: 80 }, { max_tokens: 90 }, 1024)!.outputTokens).toBe(50);
    expect(estimateTokens({ ...m, max_tokens: 80 }, { max_tokens: 90 }, 1024)!.outputTokens).toBe(80);
    expect(estimateTokens(m, { max_tokens: 90 }, 1024)!.outputTokens).toBe(90);
    expect(estimateTokens(m, {}, 777)!.outputTokens).toBe(777);
    // Nonsense is not a limit.
    expect(estimateTokens({ ...m, max_tokens: -5 }, {}, 777)!.outputTokens).toBe(777);
    expect(estimateTokens({ ...m, max_tokens: 1.5 }, {}, 777)!.outputTokens).toBe(777);
  });

  it("multiplies by n: n choices bill n outputs (and, fanned out, n prompts)", () => {
    const m = { messages: [{ role: "user", content: "hi" }], max_tokens: 100 };
    const one = estimateTokens(m, {}, 1024)!;
    expect(estimateTokens({ ...m, n: 3 }, {}, 1024)).toEqual({ promptTokens: one.promptTokens * 3, outputTokens: 300 });
    expect(estimateTokens(m, { n: 2 }, 1024)!.outputTokens).toBe(200);
    expect(estimateTokens({ ...m, n: null }, {}, 1024)).toEqual(one);
  });

  it("reads budget.default_output_tokens, 1024 unless set to a positive integer", () => {
    expect(defaultOutputTokens(demoSnapshot(), {})).toBe(DEFAULT_OUTPUT_TOKENS);
    const set = demoSnapshot((d) => d.settings.push(setting("budget.default_output_tokens", "global", "int", 300)));
    expect(defaultOutputTokens(set, {})).toBe(300);
    const bad = demoSnapshot((d) => d.settings.push(setting("budget.default_output_tokens", "global", "int", 0)));
    expect(defaultOutputTokens(bad, {})).toBe(DEFAULT_OUTPUT_TOKENS);
  });
});

describe("estimateCost", () => {
  it("prices the estimate with the model's price row in force, exactly as a recorded call", () => {
    const s = demoSnapshot();
    const tokens = { promptTokens: 1000, outputTokens: 500 };
    // gpt-4o: $2.50 input, $10 output per Mtok.
    const est = estimateCost(s, id.model("gpt-4o"), tokens, T_NOW)!;
    expect(est.currency).toBe("USD");
    expect(est.amount.toFixed()).toBe(new Dec("0.0025").plus("0.005").toFixed());
    expect(est.amount.toFixed()).toBe(priceUsage({ promptTokens: 1000, completionTokens: 500, cachedTokens: 0, reasoningTokens: 0, totalTokens: null }, s.pricesByModel.get(id.model("gpt-4o"))!.at(-1)!));
    expect(estimateCost(s, id.model("gpt-4o"), null, T_NOW)).toBeNull();
    expect(estimateCost(s, "model:none", tokens, T_NOW)).toBeNull();
  });
});

describe("conversion into the budget currency", () => {
  const fx = reportingCurrencyFrom("EUR", { USD: "0.9", GBP: "1.2" });

  it("uses the Costs page's rule into the reporting currency, exactly", () => {
    expect(toBudgetCurrency("1.23", "USD", "EUR", fx)!.toFixed()).toBe("1.107");
    const costs = convertAmounts([{ currency: "USD", amount: "1.23" }, { currency: "GBP", amount: "0.000000000001" }], fx);
    const ours = sumInBudgetCurrency([{ currency: "USD", amount: "1.23" }, { currency: "GBP", amount: "0.000000000001" }], "EUR", fx);
    expect(ours).toEqual({ ok: true, amount: new Dec(costs.amount) });
    expect(toBudgetCurrency("5", "EUR", "EUR", fx)!.toFixed()).toBe("5");
    expect(rateFor(fx, "EUR")!.toFixed()).toBe("1");
  });

  it("goes through the reporting currency into another budget currency", () => {
    // 1 GBP = 1.2 EUR, 1 USD = 0.9 EUR: 3 GBP = 3.6 EUR = 4 USD.
    expect(toBudgetCurrency("3", "GBP", "USD", fx)!.toFixed()).toBe("4");
    expect(toBudgetCurrency("0.9", "EUR", "USD", fx)!.toFixed()).toBe("1");
  });

  it("refuses to guess without a rate, and names the currencies", () => {
    expect(toBudgetCurrency("1", "JPY", "EUR", fx)).toBeNull();
    expect(toBudgetCurrency("1", "EUR", "CHF", fx)).toBeNull();
    expect(sumInBudgetCurrency([{ currency: "JPY", amount: "3" }, { currency: "USD", amount: "1" }, { currency: "CHF", amount: "2" }], "EUR", fx))
      .toEqual({ ok: false, unconvertible: ["CHF", "JPY"] });
    // A zero amount in an unknown currency changes nothing.
    expect(sumInBudgetCurrency([{ currency: "JPY", amount: "0" }], "EUR", fx)).toEqual({ ok: true, amount: new Dec(0) });
  });

  it("reads the rates from the global settings, as the Costs page does", () => {
    const s = demoSnapshot((d) => {
      d.settings.push(setting("reporting.currency", "global", "string", "USD"), setting("reporting.fx_rates", "global", "json", { EUR: "1.1" }));
    });
    expect(fxRates(s)).toMatchObject({ currency: "USD", rates: { EUR: "1.1" } });
    expect(fxRates(demoSnapshot())).toMatchObject({ currency: "EUR", rates: {} });
  });
});

describe("evaluateBudget with calls in flight", () => {
  const s = demoSnapshot();
  const acme = s.organizationsById.get(id.org("acme"))!;

  it("counts reservations: spent + reserved + estimate against the budget", () => {
    const trace: TraceStep[] = [];
    // Budget 20 EUR: 10 spent + 9 in flight + 1 fits exactly; one cent more does not.
    expect(evaluateBudget(s, { org: acme, state: { spent: "10", reserved: "9", estimate: "1" }, ctx: {}, trace })!.over).toBe(false);
    expect(evaluateBudget(s, { org: acme, state: { spent: "10", reserved: "9", estimate: "1.01" }, ctx: {}, trace })!.over).toBe(true);
    // Fully committed: even a call of unknown cost is over.
    const full = evaluateBudget(s, { org: acme, state: { spent: "10", reserved: "10", estimate: null }, ctx: {}, trace })!;
    expect(full.over).toBe(true);
    expect(full.summary).toContain("in flight 10 EUR");
  });
});
