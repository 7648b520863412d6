import { describe, expect, it } from "vitest";
import { learnableProvider, learnOverrides, type FeedbackAggregate } from "@/lib/engine/learn";
import { agg, learnInput, override } from "@/tests/helpers/engine/learn-fixtures";
import { resolveRoute } from "@/lib/engine/resolve";
import { demoSnapshot, id, T_NOW } from "@/tests/helpers/engine/snapshot";
import type { SnapshotOverride } from "@/lib/engine/types";

/**
 * Issue 9 item 3: no single organization's feedback changes another organization's routing.
 * App-wide overrides need >= minOrganizations organizations (each one vote: the median of their
 * average scores) and must survive leaving any one organization out; otherwise each organization
 * gets an override of its own, from its own feedback, that routes only its calls.
 */
const GATED = { minOrganizations: 3 };
const at = (org: string, model: string, n: number, mean: number): FeedbackAggregate => agg(model, n, mean, { organizationId: org });
/** An organization's honest feedback: the default 4.5, small 4.4 (within tolerance, cheaper). */
const honest = (org: string) => [at(org, "model:large", 40, 4.5), at(org, "model:small", 40, 4.4)];
const run = (aggregates: FeedbackAggregate[], overrides = learnInput([]).overrides) => learnOverrides(learnInput(aggregates, { overrides }, GATED));
const scoped = (o: Partial<ReturnType<typeof override>> & { organizationId: string }) => ({ ...override("model:tiny"), ...o, id: `ovr:${o.organizationId}` });

