import { describe, expect, it } from "vitest";
import { demoSnapshot, id, T_NOW } from "@/tests/helpers/engine/snapshot";
import type { RouteTarget, Usage } from "@/lib/engine/types";
import { attemptRecord, usageForFailure, type AttemptOutcome } from "./attempt-record";
import type { CallContext } from "./context";

/** The llm_calls row of one attempt: prompt-cache reads and writes, their prices, the exact cost. */

const snapshot = demoSnapshot();

function target(modelCode: string, providerCode: string): RouteTarget {
  const model = snapshot.modelsById.get(id.model(modelCode));
  const provider = snapshot.providersByCode.get(providerCode);
  if (!model || !provider) throw new Error(`no ${providerCode}/${modelCode} in the demo snapshot`);
  return { model, provider, source: "configuration" };
}

function context(appCode: string): CallContext {
  const app = snapshot.appsByCode.get(appCode);
  if (!app) throw new Error(`no app ${appCode}`);
  return {
    requestId: "00000000-0000-4000-8000-000000000001",
    receivedAt: T_NOW,
    key: { id: "key", appId: app.id, organizationId: null, scopes: [], rateLimitPerMinute: null, maxConcurrent: null, expiresAt: null, revokedAt: null },
    app,
    organization: null,
    actionType: "chat",
    explicitModel: null,
    metadata: {},
  };
}

const outcome = (usage: Usage | null): AttemptOutcome => ({
  attempt: 1, createdAt: new Date(T_NOW), latencyMs: 120, ttftMs: null, streamed: false, usage, modelVersion: null, error: null, completion: null,
});

// Anthropic's report: input 10, cache reads 5, cache writes 3 (the prompt is 18), output 7.
const CACHE_USAGE: Usage = { promptTokens: 18, completionTokens: 7, cachedTokens: 5, cacheWriteTokens: 3, reasoningTokens: null, totalTokens: 25 };
const route = { configId: null, queryPattern: "chat" as const, trace: [] };

describe("attemptRecord with prompt-cache writes", () => {
  it("records the write tokens and price, and prices them at the cache-write price", () => {
    // Claude Haiku 3.5 in the demo catalog: USD 0.80 in / 4.00 out / 0.08 read / 1.00 write.
    const { record, cost } = attemptRecord({ snapshot, ctx: context("student-assistant"), target: target("claude-3-5-haiku-20241022", "anthropic"), route, outcome: outcome(CACHE_USAGE), prompt: null });
    // (10 x 0.80 + 5 x 0.08 + 3 x 1.00 + 7 x 4.00) / 1e6; the writes at the input price would give 0.0000388.
    expect(cost).toBe("0.0000394");
    expect(record).toMatchObject({
      prompt_tokens: 18, cached_tokens: 5, cache_write_tokens: 3, completion_tokens: 7, total_tokens: 25,
      input_price_per_mtok: "0.80", cached_input_price_per_mtok: "0.08", cache_write_price_per_mtok: "1.00",
      cost: "0.0000394", currency: "USD", pricing_source: "database",
    });
    // The baseline (GPT-4o, no write surcharge) prices the same writes at its input price 2.50:
    // (10 x 2.50 + 5 x 1.25 + 3 x 2.50 + 7 x 10) / 1e6.
    expect(record.baseline_cost).toBe("0.00010875");
  });

  it("leaves the write columns null when the provider reports no cache writes", () => {
    const { record } = attemptRecord({ snapshot, ctx: context("student-assistant"), target: target("gpt-4o", "openai"), route, outcome: outcome({ ...CACHE_USAGE, cacheWriteTokens: null }), prompt: null });
    // GPT-4o: (13 x 2.50 + 5 x 1.25 + 7 x 10) / 1e6.
    expect(record).toMatchObject({ cache_write_tokens: null, cache_write_price_per_mtok: null, cost: "0.00010875" });
  });

  it("records no unit prices without a cost, and zero writes for an unbilled failure", () => {
    const unknown = attemptRecord({ snapshot, ctx: context("student-assistant"), target: target("claude-3-5-haiku-20241022", "anthropic"), route, outcome: outcome(null), prompt: null });
    expect(unknown.record).toMatchObject({ cache_write_tokens: null, cache_write_price_per_mtok: null, cost: null });
    expect(usageForFailure("rate_limited", null)).toMatchObject({ cacheWriteTokens: 0, promptTokens: 0 });
  });
});
