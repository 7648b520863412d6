import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { mapLitellmProvider, modelCodeFromKey, parseLitellmFile, perTokenToPerMtok, samePrice, type ParsedLitellmFile } from "./litellm-import";

const FIXTURE = readFileSync(path.resolve(import.meta.dirname, "../../tests/fixtures/litellm-prices-excerpt.json"), "utf8");

function parsed(text: string): ParsedLitellmFile {
  const result = parseLitellmFile(text);
  if (!result.ok) throw new Error(`expected a parsed file, got: ${result.error}`);
  return result.file;
}

describe("parseLitellmFile on an excerpt of LiteLLM's file", () => {
  const file = parsed(FIXTURE);

  it("imports the chat and embedding models of known providers, per million tokens, and ignores sample_spec", () => {
    expect(file.total).toBe(18);
    expect(file.malformed).toEqual([]);
    expect(file.entries.map((e) => [e.providerCode, e.modelCode, e.inputPerMtok, e.outputPerMtok, e.cachedInputPerMtok])).toEqual([
      ["openai", "gpt-4o", "2.5", "10", "1.25"],
      ["openai", "gpt-4o-mini", "0.15", "0.6", "0.075"],
      ["openai", "o3-mini", "1.1", "4.4", "0.55"],
      // Embedding models are imported (issue 10): input price only, output 0 (given or absent).
      ["openai", "text-embedding-3-small", "0.02", "0", null],
      ["anthropic", "claude-sonnet-4-20250514", "3", "15", "0.3"],
      ["anthropic", "claude-3-5-haiku-20241022", "0.8", "4", "0.08"],
      ["mistral", "mistral-large-latest", "2", "6", null],
      ["mistral", "mistral-small-latest", "0.1", "0.3", null],
      ["mistral", "mistral-embed", "0.1", "0", null],
      // The direct Gemini API entry wins over the Vertex AI one (listed first in the file).
      ["google", "gemini-2.0-flash", "0.1", "0.4", "0.025"],
      ["google", "gemini-2.5-flash", "0.3", "2.5", "0.075"],
      ["openrouter", "meta-llama/llama-3.3-70b-instruct", "0.13", "0.4", null],
    ]);
  });

  it("maps cache_creation_input_token_cost to the cache-write price, exactly (Anthropic only in the excerpt)", () => {
    const writes = Object.fromEntries(file.entries.map((e) => [e.modelCode, e.cacheWritePerMtok]));
    // 3.75e-06 and 1e-06 per token in the file, converted with the same exact decimal path as the others.
    expect(writes).toMatchObject({ "claude-sonnet-4-20250514": "3.75", "claude-3-5-haiku-20241022": "1", "gpt-4o": null, "gemini-2.5-flash": null });
    expect(file.unknownFields.cache_creation_input_token_cost).toBeUndefined();
  });

  it("marks embedding models as such, without an output limit; every other entry is a chat model", () => {
    const kinds = Object.fromEntries(file.entries.map((e) => [e.modelCode, e.kind]));
    expect(kinds).toMatchObject({ "text-embedding-3-small": "embedding", "mistral-embed": "embedding", "gpt-4o": "chat", "gemini-2.5-flash": "chat" });
    expect(file.entries.filter((e) => e.kind === "embedding").map((e) => e.modelCode)).toEqual(["text-embedding-3-small", "mistral-embed"]);
    expect(file.entries.find((e) => e.modelCode === "mistral-embed")).toMatchObject({ contextWindow: 8192, maxOutputTokens: null });
  });

  it("keeps the context window, output limit and reasoning price of an entry", () => {
    expect(file.entries.find((e) => e.modelCode === "gemini-2.5-flash")).toMatchObject({
      key: "gemini/gemini-2.5-flash", litellmProvider: "gemini", reasoningPerMtok: "2.5", contextWindow: 1048576, maxOutputTokens: 65535,
    });
  });

  it("lists skipped entries with their reason", () => {
    expect(Object.fromEntries(file.skipped.map((s) => [s.key, s.reason]))).toEqual({
      "dall-e-3": 'mode "image_generation" is not a chat or embedding model',
      "whisper-1": 'mode "audio_transcription" is not a chat or embedding model',
      "azure/gpt-4o": 'unknown provider "azure"',
      "vertex_ai/claude-sonnet-4@20250514": 'unknown provider "vertex_ai-anthropic_models"',
      "gemini-2.0-flash": "duplicate of gemini/gemini-2.0-flash",
      "groq/llama-3.3-70b-versatile": 'unknown provider "groq"',
    });
    expect(file.entries.length + file.skipped.length + file.malformed.length).toBe(file.total);
  });

  it("counts the fields it does not use, never failing on them", () => {
    expect(file.unknownFields).toMatchObject({ supports_function_calling: 8, supports_vision: 5, input_cost_per_token_batches: 3, search_context_cost_per_query: 1 });
    expect(file.unknownFields.input_cost_per_token).toBeUndefined();
  });
});

