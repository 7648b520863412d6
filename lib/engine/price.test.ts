import { describe, expect, it } from "vitest";
import {
  appBaselineCost,
  baselineCost,
  cacheWrite1hRate,
  formatCost,
  priceCall,
  priceInForce,
  priceUsage,
} from "@/lib/engine/price";
import { demoSnapshot, id, T_BASE, T_NOW, T_PRICE_CUT } from "@/tests/helpers/engine/snapshot";
import type { PriceRow, SnapshotPrice, Usage } from "@/lib/engine/types";

const usage = (promptTokens: number | null, completionTokens: number | null, cachedTokens: number | null = null, reasoningTokens: number | null = null): Usage => ({
  promptTokens, completionTokens, cachedTokens, reasoningTokens,
  totalTokens: promptTokens !== null && completionTokens !== null ? promptTokens + completionTokens : null,
});

const row = (input: string, output: string, cached: string | null = null, reasoning: string | null = null, currency = "USD", cacheWrite: string | null = null): PriceRow => ({
  inputPerMtok: input, outputPerMtok: output, cachedInputPerMtok: cached, cacheWritePerMtok: cacheWrite, reasoningPerMtok: reasoning, currency,
});

/** Usage with prompt-cache reads and writes (both subsets of the prompt, as the adapters report them). */
const cacheUsage = (prompt: number, completion: number, cached: number | null, written: number | null): Usage => ({
  ...usage(prompt, completion, cached), cacheWriteTokens: written,
});
/** Claude Sonnet 4 list prices: input 3, output 15, cache read 0.30, 5-minute cache write 3.75. */
const sonnet = row("3", "15", "0.30", null, "USD", "3.75");

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
    // 18 prompt = 10 plain + 5 read + 3 written: (10 x 3 + 5 x 0.30 + 3 x 3.75 + 7 x 15) / 1e6
    ["cache writes at the cache-write price", cacheUsage(18, 7, 5, 3), sonnet, "0.00014775"],
    ["cache writes without a cache-write price pay the input price (as before)", cacheUsage(18, 7, 5, 3), row("3", "15", "0.30"), "0.0001455"],
    ["no cache writes reported (null) = none", cacheUsage(18, 7, 5, null), sonnet, "0.0001455"],
    ["absent cacheWriteTokens (older Usage) = none", usage(18, 7, 5), sonnet, "0.0001455"],
    ["a million written tokens cost exactly the write price", cacheUsage(1_000_000, 0, 0, 1_000_000), sonnet, "3.75"],
    ["one written token keeps 12 decimals", cacheUsage(1, 0, 0, 1), row("0.80", "4", "0.08", null, "USD", "1.00"), "0.000001"],
    ["writes beyond prompt minus reads are clamped", cacheUsage(10, 0, 6, 9), sonnet, "0.0000168"], // 6 x 0.30 + 4 x 3.75
    ["reads beyond prompt leave no room for writes", cacheUsage(10, 0, 12, 5), sonnet, "0.000003"],
    ["negative or NaN writes count as none", cacheUsage(10, 0, 0, -4), sonnet, "0.00003"],
    ["NaN writes count as none", cacheUsage(10, 0, 0, Number.NaN), sonnet, "0.00003"],
  ])("%s", (_name, u, r, expected) => {
    expect(priceUsage(u, r)).toBe(expected);
  });

  describe("1-hour cache writes", () => {
    // The call: 80 plain input tokens, 200 tokens written to a 1-hour cache, 40 output,
    // at Sonnet-like EUR prices (input 3, output 15, 5-minute write 3.75).
    const eur = row("3", "15", "0.30", null, "EUR", "3.75");
    const oneHour = (writes1h: number | null): Usage => ({ ...cacheUsage(280, 40, 0, 200), cacheWrite1hTokens: writes1h });

    it("prices them at 2x input when the row has no 1-hour price: 0.00204, not the 5-minute 0.00159", () => {
      expect(priceUsage(oneHour(200), eur)).toBe("0.00204"); // 80 x 3 + 200 x 6 + 40 x 15
      expect(priceUsage(oneHour(null), eur)).toBe("0.00159"); // 80 x 3 + 200 x 3.75 + 40 x 15
      expect(priceUsage(oneHour(0), eur)).toBe("0.00159");
      expect(cacheWrite1hRate(eur)).toBe("6");
    });

    it("uses the row's own 1-hour price, splits mixed writes, and clamps 1-hour writes to the writes", () => {
      const own = { ...eur, cacheWrite1hPerMtok: "5.5" };
      expect(cacheWrite1hRate(own)).toBe("5.5");
      expect(priceUsage(oneHour(200), own)).toBe("0.00194"); // 240 + 200 x 5.5 + 600
      expect(priceUsage(oneHour(50), eur)).toBe("0.0017025"); // 240 + 150 x 3.75 + 50 x 6 + 600
      expect(priceUsage(oneHour(999), eur)).toBe("0.00204");
      expect(priceUsage({ ...oneHour(200), cacheWriteTokens: null }, eur)).toBe("0.00144"); // no writes: all 280 as input
    });

    it("reports the 1-hour rate it used in the call's unit prices", () => {
      const snapshot = demoSnapshot();
      const priced = priceCall({ snapshot, modelCode: "claude-sonnet-4-20250514", usage: oneHour(200), at: T_NOW });
      expect(priced.unit?.cacheWrite1h).toBe("6");
    });
  });

  it("is exact with every kind at once at non-round prices (no float drift)", () => {
    // plain 777,777 x 0.8 + read 111,111 x 0.08 + written 111,111 x 1.00
    //   + output 333,331 x 4 + reasoning 12,345 x 8 = 0.6222216 + 0.00888888 + 0.111111 + 1.333324 + 0.09876
    const u: Usage = { ...usage(999_999, 345_676, 111_111, 12_345), cacheWriteTokens: 111_111 };
    expect(priceUsage(u, row("0.80", "4", "0.08", "8", "USD", "1.00"))).toBe("2.17430548");
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
      unit: { input: "0.10", output: "0.30", cachedInput: null, cacheWrite: null, cacheWrite1h: "0.2", reasoning: null },
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

  it("prices Anthropic cache writes from the database row and from the fallback table", () => {
    // Demo catalog: Claude Haiku 3.5 at USD 0.80 / 4.00, read 0.08, write 1.00.
    const db = priceCall({ snapshot: snap, modelId: id.model("claude-3-5-haiku-20241022"), modelCode: "claude-3-5-haiku-20241022", usage: cacheUsage(18, 7, 5, 3), at: T_NOW });
    expect(db).toMatchObject({ source: "database", currency: "USD", unit: { input: "0.80", cachedInput: "0.08", cacheWrite: "1.00" } });
    expect(db.cost).toBe("0.0000394"); // (10 x 0.80 + 5 x 0.08 + 3 x 1.00 + 7 x 4) / 1e6
    // Not in the catalog: the built-in list price (Opus 4.1: 15 / 75, read 1.50, write 18.75).
    const fb = priceCall({ snapshot: snap, modelCode: "claude-opus-4-1-20250805", usage: cacheUsage(18, 7, 5, 3), at: T_NOW });
    expect(fb).toMatchObject({ source: "fallback", unit: { cacheWrite: "18.75" } });
    expect(fb.cost).toBe("0.00073875"); // (10 x 15 + 5 x 1.50 + 3 x 18.75 + 7 x 75) / 1e6
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
    expect(appBaselineCost(snap, { appId: id.app("werkbon-checker"), usage: usage(1_000_000, 0), at: T_NOW, currency: "EUR" })).toBe("3");
    expect(appBaselineCost(snap, { appId: id.app("werkbon-checker"), usage: usage(1_000_000, 0), at: T_NOW, currency: "USD" })).toBeNull();
    expect(appBaselineCost(snap, { appId: id.app("student-assistant"), usage: usage(1_000_000, 0), at: T_NOW, currency: "USD" })).toBe("2.5");
    expect(appBaselineCost(snap, { appId: "app:none", usage: usage(1, 1), at: T_NOW, currency: "USD" })).toBeNull();
  });
});
