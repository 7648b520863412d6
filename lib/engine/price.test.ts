import { describe, expect, it } from "vitest";
import {
  appBaselineCost,
  baselineCost,
  formatCost,
  priceCall,
  priceInForce,
  priceUsage,
} from "@/lib/engine/price";
import { demoSnapshot, id, T_BASE, T_NOW, T_PRICE_CUT } from "@/lib/engine/test-snapshot";
import type { PriceRow, SnapshotPrice, Usage } from "@/lib/engine/types";

const usage = (promptTokens: number | null, completionTokens: number | null, cachedTokens: number | null = null, reasoningTokens: number | null = null): Usage => ({
  promptTokens, completionTokens, cachedTokens, reasoningTokens,
  totalTokens: promptTokens !== null && completionTokens !== null ? promptTokens + completionTokens : null,
});

const row = (input: string, output: string, cached: string | null = null, reasoning: string | null = null, currency = "USD"): PriceRow => ({
  inputPerMtok: input, outputPerMtok: output, cachedInputPerMtok: cached, reasoningPerMtok: reasoning, currency,
});

describe("priceInForce", () => {
  const price = (pid: string, at: number): SnapshotPrice => ({ ...row("1", "1"), id: pid, modelId: "m", effectiveFrom: at });
  const list = [price("b", 200), price("a", 100), price("future", 300), { ...price("other", 150), modelId: "n" }];

  it.each([
    [99, null],
    [100, "a"],
    [150, "a"],
    [199, "a"],
    [200, "b"],
    [299, "b"],
    [300, "future"],
  ])("at %d uses %s (list and snapshot agree)", (at, expected) => {
    expect(priceInForce(list, "m", at)?.id ?? null).toBe(expected);
  });

  it("uses the row in force between two rows of the demo catalog and ignores future rows", () => {
    const snap = demoSnapshot((d) => {
      d.prices.push({ ...row("9", "9"), id: "price:future", modelId: id.model("mistral-small-latest"), effectiveFrom: T_NOW + 86_400_000 });
    });
    const m = id.model("mistral-small-latest");
    expect(priceInForce(snap, m, T_BASE - 1)).toBeNull();
    expect(priceInForce(snap, m, T_BASE)?.id).toBe("price:mistral-small-latest:2024-01-01");
    expect(priceInForce(snap, m, T_PRICE_CUT - 1)?.inputPerMtok).toBe("0.20");
    expect(priceInForce(snap, m, T_PRICE_CUT)?.inputPerMtok).toBe("0.10");
    expect(priceInForce(snap, m, T_NOW)?.id).toBe("price:mistral-small-latest:cut");
    expect(priceInForce(snap, "model:nope", T_NOW)).toBeNull();
  });
});

describe("priceUsage", () => {
  it("is exact: 1234567 prompt tokens at 0.15 per Mtok", () => {
    expect(priceUsage(usage(1234567, 0), row("0.15", "0.60"))).toBe("0.18518505");
  });

  it.each([
    ["plain", usage(1000, 500), row("2.50", "10.00"), "0.0075"],
    ["cached tokens at the cached price", usage(1000, 500, 400), row("2.50", "10.00", "1.25"), "0.007"],
    ["cached tokens without a cached price pay the input price", usage(1000, 500, 400), row("2.50", "10.00"), "0.0075"],
    ["reasoning tokens at their own price", usage(1000, 500, 0, 200), row("1", "4", null, "8"), "0.0038"],
    ["reasoning tokens without a price pay the output price", usage(1000, 500, 0, 200), row("1", "4"), "0.003"],
    ["all four kinds", usage(1_000_000, 1_000_000, 250_000, 100_000), row("3", "15", "0.30", "20"), "17.825"], // 2.25 + 0.075 + 13.5 + 2,
    ["zero tokens cost zero (known usage)", usage(0, 0), row("3", "15"), "0"],
    ["one token at a tiny price keeps 12 decimals, no exponent", usage(1, 0), row("0.000001", "0"), "0.000000000001"],
    ["rounds half up at 12 decimals", usage(1, 0), row("0.0000005", "0"), "0.000000000001"],
    ["cached beyond prompt is clamped", usage(100, 0, 150), row("2", "1", "1"), "0.0001"],
  ])("%s", (_name, u, r, expected) => {
    expect(priceUsage(u, r)).toBe(expected);
  });

  it.each([
    ["no prompt tokens", usage(null, 10)],
    ["no completion tokens", usage(10, null)],
    ["negative tokens", usage(-1, 10)],
    ["NaN tokens", usage(Number.NaN, 10)],
  ])("returns null (never 0) with %s", (_name, u) => {
    expect(priceUsage(u, row("1", "1"))).toBeNull();
  });

  it("returns null instead of throwing on a malformed price", () => {
    expect(priceUsage(usage(1, 1), row("abc", "1"))).toBeNull();
  });
});

