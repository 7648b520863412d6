import { describe, expect, it } from "vitest";
import { cacheKey, canonicalJson, type CacheKeyInput } from "./cache-key";

const target = { provider: { code: "openai" }, model: { modelCode: "gpt-4o-mini" } } as CacheKeyInput["target"];

function input(over: Partial<CacheKeyInput> = {}): CacheKeyInput {
  return {
    kind: "chat", appId: "app-1", organizationId: "org-a", target, streamed: false,
    request: { messages: [{ role: "user", content: "Classify this" }], temperature: 0.2, tools: [{ type: "function", function: { name: "f", parameters: { a: 1, b: 2 } } }] },
    ...over,
  };
}

describe("response cache key", () => {
  it("is a SHA-256 hex digest, the same for the same request", () => {
    const k = cacheKey(input());
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey(input())).toBe(k);
  });

  it("does not depend on the order of object keys, at any depth", () => {
    const reordered = input({
      request: { tools: [{ function: { parameters: { b: 2, a: 1 }, name: "f" }, type: "function" }], temperature: 0.2, messages: [{ content: "Classify this", role: "user" }] },
    });
    expect(cacheKey(reordered)).toBe(cacheKey(input()));
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"x":0,"y":1}]},"b":1}');
  });

  it("differs per organization, per app, per resolved model and per stream form", () => {
    const base = cacheKey(input());
    expect(cacheKey(input({ organizationId: "org-b" }))).not.toBe(base);
    expect(cacheKey(input({ organizationId: null }))).not.toBe(base);
    expect(cacheKey(input({ appId: "app-2" }))).not.toBe(base);
    expect(cacheKey(input({ target: { provider: { code: "openai" }, model: { modelCode: "gpt-4o" } } as CacheKeyInput["target"] }))).not.toBe(base);
    expect(cacheKey(input({ target: { provider: { code: "azure" }, model: { modelCode: "gpt-4o-mini" } } as CacheKeyInput["target"] }))).not.toBe(base);
    expect(cacheKey(input({ streamed: true }))).not.toBe(base);
    expect(cacheKey(input({ kind: "embeddings" }))).not.toBe(base);
  });

  it("differs for every parameter that changes the answer", () => {
    const base = input().request as Record<string, unknown>;
    const base0 = cacheKey(input());
    for (const change of [
      { temperature: 0.3 }, { top_p: 0.5 }, { n: 2 }, { stop: ["\n"] }, { seed: 7 }, { max_tokens: 10 },
      { response_format: { type: "json_object" } }, { tool_choice: "required" }, { tools: [] },
      { messages: [{ role: "user", content: "Classify that" }] }, { messages: [{ role: "system", content: "Classify this" }] },
    ]) {
      expect(cacheKey(input({ request: { ...base, ...change } })), JSON.stringify(change)).not.toBe(base0);
    }
  });

  it("ignores what labels a call without changing its answer: user refs, metadata, stream options", () => {
    const base = input().request as Record<string, unknown>;
    const labelled = { ...base, user: "u-42", metadata: { request_type: "x" }, stream_options: { include_usage: true }, model: "auto", safety_identifier: "s", store: true };
    expect(cacheKey(input({ request: labelled }))).toBe(cacheKey(input()));
    // null = not set, as upstream
    expect(cacheKey(input({ request: { ...base, top_p: null } }))).toBe(cacheKey(input()));
  });
});
