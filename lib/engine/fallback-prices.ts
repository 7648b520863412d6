import type { PriceRow } from "@/lib/engine/types";

/**
 * Built-in list prices for well-known models, used only when the database has no price row in
 * force for the model (pricing_source = 'fallback'). USD per million tokens.
 *
 * Source: the providers' public pricing pages (openai.com/api/pricing, anthropic.com/pricing,
 * ai.google.dev/gemini-api/docs/pricing, mistral.ai/pricing, openrouter.ai model pages).
 * As of: 2025-07. Cached input = the cache-read price. Gemini 2.5 Pro: the <= 200k-token prompt
 * tier. OpenRouter Llama prices are the listed per-model price, which varies with the upstream.
 *
 * A fallback price is a best effort that keeps dashboards close to the invoice; an admin who
 * needs exactness adds a database row, which always wins.
 */
export const FALLBACK_PRICES_AS_OF = "2025-07-01";

type Entry = readonly [code: string, input: string, output: string, cachedInput: string | null, cacheWrite?: string];

const ENTRIES: readonly Entry[] = [
  // OpenAI
  ["gpt-4o", "2.50", "10.00", "1.25"],
  ["gpt-4o-mini", "0.15", "0.60", "0.075"],
  ["gpt-4.1", "2.00", "8.00", "0.50"],
  ["gpt-4.1-mini", "0.40", "1.60", "0.10"],
  ["gpt-4.1-nano", "0.10", "0.40", "0.025"],
  ["o3", "2.00", "8.00", "0.50"],
  ["o3-mini", "1.10", "4.40", "0.55"],
  ["o4-mini", "1.10", "4.40", "0.275"],
  // Anthropic: cached = cache read (0.1x input); the fifth price is the 5-minute cache write,
  // 1.25x input as anthropic.com/pricing publishes it ("5m cache writes"). 1-hour cache writes
  // (usage.cache_creation.ephemeral_1h_input_tokens) cost 2x input, which is what a row without a
  // 1-hour write price charges (lib/engine/price.ts cacheWrite1hRate), so it needs no column here.
  ["claude-opus-4", "15.00", "75.00", "1.50", "18.75"],
  ["claude-sonnet-4", "3.00", "15.00", "0.30", "3.75"],
  ["claude-3-7-sonnet", "3.00", "15.00", "0.30", "3.75"],
  ["claude-3-5-sonnet", "3.00", "15.00", "0.30", "3.75"],
  ["claude-3-5-haiku", "0.80", "4.00", "0.08", "1.00"],
  // Google
  ["gemini-2.0-flash", "0.10", "0.40", "0.025"],
  ["gemini-2.0-flash-lite", "0.075", "0.30", null],
  ["gemini-2.5-flash", "0.30", "2.50", "0.075"],
  ["gemini-2.5-flash-lite", "0.10", "0.40", "0.025"],
  ["gemini-2.5-pro", "1.25", "10.00", "0.31"],
  // Mistral (the "-latest" aliases; dated YYMM versions are deliberately not matched, see below)
  ["mistral-large", "2.00", "6.00", null],
  ["mistral-medium", "0.40", "2.00", null],
  ["mistral-small", "0.10", "0.30", null],
  // Meta Llama via OpenRouter
  ["llama-3.3-70b-instruct", "0.13", "0.40", null],
  ["llama-3.1-70b-instruct", "0.10", "0.28", null],
  ["llama-3.1-8b-instruct", "0.02", "0.03", null],
  ["claude-opus-4-1", "15.00", "75.00", "1.50", "18.75"],
  // Embedding models: input tokens only (nothing is generated, so output is 0).
  ["text-embedding-3-small", "0.02", "0", null],
  ["text-embedding-3-large", "0.13", "0", null],
  ["text-embedding-ada-002", "0.10", "0", null],
  ["mistral-embed", "0.10", "0", null],
];

/** Dated versions priced unlike their alias: matched before normalization would merge them. */
const EXACT: readonly Entry[] = [["gpt-4o-2024-05-13", "5.00", "15.00", null]];

/**
 * Normalizes a model code so provider spellings meet the table: lower case, without a provider
 * prefix ("openai/gpt-4o", "models/gemini-2.0-flash"), without a date suffix (-20250514,
 * -2024-08-06), a "-latest" alias or a Google "-001" revision, with dots as dashes
 * ("claude-3.5-sonnet" = "claude-3-5-sonnet").
 *
 * Deliberately NOT stripped: 4-digit suffixes (mistral-medium-2508, gpt-4-0613: the digits may
 * name a different model generation with a different price) and OpenRouter variants after a
 * colon (":free" costs nothing, ":nitro" costs more). A wrong price is worse than an unknown one.
 */
export function normalizeModelCode(code: string): string {
  let c = code.trim().toLowerCase();
  const slash = c.lastIndexOf("/");
  if (slash >= 0) c = c.slice(slash + 1);
  c = c.replace(/-\d{4}-\d{2}-\d{2}$/, "").replace(/-\d{8}$/, "").replace(/-latest$/, "").replace(/-0\d\d$/, "");
  return c.replace(/\./g, "-");
}

function row([, input, output, cached, cacheWrite]: Entry): PriceRow {
  // Reasoning tokens are billed as output tokens by every provider in this table. Without a
  // cache-write price (OpenAI, Google: no write surcharge) writes cost the input price.
  return {
    inputPerMtok: input, outputPerMtok: output, cachedInputPerMtok: cached, cacheWritePerMtok: cacheWrite ?? null,
    reasoningPerMtok: null, currency: "USD",
  };
}

const EXACT_TABLE: ReadonlyMap<string, PriceRow> = new Map(EXACT.map((e) => [e[0], row(e)]));
const TABLE: ReadonlyMap<string, PriceRow> = new Map(ENTRIES.map((e) => [normalizeModelCode(e[0]), row(e)]));

/** The built-in price for a model code (exact, then normalized), or null when the model is unknown. */
export function fallbackPrice(modelCode: string): PriceRow | null {
  const lower = modelCode.trim().toLowerCase();
  const slash = lower.lastIndexOf("/");
  const bare = slash >= 0 ? lower.slice(slash + 1) : lower;
  return EXACT_TABLE.get(bare) ?? TABLE.get(normalizeModelCode(modelCode)) ?? null;
}
