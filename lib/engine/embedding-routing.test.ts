import { describe, expect, it } from "vitest";
import { cheapestConfiguredModel } from "@/lib/engine/budget";
import { priceCall } from "@/lib/engine/price";
import { usableModel } from "@/lib/engine/snapshot";
import type { ConfigSnapshotData } from "@/lib/engine/types";
import { chain, ok, route } from "@/tests/helpers/engine/resolve";
import { demoSnapshot, id, rule, setting, T_BASE, T_NOW } from "@/tests/helpers/engine/snapshot";
import { mapEmbeddingUsage } from "@/lib/providers/embeddings-shape";

/**
 * Model kinds in routing (issue 10, embeddings): a chat call never lands on an embedding model
 * and an embeddings call never on a chat model, whichever step would pick it (rule, fallback,
 * global fallback, explicit model, budget downgrade); and embeddings are priced per input token.
 */
const WB = "werkbon-checker";
const SA = "student-assistant";

function withEmbeddings(d: ConfigSnapshotData): void {
  for (const [provider, code, input] of [["openai", "text-embedding-3-small", "0.02"], ["mistral", "mistral-embed", "0.10"], ["mock", "mock-embed", "0.02"]] as const) {
    d.models.push({ id: id.model(code), providerId: id.provider(provider), modelCode: code, displayName: code, enabled: true, kind: "embedding" });
    d.prices.push({ id: `price:${code}`, modelId: id.model(code), inputPerMtok: input, outputPerMtok: "0", cachedInputPerMtok: null, cacheWritePerMtok: null, reasoningPerMtok: null, currency: "USD", effectiveFrom: T_BASE });
  }
  // An embeddings rule whose chain also names a chat model (an admin's mistake): it is skipped.
  d.configurations.push(rule(WB, null, "document_embedding", "text-embedding-3-small", ["gpt-4o-mini", "mistral-embed"], 100));
  d.configurations.push(rule(WB, "sandbox", "document_embedding", "mock-embed", [], 200));
  // A chat rule pointing at an embedding model (the same mistake the other way round).
  d.configurations.push(rule(WB, null, "misrouted", "text-embedding-3-small", ["gpt-4o-mini"], 100));
}

describe("routing by model kind", () => {
  const snap = demoSnapshot(withEmbeddings);

  it("routes an embeddings call to the rule's embedding models only, tracing the chat model it skips", () => {
    const d = ok(route(snap, WB, "acme", "document_embedding", { modelKind: "embedding" }));
    expect(chain(d)).toEqual(["text-embedding-3-small:configuration", "mistral-embed:fallback"]);
    expect(d.trace).toContainEqual(expect.objectContaining({ rule: "fallbacks", outcome: "skipped", detail: "model gpt-4o-mini is a chat model, not an embedding model" }));
    expect(chain(route(snap, WB, "sandbox", "document_embedding", { modelKind: "embedding" }))).toEqual(["mock-embed:client_override"]);
  });

  it("never lets a chat call land on an embedding model (the rule is skipped whole, as any unusable rule)", () => {
    const d = route(snap, WB, "acme", "misrouted");
    expect(d).toMatchObject({ ok: false, error: "no_route" });
    expect(d.trace).toContainEqual(expect.objectContaining({ rule: "candidates", outcome: "skipped", detail: expect.stringContaining("text-embedding-3-small is an embedding model, not a chat model") }));
    // A chat call for the embeddings action: no usable rule at all.
    expect(route(snap, WB, "acme", "document_embedding")).toMatchObject({ ok: false, error: "no_route" });
  });

  it("skips a global fallback and an explicit model of the other kind", () => {
    const globalChat = demoSnapshot((d) => {
      withEmbeddings(d);
      d.settings.push(setting("routing.global_fallback_model", "global", "string", "gpt-4o-mini"));
    });
    const d = ok(route(globalChat, WB, "acme", "document_embedding", { modelKind: "embedding" }));
    expect(chain(d)).toEqual(["text-embedding-3-small:configuration", "mistral-embed:fallback"]);
    expect(d.trace).toContainEqual(expect.objectContaining({ rule: "global_fallback", outcome: "skipped" }));
    const explicit = ok(route(snap, SA, "acme", "*", { explicitModel: "text-embedding-3-small" }));
    expect(explicit.primary.model.modelCode).toBe("gpt-4o-mini");
    expect(explicit.trace).toContainEqual(expect.objectContaining({ rule: "explicit_model", outcome: "skipped" }));
  });

  it("downgrades within the kind: the cheapest configured model of an embeddings call is an embedding model", () => {
    const at = T_NOW;
    const chat = cheapestConfiguredModel(snap, { appId: id.app(WB), organizationId: id.org("acme"), currency: "USD", at });
    const emb = cheapestConfiguredModel(snap, { appId: id.app(WB), organizationId: id.org("acme"), currency: "USD", at, kind: "embedding" });
    expect(chat?.model.kind ?? "chat").toBe("chat");
    expect(emb?.model.modelCode).toBe("text-embedding-3-small");
  });

  it("says why a model of the other kind is not usable; without a kind any model is", () => {
    expect(usableModel(snap, id.model("mock-embed"), "chat")).toBe("model mock-embed is an embedding model, not a chat model");
    expect(typeof usableModel(snap, id.model("mock-embed"))).toBe("object");
    expect(typeof usableModel(snap, id.model("mock-embed"), "embedding")).toBe("object");
  });
});

describe("pricing an embeddings call", () => {
  const snap = demoSnapshot(withEmbeddings);

  it("prices the input tokens at the model's input price and nothing else", () => {
    const usage = mapEmbeddingUsage({ prompt_tokens: 1234, total_tokens: 1234 });
    expect(usage).toEqual({ promptTokens: 1234, completionTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, totalTokens: 1234 });
    const p = priceCall({ snapshot: snap, modelId: id.model("text-embedding-3-small"), modelCode: "text-embedding-3-small", providerCode: "openai", usage: usage!, at: T_NOW });
    // 1234 × 0.02 / 1e6
    expect(p).toMatchObject({ cost: "0.00002468", currency: "USD", source: "database" });
  });

  it("falls back to the built-in price for an embedding model without a row, and stays unknown without usage", () => {
    const usage = mapEmbeddingUsage({ prompt_tokens: 1000000 })!;
    const p = priceCall({ snapshot: snap, modelId: null, modelCode: "text-embedding-3-large", providerCode: "openai", usage, at: T_NOW });
    expect(p).toMatchObject({ cost: "0.13", currency: "USD", source: "fallback" });
    expect(mapEmbeddingUsage({ total_tokens: 5 })).toBeNull();
    expect(mapEmbeddingUsage(undefined)).toBeNull();
  });
});
