import { describe, expect, it } from "vitest";
import { demoSnapshot } from "@/tests/helpers/engine/snapshot";
import type { RouteTarget } from "@/lib/engine/types";
import { ProviderError } from "@/lib/providers/types";
import { CircuitBreakers } from "./circuit";
import { DEFAULT_RETRY, attemptPlan, exhausted, summarizeFailures, type RoutedDecision } from "./execute";
import type { GatewayRuntime } from "./runtime";

/** How a call that failed everywhere is answered, and when the retry loop moves on. */

const limited = (retryAfterMs: number | null) => new ProviderError("rate_limited", "slow down", { status: 429, retryable: true, retryAfterMs, origin: "provider" });

describe("exhausted", () => {
  it("every attempt a provider 429/529: 429 with the longest upstream Retry-After, in whole seconds", () => {
    const failures = [limited(2_000), new ProviderError("overloaded", "busy", { status: 529, retryable: true, retryAfterMs: 1_500, origin: "provider" }), limited(30_500)];
    const e = exhausted(failures.at(-1)!, 3, summarizeFailures(failures));
    expect(e.status).toBe(429);
    expect(e.type).toBe("rate_limit_error");
    expect(e.headers["retry-after"]).toBe("31");
    expect(e.refusal).toBeNull();
  });

  it("429s without any Retry-After still say when to retry (1 s, never 0)", () => {
    const failures = [limited(null), limited(null)];
    expect(exhausted(failures[1]!, 2, summarizeFailures(failures)).headers["retry-after"]).toBe("1");
  });

  it("mixed failures stay 502; no attempt at all (every circuit open) is a 503 refusal", () => {
    const failures = [limited(5_000), new ProviderError("upstream_5xx", "boom", { status: 500, retryable: true, origin: "provider" })];
    const mixed = exhausted(failures[1]!, 2, summarizeFailures(failures));
    expect(mixed.status).toBe(502);
    expect(mixed.headers["retry-after"]).toBeUndefined();
    const none = exhausted(null, 0, summarizeFailures([]));
    expect(none.status).toBe(503);
    expect(none.refusal).toBe("circuit_open");
  });
});

describe("attemptPlan", () => {
  const snapshot = demoSnapshot();
  const target = (code: string): RouteTarget => {
    const model = [...snapshot.modelsById.values()].find((m) => m.modelCode === code)!;
    const provider = snapshot.providersById.get(model.providerId)!;
    return { model, provider: { ...provider, maxRetries: 2 }, source: "configuration" };
  };
  const decision = (): RoutedDecision => ({
    ok: true, primary: target("gpt-4o"), fallbacks: [target("claude-sonnet-4-20250514")], configId: null, params: {},
    queryPattern: "chat", budgetAlerts: [], trace: [],
  });
  const rt = { circuits: new CircuitBreakers() } as unknown as GatewayRuntime;

  it("retries a target after a short Retry-After, moves on at once after one longer than the policy waits", async () => {
    const plan = attemptPlan(rt, decision(), DEFAULT_RETRY);
    const first = (await plan.next({ error: null })).value!;
    expect(first).toMatchObject({ attempt: 1, retry: 0 });
    const second = (await plan.next({ error: limited(500) })).value!;
    expect(second.target.model.modelCode).toBe("gpt-4o");
    expect(second.retry).toBe(1);
    const third = (await plan.next({ error: limited(DEFAULT_RETRY.maxRetryAfterMs + 1) })).value!;
    expect(third.target.model.modelCode).toBe("claude-sonnet-4-20250514");
    expect(third.retry).toBe(0);
  });
});
