import Decimal from "decimal.js";
import { z } from "zod";

/**
 * Parses a price file in LiteLLM's `model_prices_and_context_window.json` format into price rows
 * for our catalog. Pure (no I/O), so the browser can check a file before sending anything and the
 * server can trust the same rules.
 *
 * Lenient by design: the file is maintained by many hands and gains fields every week. Fields we
 * do not use are ignored and counted; an entry with a bad price is reported with its key and
 * reason and never stops the rest; only a file that is not a JSON object is refused as a whole.
 * LiteLLM's prices are USD per token; we store USD per million tokens, converted exactly from the
 * number's shortest decimal form (String(n)), never by float multiplication.
 */

export const LITELLM_CURRENCY = "USD";

/**
 * An importable price: a chat model of a provider family we run, with both token prices, or an
 * embedding model (mode "embedding") with its input price (output 0 when the file has none).
 */
export interface LitellmEntry {
  /** The key in the file, e.g. "gemini/gemini-2.0-flash". */
  key: string;
  litellmProvider: string;
  /** Our llm_providers.code for the family (openai, anthropic, mistral, google, openrouter). */
  providerCode: string;
  /** Our llm_models.model_code: the key without its provider prefix. */
  modelCode: string;
  inputPerMtok: string;
  outputPerMtok: string;
  cachedInputPerMtok: string | null;
  /** From cache_creation_input_token_cost (Anthropic's prompt-cache write price). */
  cacheWritePerMtok: string | null;
  reasoningPerMtok: string | null;
  contextWindow: number | null;
  maxOutputTokens: number | null;
  /** llm_models.kind for a model the import adds: "embedding" for mode "embedding", else "chat". */
  kind: "chat" | "embedding";
}

export interface ReportedEntry {
  key: string;
  reason: string;
}

export interface ParsedLitellmFile {
  entries: LitellmEntry[];
  /** Well-formed entries we do not import (images, audio, unknown providers, no token prices, duplicates). */
  skipped: ReportedEntry[];
  /** Entries whose fields have the wrong type or value; the rest of the file still imports. */
  malformed: ReportedEntry[];
  /** Fields we do not use, with how many entries carry each. */
  unknownFields: Record<string, number>;
  /** Entries in the file, without "sample_spec". */
  total: number;
}

export type ParseLitellmResult = { ok: true; file: ParsedLitellmFile } | { ok: false; error: string };

/** litellm_provider → our provider code, and how direct that source is (lower wins a duplicate). */
const PROVIDERS: Record<string, { code: string; rank: number }> = {
  openai: { code: "openai", rank: 0 },
  "text-completion-openai": { code: "openai", rank: 1 },
  anthropic: { code: "anthropic", rank: 0 },
  mistral: { code: "mistral", rank: 0 },
  codestral: { code: "mistral", rank: 1 },
  "text-completion-codestral": { code: "mistral", rank: 1 },
  gemini: { code: "google", rank: 0 },
  // Google's own models on Vertex AI; partner models there (vertex_ai-anthropic_models, …) are not
  // served by a Google provider and stay unknown.
  vertex_ai: { code: "google", rank: 1 },
  "vertex_ai-language-models": { code: "google", rank: 1 },
  "vertex_ai-vision-models": { code: "google", rank: 1 },
  "vertex_ai-chat-models": { code: "google", rank: 1 },
  "vertex_ai-text-models": { code: "google", rank: 1 },
  openrouter: { code: "openrouter", rank: 0 },
};

/** Key prefixes LiteLLM uses per family, stripped to get the model code the provider's API takes. */
const PREFIXES: Record<string, string[]> = {
  openai: ["openai/"],
  anthropic: ["anthropic/"],
  mistral: ["mistral/", "codestral/"],
  google: ["gemini/", "vertex_ai/"],
  openrouter: ["openrouter/"],
};

const CHAT_MODES = new Set(["chat", "completion", "responses"]);

export function mapLitellmProvider(litellmProvider: string): string | null {
  return PROVIDERS[litellmProvider.trim().toLowerCase()]?.code ?? null;
}

/** "anthropic/claude-3-5-haiku" → "claude-3-5-haiku"; OpenRouter keeps its vendor/model form. */
export function modelCodeFromKey(key: string, providerCode: string): string {
  for (const prefix of PREFIXES[providerCode] ?? []) {
    if (key.toLowerCase().startsWith(prefix)) return key.slice(prefix.length);
  }
  return key;
}

/** decimal.js with enough digits for any per-token price, never in exponent notation. */
const Dec = Decimal.clone({ precision: 60, toExpNeg: -100, toExpPos: 100 });
const NUMERIC_STRING = /^\d+(\.\d+)?(e[-+]?\d+)?$/i;
const MILLION = new Dec(1_000_000);

/**
 * USD per token → USD per million tokens, exactly: 2.5e-06 → "2.5". Null when the result cannot
 * be stored exactly in numeric(20, 8) (more than 8 decimals or 12 integer digits).
 */
export function perTokenToPerMtok(value: number | string): string | null {
  const text = typeof value === "number" ? String(value) : value.trim();
  if (typeof value === "number" && (!Number.isFinite(value) || value < 0)) return null;
  if (!NUMERIC_STRING.test(text)) return null;
  const perMtok = new Dec(text).times(MILLION);
  if (perMtok.decimalPlaces() > 8 || perMtok.trunc().toFixed().length > 12) return null;
  return perMtok.toFixed();
}

const price = z.union([z.number().nonnegative().finite(), z.string().regex(NUMERIC_STRING, "not a number")]).nullish();
/** Token limits only describe a new model; a bad one is dropped, never a reason to refuse the price. */
const limit = z.number().int().positive().nullish().catch(null);

