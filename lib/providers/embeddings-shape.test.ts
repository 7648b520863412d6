import { describe, expect, it } from "vitest";
import {
  base64ToFloats,
  embeddingItems,
  embeddingListBody,
  embeddingRefusal,
  floatsToBase64,
  inputCount,
} from "@/lib/providers/embeddings-shape";
import { mistralEmbeddingRequest } from "@/lib/providers/mistral";
import { MOCK_EMBEDDING_DIMENSIONS, mockEmbeddings, mockVector } from "@/lib/providers/mock/embed";
import { ProviderError } from "@/lib/providers/types";

describe("OpenAI's base64 embedding encoding", () => {
  it("is the vector's little-endian float32 bytes", () => {
    // 1.0f = 0x3f800000 → bytes 00 00 80 3f; -2.0f = 0xc0000000 → 00 00 00 c0.
    expect(floatsToBase64([1, -2])).toBe(Buffer.from([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]).toString("base64"));
    expect(base64ToFloats(floatsToBase64([1, -2]))).toEqual([1, -2]);
  });

  it("round-trips float32 values exactly", () => {
    const v = [0.1, -0.25, 3.5e-8].map(Math.fround);
    expect(base64ToFloats(floatsToBase64(v))).toEqual(v);
  });
});

describe("embeddings answers", () => {
  it("builds OpenAI's list with usage and the asked encoding", () => {
    const usage = { promptTokens: 3, completionTokens: 0, cachedTokens: 0, reasoningTokens: 0, totalTokens: 3 };
    expect(embeddingListBody([[1, 2]], { model: "m", usage, encoding: "float" })).toEqual({
      object: "list", data: [{ object: "embedding", index: 0, embedding: [1, 2] }], model: "m", usage: { prompt_tokens: 3, total_tokens: 3 },
    });
    const b64 = embeddingListBody([[1, 2]], { model: "m", usage, encoding: "base64" }) as { data: { embedding: string }[] };
    expect(base64ToFloats(b64.data[0]!.embedding)).toEqual([1, 2]);
  });

  it("accepts an answer with one item per input, and refuses anything else", () => {
    const ok = { data: [{ object: "embedding", index: 0, embedding: [0.5] }, { object: "embedding", index: 1, embedding: "AAAAPw==" }] };
    expect(embeddingItems(ok, 2)).toEqual([{ index: 0, embedding: [0.5] }, { index: 1, embedding: "AAAAPw==" }]);
    expect(embeddingItems(ok, 3)).toBeNull();
    expect(embeddingItems({ data: [{ index: 0, embedding: ["x"] }] }, 1)).toBeNull();
    expect(embeddingItems({ data: [{ embedding: [1] }] }, 1)).toBeNull();
    expect(embeddingItems({}, 1)).toBeNull();
  });

  it.each([
    ["hello", 1],
    [["a", "b", "c"], 3],
    [[1, 2, 3], 1],
    [[[1], [2, 3]], 2],
  ] as [unknown, number][])("counts the inputs of %j as %i", (input, n) => {
    expect(inputCount(input)).toBe(n);
  });
});

describe("which provider kinds take an embeddings request", () => {
  it.each(["anthropic", "google"] as const)("%s has no embeddings: refused naming the model", (kind) => {
    expect(embeddingRefusal(kind, { input: "x" })).toEqual({ field: "model", message: `embeddings are not available for provider kind "${kind}"` });
  });

  it("Mistral takes text only; token arrays are refused naming input", () => {
    expect(embeddingRefusal("mistral", { input: ["a", "b"] })).toBeNull();
    expect(embeddingRefusal("mistral", { input: [1, 2] })).toMatchObject({ field: "input" });
    expect(embeddingRefusal("mistral", { input: [[1], [2]] })).toMatchObject({ field: "input" });
  });

  it.each(["openai", "openai_compatible", "openrouter", "mock"] as const)("%s takes every form of input", (kind) => {
    for (const input of ["a", ["a"], [1], [[1]]]) expect(embeddingRefusal(kind, { input })).toBeNull();
  });
});

describe("Mistral's embeddings request", () => {
  it("names the size output_dimension and keeps user for the gateway", () => {
    expect(mistralEmbeddingRequest({ model: "mistral-embed", input: ["a"], dimensions: 256, user: "u-1" })).toEqual({ model: "mistral-embed", input: ["a"], output_dimension: 256 });
  });

  it("refuses token arrays as the caller's error, never sends them", () => {
    expect(() => mistralEmbeddingRequest({ model: "mistral-embed", input: [[1, 2]] })).toThrow(ProviderError);
  });
});

describe("the mock's embeddings", () => {
  it("are deterministic unit vectors of the default size, one per input, with a stable token count", () => {
    const a = mockEmbeddings("mock-embed", { input: ["lekkage in de badkamer", "dak"] });
    const b = mockEmbeddings("mock-embed", { input: ["lekkage in de badkamer", "dak"] });
    expect(a).toEqual(b);
    const data = (a.body as { data: { index: number; embedding: number[] }[] }).data;
    expect(data.map((d) => d.index)).toEqual([0, 1]);
    for (const d of data) {
      expect(d.embedding).toHaveLength(MOCK_EMBEDDING_DIMENSIONS);
      expect(Math.abs(Math.hypot(...d.embedding) - 1)).toBeLessThan(1e-6);
    }
    expect(data[0]!.embedding).not.toEqual(data[1]!.embedding);
    // ceil(22 / 4) + ceil(3 / 4) tokens; input only.
    expect(a.usage).toEqual({ promptTokens: 7, completionTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, totalTokens: 7 });
  });

  it("honours dimensions and base64, and counts a token array by its length", () => {
    const r = mockEmbeddings("mock-embed", { input: [5, 6, 7], dimensions: 8, encoding_format: "base64" });
    const item = (r.body as { data: { embedding: string }[] }).data[0]!;
    expect(base64ToFloats(item.embedding)).toEqual(mockVector("5,6,7", 8));
    expect(r.usage?.promptTokens).toBe(3);
  });
});
