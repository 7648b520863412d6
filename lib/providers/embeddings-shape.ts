import type { ProviderKind, Usage } from "@/lib/engine/types";

/**
 * OpenAI's embeddings answer, shared by every adapter that has embeddings: the usage (input
 * tokens only; completion 0, since nothing is generated), the float ↔ base64 encoding (OpenAI's
 * base64 is the vector's little-endian float32 bytes, which the openai SDK decodes), and the
 * `{ object: "list", data, model, usage }` body built for providers that answer otherwise.
 */

function count(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : null;
}

/** `usage: { prompt_tokens, total_tokens }` as Usage; null (unknown, never 0) when prompt_tokens is missing. */
export function mapEmbeddingUsage(raw: unknown): Usage | null {
  if (typeof raw !== "object" || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const promptTokens = count(r.prompt_tokens);
  if (promptTokens === null) return null;
  return { promptTokens, completionTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, totalTokens: promptTokens };
}

/** A float vector as OpenAI's base64: little-endian float32 bytes. */
export function floatsToBase64(vector: readonly number[]): string {
  const buf = Buffer.alloc(vector.length * 4);
  vector.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf.toString("base64");
}

/** OpenAI's base64 embedding back to floats (float32 precision). */
export function base64ToFloats(text: string): number[] {
  const buf = Buffer.from(text, "base64");
  const out: number[] = [];
  for (let i = 0; i + 4 <= buf.length; i += 4) out.push(buf.readFloatLE(i));
  return out;
}

export interface EmbeddingItem {
  index: number;
  embedding: number[] | string;
}

/**
 * The `data` of an embeddings answer, checked: a list of `{ index, embedding }` with one item
 * per input, each a float array or a base64 string. Null when the answer is not that.
 */
export function embeddingItems(body: Record<string, unknown>, inputs: number): EmbeddingItem[] | null {
  const data = body.data;
  if (!Array.isArray(data) || data.length !== inputs) return null;
  const items: EmbeddingItem[] = [];
  for (const raw of data) {
    if (typeof raw !== "object" || raw === null) return null;
    const { index, embedding } = raw as { index?: unknown; embedding?: unknown };
    if (count(index) === null) return null;
    const ok = typeof embedding === "string" || (Array.isArray(embedding) && embedding.every((v) => typeof v === "number"));
    if (!ok) return null;
    items.push({ index: index as number, embedding: embedding as number[] | string });
  }
  return items;
}

/** OpenAI's answer body for `vectors` in the asked encoding. */
export function embeddingListBody(
  vectors: readonly (readonly number[])[],
  { model, usage, encoding }: { model: string; usage: Usage | null; encoding: "float" | "base64" },
): Record<string, unknown> {
  return {
    object: "list",
    data: vectors.map((v, index) => ({ object: "embedding", index, embedding: encoding === "base64" ? floatsToBase64(v) : [...v] })),
    model,
    usage: { prompt_tokens: usage?.promptTokens ?? 0, total_tokens: usage?.totalTokens ?? usage?.promptTokens ?? 0 },
  };
}

/** How many inputs a request carries: a string or one token array is one; a list of either is its length. */
export function inputCount(input: unknown): number {
  if (typeof input === "string") return 1;
  if (Array.isArray(input) && input.length > 0 && typeof input[0] === "number") return 1;
  return Array.isArray(input) ? input.length : 0;
}

/** Provider kinds with no embeddings through this gateway (their adapters have no `embed`). */
const NO_EMBEDDINGS: ReadonlySet<ProviderKind> = new Set(["anthropic", "google"]);
/** Kinds whose embeddings API takes text only (no token arrays). */
const TEXT_ONLY: ReadonlySet<ProviderKind> = new Set(["mistral"]);

/**
 * Why a provider kind cannot take an embeddings request (the field to name and the reason), or
 * null. Every field of the request is otherwise forwarded or translated by the adapter.
 */
export function embeddingRefusal(kind: ProviderKind, request: { input: unknown }): { field: string; message: string } | null {
  if (NO_EMBEDDINGS.has(kind)) return { field: "model", message: `embeddings are not available for provider kind "${kind}"` };
  const input = request.input;
  if (TEXT_ONLY.has(kind) && Array.isArray(input) && input.some((item) => typeof item !== "string")) {
    return { field: "input", message: `provider kind "${kind}" takes input as text only, not token arrays` };
  }
  return null;
}
