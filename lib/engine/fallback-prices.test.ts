import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { fallbackPrice, normalizeModelCode } from "@/lib/engine/fallback-prices";

describe("fallbackPrice", () => {
  it.each([
    ["gemini-2.5-flash", "0.30", "2.50", "0.075"],
    ["gpt-4o", "2.50", "10.00", "1.25"],
    ["gpt-4o-mini-2024-07-18", "0.15", "0.60", "0.075"],
    ["openai/gpt-4o", "2.50", "10.00", "1.25"],
    ["claude-sonnet-4-20250514", "3.00", "15.00", "0.30", "3.75"],
    ["anthropic/claude-3.5-sonnet", "3.00", "15.00", "0.30", "3.75"],
    ["claude-3-5-haiku-latest", "0.80", "4.00", "0.08", "1.00"],
    ["claude-opus-4-1-20250805", "15.00", "75.00", "1.50", "18.75"],
    ["models/gemini-2.0-flash-001", "0.10", "0.40", "0.025"],
    ["meta-llama/llama-3.3-70b-instruct", "0.13", "0.40", null],
    ["mistral-large-latest", "2.00", "6.00", null],
    ["GPT-4.1-MINI", "0.40", "1.60", "0.10"],
    // Embedding models: input only.
    ["text-embedding-3-small", "0.02", "0", null],
    ["openai/text-embedding-3-large", "0.13", "0", null],
    ["mistral-embed", "0.10", "0", null],
  ] as [string, string, string, string | null, string?][])("%s", (code, input, output, cached, cacheWrite) => {
    expect(fallbackPrice(code)).toEqual({
      inputPerMtok: input, outputPerMtok: output, cachedInputPerMtok: cached, cacheWritePerMtok: cacheWrite ?? null,
      reasoningPerMtok: null, currency: "USD",
    });
  });

  it("prices every Anthropic cache write at exactly 1.25x its input price", () => {
    for (const code of ["claude-opus-4", "claude-opus-4-1", "claude-sonnet-4", "claude-3-7-sonnet", "claude-3-5-sonnet", "claude-3-5-haiku"]) {
      const p = fallbackPrice(code);
      expect(p?.cacheWritePerMtok, code).not.toBeNull();
      expect(new Decimal(p?.cacheWritePerMtok ?? "0").equals(new Decimal(p?.inputPerMtok ?? "0").times("1.25")), code).toBe(true);
    }
  });

  it("matches a dated version priced unlike its alias exactly", () => {
    expect(fallbackPrice("gpt-4o-2024-05-13")?.inputPerMtok).toBe("5.00");
    expect(fallbackPrice("gpt-4o-2024-08-06")?.inputPerMtok).toBe("2.50");
  });

  it.each(["mistral-medium-2508", "gpt-4-0613", "meta-llama/llama-3.3-70b-instruct:free", "unknown-model", "", "mock-small"])(
    "does not guess a price for %j",
    (code) => {
      expect(fallbackPrice(code)).toBeNull();
    },
  );

  it("normalizes provider prefixes, date suffixes, aliases and dots", () => {
    expect(normalizeModelCode("openrouter/anthropic/Claude-3.5-Sonnet-20240620")).toBe("claude-3-5-sonnet");
    expect(normalizeModelCode("o3-2025-04-16")).toBe("o3");
  });
});