const entrySchema = z.object({
  litellm_provider: z.string().min(1).nullish(),
  mode: z.string().nullish(),
  input_cost_per_token: price,
  output_cost_per_token: price,
  cache_read_input_token_cost: price,
  cache_creation_input_token_cost: price,
  output_cost_per_reasoning_token: price,
  max_input_tokens: limit,
  max_output_tokens: limit,
  max_tokens: limit,
});
const KNOWN_FIELDS = new Set(Object.keys(entrySchema.shape));

type EntryFields = z.infer<typeof entrySchema>;

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "entry"}: ${i.message}`).join("; ");
}

function convert(fields: EntryFields, name: keyof EntryFields): { value: string | null; error?: string } {
  const raw = fields[name];
  if (raw === null || raw === undefined) return { value: null };
  const value = perTokenToPerMtok(raw as number | string);
  return value === null ? { value: null, error: `${name}: ${String(raw)} per token cannot be stored exactly per million tokens` } : { value };
}

type Outcome = { kind: "entry"; entry: LitellmEntry; rank: number } | { kind: "skipped" | "malformed"; reason: string };

function parseEntry(key: string, raw: unknown, unknownFields: Record<string, number>): Outcome {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { kind: "malformed", reason: "not an object" };
  for (const field of Object.keys(raw)) {
    if (!KNOWN_FIELDS.has(field)) unknownFields[field] = (unknownFields[field] ?? 0) + 1;
  }
  const parsed = entrySchema.safeParse(raw);
  if (!parsed.success) return { kind: "malformed", reason: describeIssues(parsed.error) };
  const f = parsed.data;
  const input = convert(f, "input_cost_per_token");
  const output = convert(f, "output_cost_per_token");
  const cached = convert(f, "cache_read_input_token_cost");
  const cacheWrite = convert(f, "cache_creation_input_token_cost");
  const reasoning = convert(f, "output_cost_per_reasoning_token");
  const conversionError = [input, output, cached, cacheWrite, reasoning].find((c) => c.error)?.error;
  if (conversionError) return { kind: "malformed", reason: conversionError };

  const embedding = f.mode === "embedding";
  if (f.mode && !CHAT_MODES.has(f.mode) && !embedding) return { kind: "skipped", reason: `mode "${f.mode}" is not a chat or embedding model` };
  if (!f.litellm_provider) return { kind: "skipped", reason: "no litellm_provider" };
  const provider = PROVIDERS[f.litellm_provider.trim().toLowerCase()];
  if (!provider) return { kind: "skipped", reason: `unknown provider "${f.litellm_provider}"` };
  if (input.value === null && output.value === null) return { kind: "skipped", reason: "no per-token prices" };
  if (input.value === null) return { kind: "skipped", reason: "no input_cost_per_token" };
  // An embedding model generates nothing: no output price means 0, not unknown.
  if (output.value === null && embedding) output.value = "0";
  if (output.value === null) return { kind: "skipped", reason: "no output_cost_per_token" };
  const modelCode = modelCodeFromKey(key, provider.code);
  if (modelCode.length === 0 || modelCode.length > 200) return { kind: "malformed", reason: "model name is empty or longer than 200 characters" };
  return {
    kind: "entry",
    rank: provider.rank,
    entry: {
      key,
      litellmProvider: f.litellm_provider,
      providerCode: provider.code,
      modelCode,
      inputPerMtok: input.value,
      outputPerMtok: output.value,
      cachedInputPerMtok: cached.value,
      cacheWritePerMtok: cacheWrite.value,
      reasoningPerMtok: reasoning.value,
      contextWindow: f.max_input_tokens ?? null,
      maxOutputTokens: embedding ? null : (f.max_output_tokens ?? f.max_tokens ?? null),
      kind: embedding ? "embedding" : "chat",
    },
  };
}

export function parseLitellmFile(text: string): ParseLitellmResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message.slice(0, 200) : "";
    return { ok: false, error: `The file is not valid JSON${detail ? ` (${detail})` : ""}.` };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { ok: false, error: "The file must be a JSON object of model name → prices, like LiteLLM's model_prices_and_context_window.json." };
  }
  const file: ParsedLitellmFile = { entries: [], skipped: [], malformed: [], unknownFields: {}, total: 0 };
  const kept = new Map<string, { index: number; rank: number }>();
  for (const [key, raw] of Object.entries(json)) {
    if (key === "sample_spec") continue;
    file.total += 1;
    const outcome = parseEntry(key, raw, file.unknownFields);
    if (outcome.kind === "skipped") file.skipped.push({ key, reason: outcome.reason });
    else if (outcome.kind === "malformed") file.malformed.push({ key, reason: outcome.reason });
    else if (outcome.kind === "entry") {
      // The same model can appear under several keys (gemini/… and a Vertex AI entry): the most
      // direct source wins, else the first.
      const id = `${outcome.entry.providerCode}\u0000${outcome.entry.modelCode}`;
      const previous = kept.get(id);
      const prevEntry = previous ? file.entries[previous.index] : undefined;
      if (!previous || !prevEntry) {
        kept.set(id, { index: file.entries.length, rank: outcome.rank });
        file.entries.push(outcome.entry);
      } else if (outcome.rank < previous.rank) {
        file.skipped.push({ key: prevEntry.key, reason: `duplicate of ${key}` });
        file.entries[previous.index] = outcome.entry;
        kept.set(id, { index: previous.index, rank: outcome.rank });
      } else {
        file.skipped.push({ key, reason: `duplicate of ${prevEntry.key}` });
      }
    }
  }
  if (file.total === 0) return { ok: false, error: "The file contains no model entries." };
  return { ok: true, file };
}

/** Two decimal strings (or both null) denote the same price: "2.5" equals "2.50000000". */
export function samePrice(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return new Dec(a).equals(new Dec(b));
}