describe("parseLitellmFile on bad input", () => {
  it.each([
    ["not JSON at all", "this is not json", /not valid JSON/],
    ["truncated JSON", '{"gpt-4o": {"input_cost_per_token": 2.5e-06', /not valid JSON/],
    ["an array", "[1, 2, 3]", /must be a JSON object/],
    ["a string", '"gpt-4o"', /must be a JSON object/],
    ["null", "null", /must be a JSON object/],
    ["only sample_spec", '{"sample_spec": {"mode": "chat"}}', /no model entries/],
  ])("refuses %s as a whole with a clear message", (_name, text, message) => {
    const result = parseLitellmFile(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });

  it("reports malformed entries with key and reason and still imports the rest", () => {
    const file = parsed(JSON.stringify({
      good: { litellm_provider: "openai", mode: "chat", input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 },
      "string-price": { litellm_provider: "openai", mode: "chat", input_cost_per_token: "cheap", output_cost_per_token: 2e-6 },
      negative: { litellm_provider: "openai", mode: "chat", input_cost_per_token: -1e-6, output_cost_per_token: 2e-6 },
      "not-an-object": 42,
      "an-array": [1],
      "provider-number": { litellm_provider: 7, input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 },
      "too-precise": { litellm_provider: "openai", input_cost_per_token: 1.23456789e-15, output_cost_per_token: 2e-6 },
      "bad-limit": { litellm_provider: "anthropic", input_cost_per_token: "3e-06", output_cost_per_token: 1.5e-5, max_input_tokens: "lots" },
      "no-output": { litellm_provider: "openai", input_cost_per_token: 1e-6 },
      "no-prices": { litellm_provider: "openai", mode: "chat", input_cost_per_second: 1 },
    }));
    expect(file.entries.map((e) => [e.key, e.inputPerMtok, e.outputPerMtok, e.contextWindow])).toEqual([
      ["good", "1", "2", null],
      // A numeric string is accepted; a token limit of the wrong type is dropped, not fatal.
      ["bad-limit", "3", "15", null],
    ]);
    const malformed = Object.fromEntries(file.malformed.map((m) => [m.key, m.reason]));
    expect(Object.keys(malformed).sort()).toEqual(["an-array", "negative", "not-an-object", "provider-number", "string-price", "too-precise"]);
    expect(malformed["not-an-object"]).toBe("not an object");
    expect(malformed["string-price"]).toMatch(/^input_cost_per_token: /);
    expect(malformed["negative"]).toMatch(/^input_cost_per_token: /);
    expect(malformed["provider-number"]).toMatch(/^litellm_provider: /);
    expect(malformed["too-precise"]).toMatch(/cannot be stored exactly/);
    expect(Object.fromEntries(file.skipped.map((s) => [s.key, s.reason]))).toEqual({
      "no-output": "no output_cost_per_token",
      "no-prices": "no per-token prices",
    });
    expect(file.unknownFields).toEqual({ input_cost_per_second: 1 });
  });

  it("reports a cache-write price that cannot be stored exactly as malformed, like the other prices", () => {
    const file = parsed(JSON.stringify({
      ok: { litellm_provider: "anthropic", input_cost_per_token: 3e-6, output_cost_per_token: 1.5e-5, cache_creation_input_token_cost: "3.75e-6" },
      tiny: { litellm_provider: "anthropic", input_cost_per_token: 3e-6, output_cost_per_token: 1.5e-5, cache_creation_input_token_cost: 1e-15 },
      negative: { litellm_provider: "anthropic", input_cost_per_token: 3e-6, output_cost_per_token: 1.5e-5, cache_creation_input_token_cost: -1e-6 },
    }));
    expect(file.entries.map((e) => [e.modelCode, e.cacheWritePerMtok])).toEqual([["ok", "3.75"]]);
    expect(file.malformed.map((m) => m.key)).toEqual(["tiny", "negative"]);
    expect(file.malformed[0]?.reason).toMatch(/^cache_creation_input_token_cost: 1e-15 per token cannot be stored exactly/);
  });

  it("ignores unknown fields of any type, including nested objects", () => {
    const file = parsed(JSON.stringify({
      m: { litellm_provider: "mistral", input_cost_per_token: 2e-6, output_cost_per_token: 6e-6, brand_new: { nested: [1, { x: null }] }, another: "x" },
    }));
    expect(file.entries).toHaveLength(1);
    expect(file.unknownFields).toEqual({ brand_new: 1, another: 1 });
  });
});

describe("exact decimal conversion", () => {
  it.each([
    [2.5e-6, "2.5"],
    [1e-5, "10"],
    [1.5e-7, "0.15"],
    [7.5e-8, "0.075"],
    [3.75e-8, "0.0375"],
    [1.1e-6, "1.1"],
    // Float multiplication gives 0.30000000000000004 and 4.3999999999999995 for these two.
    [3e-7, "0.3"],
    [4.4e-6, "4.4"],
    [0.000015, "15"],
    [0, "0"],
    ["0.0000025", "2.5"],
    ["6E-08", "0.06"],
    [1e-14, "0.00000001"],
  ])("%s per token = %s per million", (value, expected) => {
    expect(perTokenToPerMtok(value)).toBe(expected);
  });

  it.each([[1e-15], [-1e-6], [Number.NaN], [Number.POSITIVE_INFINITY], ["1,5"], [1e7]])("%s cannot be stored exactly: null", (value) => {
    expect(perTokenToPerMtok(value)).toBeNull();
  });

  it("compares prices by value, not by spelling", () => {
    expect(samePrice("2.5", "2.50000000")).toBe(true);
    expect(samePrice("2.5", "2.49999999")).toBe(false);
    expect(samePrice(null, null)).toBe(true);
    expect(samePrice(null, "0")).toBe(false);
  });
});

describe("provider and model mapping", () => {
  it.each([
    ["openai", "openai"],
    ["anthropic", "anthropic"],
    ["mistral", "mistral"],
    ["gemini", "google"],
    ["vertex_ai-language-models", "google"],
    ["openrouter", "openrouter"],
    ["Anthropic", "anthropic"],
    ["azure", null],
    ["bedrock", null],
    ["vertex_ai-anthropic_models", null],
  ])("litellm_provider %s → %s", (litellm, ours) => {
    expect(mapLitellmProvider(litellm)).toBe(ours);
  });

  it.each([
    ["anthropic/claude-3-5-haiku-20241022", "anthropic", "claude-3-5-haiku-20241022"],
    ["gemini/gemini-2.0-flash", "google", "gemini-2.0-flash"],
    ["vertex_ai/gemini-2.5-pro", "google", "gemini-2.5-pro"],
    ["openrouter/anthropic/claude-3.5-sonnet", "openrouter", "anthropic/claude-3.5-sonnet"],
    ["mistral/mistral-large-latest", "mistral", "mistral-large-latest"],
    ["gpt-4o", "openai", "gpt-4o"],
    ["ft:gpt-4o-mini-2024-07-18", "openai", "ft:gpt-4o-mini-2024-07-18"],
  ])("key %s (%s) → model code %s", (key, provider, code) => {
    expect(modelCodeFromKey(key, provider)).toBe(code);
  });
});
