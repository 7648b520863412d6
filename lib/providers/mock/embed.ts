import type { Usage } from "@/lib/engine/types";
import { embeddingListBody } from "@/lib/providers/embeddings-shape";
import type { EmbeddingRequest, EmbeddingResult } from "@/lib/providers/types";

/**
 * The local mock's embeddings: deterministic unit vectors seeded by a hash of each input (same
 * text → same vector, so sandbox demos and tests are reproducible), MOCK_EMBEDDING_DIMENSIONS
 * long unless the caller asks for `dimensions`; tokens are about four characters each, as the
 * mock's chat counts them (a token array counts its length).
 */
export const MOCK_EMBEDDING_DIMENSIONS = 256;

/** FNV-1a over the text: the vector's seed. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** mulberry32: a tiny seeded generator, values in [-1, 1). */
function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

/** The mock's vector for one input: unit length, rounded to float32 so base64 round-trips exactly. */
export function mockVector(text: string, dimensions: number): number[] {
  const next = generator(hash(text));
  const raw = Array.from({ length: dimensions }, next);
  const norm = Math.sqrt(raw.reduce((n, v) => n + v * v, 0)) || 1;
  return raw.map((v) => Math.fround(v / norm));
}

/** The mock's token count of one input. */
export function mockEmbeddingTokens(item: string | number[]): number {
  return typeof item === "string" ? Math.max(1, Math.ceil(item.length / 4)) : item.length;
}

/** The inputs one by one: a string or a token array is one input. */
export function inputItems(input: EmbeddingRequest["input"]): (string | number[])[] {
  if (typeof input === "string") return [input];
  if (input.length > 0 && typeof input[0] === "number") return [input as number[]];
  return input as (string | number[])[];
}

export function mockEmbeddings(modelCode: string, request: EmbeddingRequest): EmbeddingResult {
  const items = inputItems(request.input);
  const dimensions = request.dimensions ?? MOCK_EMBEDDING_DIMENSIONS;
  const vectors = items.map((item) => mockVector(typeof item === "string" ? item : item.join(","), dimensions));
  const promptTokens = items.reduce((n, item) => n + mockEmbeddingTokens(item), 0);
  const usage: Usage = { promptTokens, completionTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, totalTokens: promptTokens };
  const encoding = request.encoding_format === "base64" ? "base64" : "float";
  return { usage, modelVersion: modelCode, body: embeddingListBody(vectors, { model: modelCode, usage, encoding }) };
}
