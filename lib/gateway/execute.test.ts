import { afterEach, describe, expect, it, vi } from "vitest";
import { resolveRoute } from "@/lib/engine/resolve";
import { demoSnapshot, id } from "@/tests/helpers/engine/snapshot";
import { errorFromStatus, localRequestError, streamCutError, timeoutError } from "@/lib/providers/errors";
import { ProviderError } from "@/lib/providers/types";
import { CircuitBreakers } from "./circuit";
import type { CallContext } from "./context";
import { gatewayErrorOf } from "@/tests/helpers/gateway-error";
import { DEFAULT_RETRY, asProviderError, exhausted, runAttempts, type RoutedDecision } from "./execute";
import type { CallRecord } from "./recorder/recorder";
import type { GatewayRuntime } from "./runtime";

/**
 * runAttempts with a real circuit breaker, snapshot and pricing, and a recorder that keeps the
 * rows: who pays for which failure, and what the caller is told.
 */
const snapshot = demoSnapshot((d) => {
  // gpt-4o-mini (openai, 2 retries) first; gemini (google) as the fallback.
  for (const p of d.providers) p.apiKeyEnvVar = null;
});

function world(threshold = 3) {
  const rows: CallRecord[] = [];
  const rt = {
    circuits: new CircuitBreakers(threshold, 60_000),
    recorder: { record: (r: CallRecord) => rows.push(r) },
    config: { addSpend: () => undefined },
  } as unknown as GatewayRuntime;
  const app = snapshot.appsById.get(id.app("student-assistant"))!;
  const ctx: CallContext = { requestId: "r", receivedAt: 0, key: {} as CallContext["key"], app, organization: null, actionType: "chat", explicitModel: null, metadata: {} };
  const decision = () => {
    const d = resolveRoute(snapshot, { appId: app.id, organizationId: null, actionType: "chat", queryText: "x", explicitModel: null, budget: null });
    if (!d.ok) throw new Error(d.message);
    return d as RoutedDecision;
  };
  const policy = { ...DEFAULT_RETRY, baseMs: 0, capMs: 0 };
  const run = (fail: (provider: string) => unknown) =>
    runAttempts({
      rt,
      snapshot,
      ctx,
      decision: decision(),
      request: { messages: [{ role: "user", content: "x" }] },
      streamed: false,
      policy,
      tryOne: async (r) => {
        throw fail(r.a.target.provider.code);
      },
    });
  return { rt, rows, run };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("runAttempts: local errors are not provider failures", () => {
  it("answers 500 without internals for an exception in our own code, records it as local, and never counts it", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const w = world();
    for (let i = 0; i < 10; i++) {
      const err = await gatewayErrorOf(w.run(() => new RangeError("Maximum call stack size exceeded sk-proj-abcdefghijklmnop")));
      expect(err.status).toBe(500);
      expect(err.message).not.toMatch(/stack|RangeError|sk-/);
    }
    // One attempt each (no retry, no fallback), recorded as a local error.
    expect(w.rows).toHaveLength(10);
    expect(w.rows.every((r) => r.error_type === "local_error" && r.status === "failed")).toBe(true);
    expect(w.rt.circuits.snapshot()).toEqual({ openai: "closed" });
    expect(log).toHaveBeenCalled();
    expect(log.mock.calls.flat().join(" ")).not.toContain("abcdefghijklmnop");
  });

  it("answers 400 for a request our adapter cannot send, priced at zero, without touching the circuit", async () => {
    const w = world();
    for (let i = 0; i < 10; i++) {
      const err = await gatewayErrorOf(w.run(() => localRequestError("the request cannot be sent: it is nested too deeply")));
      expect(err).toMatchObject({ status: 400, type: "invalid_request_error" });
      expect(err.message).toMatch(/nested too deeply/);
    }
    expect(w.rows.map((r) => r.error_type)).toEqual(Array(10).fill("local_invalid_request"));
    expect(w.rows[0]).toMatchObject({ prompt_tokens: 0, cost: expect.stringMatching(/^0(\.0+)?$/) });
    expect(w.rt.circuits.state("openai")).toBe("closed");
  });

  it("answers 503 (not 502) when the provider's key is missing, trying the fallback first", async () => {
    const w = world();
    const missing = new ProviderError("missing_key", "no API key configured", { retryable: false });
    const err = await gatewayErrorOf(w.run(() => missing));
    expect(err.status).toBe(503);
    expect(w.rows.map((r) => [r.provider_code, r.error_type])).toEqual([["openai", "missing_key"], ["google", "missing_key"]]);
    expect(w.rt.circuits.snapshot()).toEqual({ openai: "closed", google: "closed" });
  });

  it("counts the provider's 5xx, 429, timeouts and stream cuts, and answers 502", async () => {
    const w = world(3);
    const err = await gatewayErrorOf(w.run((p) => (p === "openai" ? errorFromStatus(503, "down", { apiKey: null }) : timeoutError(10))));
    expect(err.status).toBe(502);
    // openai: 3 tries (2 retries) open its circuit; google: 3 timeouts open it too.
    expect(w.rt.circuits.snapshot()).toEqual({ openai: "open", google: "open" });
    const again = world(2);
    await gatewayErrorOf(again.run(() => errorFromStatus(429, "slow down", { apiKey: null })));
    expect(again.rt.circuits.state("openai")).toBe("open");
    const cut = world(1);
    await gatewayErrorOf(cut.run(() => streamCutError("socket closed", null)));
    expect(cut.rt.circuits.state("openai")).toBe("open");
  });

  it("does not count the provider's own 400 or content filter", async () => {
    const w = world(1);
    const err = await gatewayErrorOf(w.run(() => errorFromStatus(400, { error: { message: "bad field", type: "invalid_request_error" } }, { apiKey: null })));
    expect(err.status).toBe(400);
    expect(w.rt.circuits.state("openai")).toBe("closed");
  });

  it("stops retrying a provider whose circuit opened during the call and goes to the fallback", async () => {
    const w = world(1);
    await gatewayErrorOf(w.run(() => errorFromStatus(500, "boom", { apiKey: null })));
    // openai opened on its first failure: no retries against it, straight to google.
    expect(w.rows.map((r) => r.provider_code)).toEqual(["openai", "google"]);
  });
});

describe("asProviderError and exhausted", () => {
  it("turns a thrown non-ProviderError into a local error, never a retryable provider failure", () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const e = asProviderError(new TypeError("x is undefined"));
    expect(e).toMatchObject({ code: "local_error", origin: "local", retryable: false });
    expect(exhausted(e, 1)).toMatchObject({ status: 500, type: "service_unavailable" });
  });

  it("treats an AbortError as a cancelled call: local, not logged as a bug", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(asProviderError(new DOMException("aborted", "AbortError"))).toMatchObject({ code: "cancelled", origin: "local", retryable: false });
    expect(log).not.toHaveBeenCalled();
  });

  it("keeps provider failures as 502 and the provider's refusals as 400", () => {
    expect(exhausted(errorFromStatus(502, "bad gateway", { apiKey: null }), 2).status).toBe(502);
    expect(exhausted(errorFromStatus(400, "nope", { apiKey: null }), 1).status).toBe(400);
  });
});
