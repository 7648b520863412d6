import { describe, expect, it } from "vitest";
import { demoSnapshot, id, setting, T_NOW } from "@/tests/helpers/engine/snapshot";
import { keyLimits } from "./call";
import type { GatewayKey } from "./config-cache";
import type { CallContext } from "./context";
import { GatewayError } from "./errors";
import { refusalRecord } from "./refusal";

/** What a refused call records, and which limits a key without its own runs under. */

const snapshot = demoSnapshot();
const key = (extra: Partial<GatewayKey> = {}): GatewayKey => ({
  id: "key-1", appId: id.app("werkbon-checker"), organizationId: id.org("acme"), scopes: ["llm"],
  rateLimitPerMinute: null, maxConcurrent: null, expiresAt: null, revokedAt: null, ...extra,
});

describe("refusalRecord", () => {
  it("a rate-limited call: the key's app and pinned organization, no provider, usage zero, cost null", () => {
    const e = new GatewayError(429, "rate_limit_error", "slow down", { headers: { "retry-after": "3" }, refusal: "rate_limited_key" });
    const row = refusalRecord(snapshot, { requestId: "r-1", receivedAt: T_NOW, key: key(), ctx: null, streamed: false, trace: null }, e as never, T_NOW + 2);
    expect(row).toMatchObject({
      request_id: "r-1", attempt: 1, app_id: id.app("werkbon-checker"), organization_id: id.org("acme"), action_type: null,
      provider_id: null, provider_code: null, model_id: null, model_code: null,
      prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cost: null, currency: null, pricing_source: null,
      status: "failed", error_type: "rate_limited_key", http_status: 429, latency_ms: 2, trace: null,
    });
    expect(row.created_at).toEqual(new Date(T_NOW));
  });

  it("a routed call refused (all circuits open): the context's attribution and the routing trace", () => {
    const app = snapshot.appsByCode.get("werkbon-checker")!;
    const ctx: CallContext = {
      requestId: "r-2", receivedAt: T_NOW, key: key({ organizationId: null }), app,
      organization: snapshot.organizationsBySlug.get("wvc")!, actionType: "werkbon_classification", explicitModel: null,
      metadata: { pipeline_stage: "classification", request_type: "classify", user_id: "u-9" },
    };
    const e = new GatewayError(503, "service_unavailable", "all circuits open", { refusal: "circuit_open" });
    const trace = [{ rule: "fallbacks", outcome: "skipped", detail: "circuit open for provider mistral" }];
    const row = refusalRecord(snapshot, { requestId: "r-2", receivedAt: T_NOW, key: ctx.key, ctx, streamed: true, trace }, e as never, T_NOW);
    expect(row).toMatchObject({
      organization_id: id.org("wvc"), action_type: "werkbon_classification", pipeline_stage: "classification",
      request_type: "classify", user_ref: "u-9", error_type: "circuit_open", http_status: 503, streamed: true,
    });
    expect(JSON.parse(row.trace as string)).toEqual(trace);
  });
});

describe("keyLimits", () => {
  it("null limits take the typed defaults (600/min, 20 in flight), never unlimited", () => {
    expect(keyLimits(snapshot, key())).toEqual({ perMinute: 600, concurrent: 20 });
  });

  it("a key's own limits win; app and organization settings beat the global default", () => {
    expect(keyLimits(snapshot, key({ rateLimitPerMinute: 7, maxConcurrent: 3 }))).toEqual({ perMinute: 7, concurrent: 3 });
    const tuned = demoSnapshot((d) => {
      d.settings.push(
        setting("gateway.default_rate_limit_per_minute", "global", "int", 100),
        setting("gateway.default_rate_limit_per_minute", "app", "int", 50, { app: "werkbon-checker" }),
        setting("gateway.default_max_concurrent_per_key", "organization", "int", 4, { org: "acme" }),
      );
    });
    expect(keyLimits(tuned, key())).toEqual({ perMinute: 50, concurrent: 4 });
    expect(keyLimits(tuned, key({ appId: id.app("student-assistant"), organizationId: null }))).toEqual({ perMinute: 100, concurrent: 20 });
  });

  it("a setting of 0 or a fraction still leaves a whole limit of at least 1", () => {
    const odd = demoSnapshot((d) => {
      d.settings.push(setting("gateway.default_rate_limit_per_minute", "global", "float", 0.5));
    });
    expect(keyLimits(odd, key()).perMinute).toBe(1);
  });
});
