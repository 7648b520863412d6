import { describe, expect, it } from "vitest";
import { resolveRoute } from "@/lib/engine/resolve";
import type { ConfigSnapshot } from "@/lib/engine/snapshot";
import { demoSnapshot, id, setting } from "@/tests/helpers/engine/snapshot";
import type { ChatRequest } from "@/lib/providers/types";
import type { CallContext } from "./context";
import { GatewayError } from "./errors";
import type { RoutedDecision } from "./execute";
import { allowedBillingFields, checkRequestFields } from "./request-fields";

const messages: ChatRequest["messages"] = [{ role: "user", content: "hi" }];

function context(snapshot: ConfigSnapshot, app: string, org: string | null): CallContext {
  return {
    requestId: "r", receivedAt: 0, key: {} as CallContext["key"], app: snapshot.appsById.get(id.app(app))!,
    organization: org ? snapshot.organizationsById.get(id.org(org))! : null, actionType: "x", explicitModel: null, metadata: {},
  };
}

/** student-assistant grade_essay: gpt-4o (openai), falling back to Claude Haiku (anthropic). */
function setup(patch?: Parameters<typeof demoSnapshot>[0]) {
  const snapshot = demoSnapshot(patch);
  const decision = resolveRoute(snapshot, { appId: id.app("student-assistant"), organizationId: id.org("acme"), actionType: "grade_essay", queryText: "x", explicitModel: null, budget: null });
  if (!decision.ok) throw new Error(decision.message);
  return { snapshot, decision: decision as RoutedDecision, ctx: context(snapshot, "student-assistant", "acme") };
}

function thrown(fn: () => void): GatewayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error("expected a GatewayError");
}

describe("checkRequestFields", () => {
  it("refuses a field the primary cannot take with a 400 naming it", () => {
    const { snapshot, decision, ctx } = setup();
    const body = { messages, foo: 1 } as ChatRequest;
    const err = thrown(() => checkRequestFields({ snapshot, ctx, decision }, { caller: body, upstream: body }));
    expect(err).toMatchObject({ status: 400, type: "invalid_request_error", param: "foo" });
    expect(err.message).toMatch(/"foo" is not supported for provider "openai" \(openai\)/);
  });

  it("refuses a billing field unless the app's or organization's setting allows it", () => {
    const body = { messages, service_tier: "priority" } as ChatRequest;
    const plain = setup();
    const err = thrown(() => checkRequestFields(plain, { caller: body, upstream: body }));
    expect(err).toMatchObject({ status: 400, param: "service_tier" });
    expect(err.message).toMatch(/gateway\.allowed_billing_fields lists "service_tier"/);

    const orgAllows = setup((d) => d.settings.push(setting("gateway.allowed_billing_fields", "organization", "json", ["service_tier"], { org: "acme" })));
    expect(() => checkRequestFields(orgAllows, { caller: body, upstream: body })).not.toThrow();
    // Another organization's setting allows nothing here.
    const otherOrg = setup((d) => d.settings.push(setting("gateway.allowed_billing_fields", "organization", "json", ["service_tier"], { org: "wvc" })));
    expect(() => checkRequestFields(otherOrg, { caller: body, upstream: body })).toThrow(GatewayError);
  });

  it("reads a malformed setting as allowing nothing", () => {
    const { snapshot, ctx } = setup((d) => d.settings.push(setting("gateway.allowed_billing_fields", "app", "json", { service_tier: true }, { app: "student-assistant" })));
    expect(allowedBillingFields(snapshot, ctx).size).toBe(0);
  });

  it("says so when the refused field came from the routing rule's params", () => {
    const { snapshot, decision, ctx } = setup();
    const err = thrown(() => checkRequestFields({ snapshot, ctx, decision }, { caller: { messages }, upstream: { messages, store: true } }));
    expect(err.message).toMatch(/set by the routing rule's params/);
  });

  it("drops a fallback of another kind that cannot take the request, with a trace step, and keeps the request whole", () => {
    expect(setup().decision.fallbacks.map((t) => t.provider.kind)).toEqual(["anthropic"]);
    // OpenAI takes seed and temperatures up to 2; Anthropic has no seed and takes 0 to 1.
    for (const body of [{ messages, seed: 7 }, { messages, temperature: 1.5 }] as ChatRequest[]) {
      const { snapshot, decision, ctx } = setup();
      checkRequestFields({ snapshot, ctx, decision }, { caller: body, upstream: body });
      expect(decision.fallbacks).toEqual([]);
      const field = Object.keys(body).find((k) => k !== "messages");
      expect(decision.trace.at(-1)).toMatchObject({ rule: "fallbacks", outcome: "skipped", detail: expect.stringMatching(new RegExp(`anthropic.*"${field}"`)) });
    }
  });

  it("keeps fallbacks that can take the request", () => {
    const { snapshot, decision, ctx } = setup();
    const body = { messages, temperature: 0.3, max_completion_tokens: 10 } as ChatRequest;
    checkRequestFields({ snapshot, ctx, decision }, { caller: body, upstream: body });
    expect(decision.fallbacks).toHaveLength(1);
  });
});