describe("formatCost", () => {
  it.each([
    ["1e-7", "0.0000001"],
    ["123456789.5", "123456789.5"],
    ["0.0000000000004", "0"],
    ["10", "10"],
  ])("%s → %s", (input, expected) => {
    expect(formatCost(input)).toBe(expected);
  });
});

describe("priceCall", () => {
  const snap = demoSnapshot();

  it("prices from the database row in force", () => {
    const p = priceCall({ snapshot: snap, modelId: id.model("mistral-small-latest"), modelCode: "mistral-small-latest", usage: usage(1_000_000, 1_000_000), at: T_NOW });
    expect(p).toEqual({
      cost: "0.4", currency: "USD", source: "database", priceId: "price:mistral-small-latest:cut",
      unit: { input: "0.10", output: "0.30", cachedInput: null, reasoning: null },
    });
    const before = priceCall({ snapshot: snap, modelId: id.model("mistral-small-latest"), modelCode: null, usage: usage(1_000_000, 1_000_000), at: T_PRICE_CUT - 1 });
    expect(before.cost).toBe("0.8");
  });

  it("finds the catalog model by provider and code when the id is not given", () => {
    const p = priceCall({ snapshot: snap, modelCode: "gpt-4o", providerCode: "openai", usage: usage(1000, 1000), at: T_NOW });
    expect(p.source).toBe("database");
    expect(p.priceId).toBe("price:gpt-4o:2024-01-01");
  });

  it("falls back to the built-in table for a catalog model without a price row (gemini-2.5-flash)", () => {
    const p = priceCall({ snapshot: snap, modelId: id.model("gemini-2.5-flash"), modelCode: "gemini-2.5-flash", usage: usage(1_000_000, 1_000_000, 1_000_000), at: T_NOW });
    expect(p.source).toBe("fallback");
    expect(p.priceId).toBeNull();
    expect(p.currency).toBe("USD");
    expect(p.unit).toMatchObject({ input: "0.30", output: "2.50", cachedInput: "0.075" });
    expect(p.cost).toBe("2.575");
  });

  it("uses the fallback table for a call before the first database row, and without a snapshot", () => {
    expect(priceCall({ snapshot: snap, modelId: id.model("gpt-4o"), modelCode: "gpt-4o", usage: usage(1, 1), at: T_BASE - 1 }).source).toBe("fallback");
    expect(priceCall({ snapshot: null, modelCode: "openai/gpt-4o-mini", usage: usage(1_000_000, 0), at: T_NOW })).toMatchObject({ cost: "0.15", source: "fallback" });
  });

  it("leaves an unknown model unpriced: cost null, never 0", () => {
    for (const modelCode of ["mistral-medium-2508", "my-finetune", "meta-llama/llama-3.3-70b-instruct:free", "mock-small-v2"]) {
      expect(priceCall({ snapshot: snap, modelCode, usage: usage(1000, 1000), at: T_NOW }), modelCode).toEqual({
        cost: null, currency: null, source: null, priceId: null, unit: null,
      });
    }
    expect(priceCall({ snapshot: null, modelCode: null, usage: usage(1, 1), at: T_NOW }).cost).toBeNull();
  });

  it("keeps the price source but no cost when usage is missing", () => {
    const p = priceCall({ snapshot: snap, modelId: id.model("gpt-4o"), modelCode: "gpt-4o", usage: usage(null, null), at: T_NOW });
    expect(p.cost).toBeNull();
    expect(p.source).toBe("database");
  });
});

describe("baselineCost", () => {
  it("prices the same usage on the baseline row in the same currency", () => {
    expect(baselineCost(usage(1_000_000, 1_000_000), row("3", "15", null, null, "EUR"), "EUR")).toBe("18");
  });

  it("is null across currencies, without a baseline row or without usage", () => {
    expect(baselineCost(usage(1000, 1000), row("3", "15", null, null, "EUR"), "USD")).toBeNull();
    expect(baselineCost(usage(1000, 1000), null, "USD")).toBeNull();
    expect(baselineCost(usage(1000, 1000), row("3", "15"), null)).toBeNull();
    expect(baselineCost(usage(null, 1000), row("3", "15"), "USD")).toBeNull();
  });

  it("uses the app's baseline model priced at the call's time", () => {
    const snap = demoSnapshot();
    // werkbon-checker's baseline is Claude Sonnet 4, priced in EUR in the demo catalog.
    expect(appBaselineCost(snap, id.app("werkbon-checker"), usage(1_000_000, 0), T_NOW, "EUR")).toBe("3");
    expect(appBaselineCost(snap, id.app("werkbon-checker"), usage(1_000_000, 0), T_NOW, "USD")).toBeNull();
    expect(appBaselineCost(snap, id.app("student-assistant"), usage(1_000_000, 0), T_NOW, "USD")).toBe("2.5");
    expect(appBaselineCost(snap, "app:none", usage(1, 1), T_NOW, "USD")).toBeNull();
  });
});