describe("app-wide overrides need several organizations", () => {
  it("three organizations agreeing: one app-wide override, none of their own", () => {
    const diff = run([...honest("org:a"), ...honest("org:b"), ...honest("org:c")]);
    expect(diff.added.map((p) => [p.organizationId, p.modelId])).toEqual([[null, "model:small"]]);
    expect(diff.added[0]?.evidence.chosen.organizations).toBe(3);
  });

  it("two organizations (below learning.min_organizations): each gets its own override, nothing app-wide", () => {
    const diff = run([...honest("org:a"), ...honest("org:b")]);
    expect(diff.added.map((p) => [p.organizationId, p.modelId])).toEqual([["org:a", "model:small"], ["org:b", "model:small"]]);
    expect(diff.skipped.map((s) => [s.organizationId, s.reason])).toEqual([[null, "app-wide needs feedback from 3 organizations on both models, has 2"]]);
  });

  it("the attack: one organization's 60 five-star scores for a cheap model (and one-star for the default) change nobody else's routing", () => {
    const attacker = [at("org:evil", "model:tiny", 60, 5), at("org:evil", "model:large", 60, 1)];
    // Honest organizations: tiny is clearly worse than the default.
    const others = ["org:a", "org:b", "org:c"].flatMap((o) => [at(o, "model:large", 40, 4.5), at(o, "model:tiny", 40, 3.0)]);
    const without = run(others);
    const withAttack = run([...others, ...attacker]);
    expect(without.added).toEqual([]);
    // Nothing app-wide, and the only override is the attacker's own.
    expect(withAttack.added.map((p) => [p.organizationId, p.modelId])).toEqual([]);
    expect(withAttack.skipped.filter((s) => s.organizationId === null).map((s) => s.reason)).toEqual(["the default is the cheapest qualifying model"]);
  });

  it("the attack where the honest organizations alone would not decide: the attacker only routes itself", () => {
    const attacker = [at("org:evil", "model:tiny", 60, 5), at("org:evil", "model:large", 60, 1)];
    const diff = run([at("org:a", "model:large", 40, 4.5), ...attacker]);
    expect(diff.added.map((p) => [p.organizationId, p.modelId])).toEqual([["org:evil", "model:tiny"]]);
  });

  it("leave-one-out: a third organization cannot tip two disagreeing ones into an app-wide change", () => {
    const a = honest("org:a"); // small qualifies
    const b = [at("org:b", "model:large", 40, 4.5), at("org:b", "model:small", 40, 4.0)]; // small does not
    const tipper = [at("org:c", "model:large", 40, 1), at("org:c", "model:small", 40, 5)];
    const diff = run([...a, ...b, ...tipper]);
    expect(diff.added.filter((p) => p.organizationId === null)).toEqual([]);
    expect(diff.skipped.find((s) => s.organizationId === null)?.reason).toMatch(/not robust: without organization org:c's feedback the decision would be default/);
    // Each organization still learns for itself.
    expect(diff.added.map((p) => [p.organizationId, p.modelId])).toEqual([["org:a", "model:small"], ["org:c", "model:small"]]);
  });

  it("repeating one organization's scores adds no weight: the median of organizations decides", () => {
    const diff = run([at("org:a", "model:large", 40, 4.5), at("org:a", "model:small", 4000, 5), at("org:b", "model:large", 40, 4.5),
      at("org:b", "model:small", 40, 4.0), at("org:c", "model:large", 40, 4.5), at("org:c", "model:small", 40, 4.0)]);
    expect(diff.added.filter((p) => p.organizationId === null)).toEqual([]);
  });

  it("an active app-wide override is kept when one organization's feedback says otherwise", () => {
    const active = [override("model:small")];
    const dissent = [at("org:evil", "model:large", 60, 5), at("org:evil", "model:small", 60, 1)];
    const diff = run([...honest("org:a"), ...honest("org:b"), ...honest("org:c"), ...dissent], active);
    expect([diff.retired.length, diff.changed.length]).toEqual([0, 0]);
    expect(diff.unchanged.map((u) => u.override.id)).toEqual([active[0]?.id]);
  });

  it("an organization's own override is retired once an app-wide decision covers it", () => {
    const own = scoped({ organizationId: "org:a", modelId: "model:small" });
    const diff = run([...honest("org:a"), ...honest("org:b"), ...honest("org:c")], [own]);
    expect(diff.added.map((p) => [p.organizationId, p.modelId])).toEqual([[null, "model:small"]]);
    expect(diff.retired.map((r) => [r.override.id, r.reason])).toEqual([[own.id, "an app-wide decision covers this organization"]]);
  });
});

describe("routing applies an organization's override to that organization only", () => {
  const app = id.app("werkbon-checker");
  const ovr = (organizationId: string | null, model: string, key = model): SnapshotOverride => ({
    id: `ovr:${organizationId ?? "app"}:${key}`, organizationId, appId: app, actionType: "werkbon_classification", queryPattern: "classification",
    modelId: id.model(model), confidence: "high", samples: 90, active: true,
  });
  const route = (overrides: SnapshotOverride[], org: string) => {
    const snapshot = demoSnapshot((d) => d.overrides.push(...overrides));
    const r = resolveRoute(snapshot, { appId: app, organizationId: id.org(org), actionType: "werkbon_classification", queryText: "Classify this work order into a category", at: T_NOW });
    if (!r.ok) throw new Error("expected a route");
    return [r.primary.model.modelCode, r.primary.source];
  };

  it("acme's own override routes acme; globex keeps the default rule; the pinned client keeps its rule", () => {
    const overrides = [ovr(id.org("acme"), "gpt-4o-mini")];
    expect(route(overrides, "acme")).toEqual(["gpt-4o-mini", "learned"]);
    expect(route(overrides, "globex")).toEqual(["mistral-large-latest", "configuration"]);
    expect(route(overrides, "wvc")).toEqual(["claude-sonnet-4-20250514", "client_override"]);
  });

  it("an organization's own override wins over the app-wide one, also when it says 'the default'", () => {
    const overrides = [ovr(null, "gpt-4o-mini"), ovr(id.org("acme"), "gemini-2.0-flash"), ovr(id.org("globex"), "mistral-large-latest")];
    expect(route(overrides, "acme")).toEqual(["gemini-2.0-flash", "learned"]);
    expect(route(overrides, "globex")).toEqual(["mistral-large-latest", "configuration"]);
    expect(route([ovr(null, "gpt-4o-mini")], "globex")).toEqual(["gpt-4o-mini", "learned"]);
  });
});

describe("mock models are never learned", () => {
  it.each([
    [{ kind: "mock" as const, baseUrl: null }, false],
    [{ kind: "mock" as const, baseUrl: "http://127.0.0.1:9" }, false],
    [{ kind: "openai_compatible" as const, baseUrl: null }, false],
    [{ kind: "openai_compatible" as const, baseUrl: "http://127.0.0.1:9/v1" }, true],
    [{ kind: "openai" as const, baseUrl: null }, true],
  ])("%j → %s", (provider, expected) => {
    expect(learnableProvider(provider)).toBe(expected);
  });
});
