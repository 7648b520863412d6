import { describe, expect, it } from "vitest";
import { chain, ok, route } from "@/tests/helpers/engine/resolve";
import { demoSnapshot, id, rule, setting, T_PRICE_CUT } from "@/tests/helpers/engine/snapshot";
import type { ConfigSnapshotData, SnapshotOverride } from "@/lib/engine/types";

const WB = "werkbon-checker";
const SA = "student-assistant";
const CODE_QUERY = "Why does this throw?\n```js\nconst x = undefined;\nconsole.log(x.length);\n```";

const override = (o: Partial<SnapshotOverride> = {}): SnapshotOverride => ({
  id: "ov:1", appId: id.app(SA), actionType: "answer_question", queryPattern: "code",
  modelId: id.model("gpt-4o"), confidence: "high", samples: 42, active: true, ...o,
});
const withOverride = (o: Partial<SnapshotOverride> = {}, more?: (d: ConfigSnapshotData) => void) =>
  demoSnapshot((d) => { d.overrides.push(override(o)); more?.(d); });
const setGlobal = (key: string, valueType: "bool" | "string", value: unknown) => (d: ConfigSnapshotData) => {
  d.settings = d.settings.filter((s) => s.key !== key);
  d.settings.push(setting(key, "global", valueType, value));
};

describe("learned override", () => {
  it("replaces a default rule's model; the rule's model becomes the first fallback", () => {
    const d = ok(route(withOverride(), SA, "acme", "answer_question", { queryText: CODE_QUERY }));
    expect(d.queryPattern).toBe("code");
    expect(chain(d)).toEqual(["gpt-4o:learned", "gpt-4o-mini:fallback", "gemini-2.0-flash:fallback"]);
    expect(d.params).toEqual({ temperature: 0.7, max_tokens: 2048 });
  });

  it("never replaces a client's pinned rule", () => {
    const d = ok(route(withOverride(), SA, "sandbox", "answer_question", { queryText: CODE_QUERY }));
    expect(chain(d)).toEqual(["mock-small:client_override"]);
    expect(d.trace).toContainEqual(expect.objectContaining({ rule: "learned_override", outcome: "skipped", detail: expect.stringContaining("client override pinned") }));
  });

  it.each([
    ["another pattern", override(), "Hello, how are you?", "gpt-4o-mini:configuration"],
    ["another action", override({ actionType: "grade_essay" }), CODE_QUERY, "gpt-4o-mini:configuration"],
    ["an inactive override", override({ active: false }), CODE_QUERY, "gpt-4o-mini:configuration"],
  ])("does not apply to %s", (_name, o, queryText, expected) => {
    const s = demoSnapshot((d) => d.overrides.push(o));
    expect(chain(route(s, SA, "acme", "answer_question", { queryText }))[0]).toBe(expected);
  });

  it.each([
    ["high", "medium", true],
    ["medium", "medium", true],
    ["low", "medium", false],
    ["medium", "high", false],
    ["low", "low", true],
    ["medium", "bogus", false], // an unreadable threshold means "high"
  ] as const)("confidence %s against min %s → applied %s", (confidence, min, applied) => {
    const s = withOverride({ confidence }, setGlobal("learning.min_confidence", "string", min));
    const d = ok(route(s, SA, "acme", "answer_question", { queryText: CODE_QUERY }));
    expect(d.primary.source).toBe(applied ? "learned" : "configuration");
  });

  it("is off when learning.enabled is false, and by default without the setting", () => {
    for (const patch of [setGlobal("learning.enabled", "bool", false), (d: ConfigSnapshotData) => { d.settings = d.settings.filter((x) => x.key !== "learning.enabled"); }]) {
      const d = ok(route(withOverride({}, patch), SA, "acme", "answer_question", { queryText: CODE_QUERY }));
      expect(d.primary.source).toBe("configuration");
      expect(d.trace).toContainEqual(expect.objectContaining({ rule: "learned_override", outcome: "skipped", detail: "learning.enabled is false" }));
    }
  });

  it("is skipped when its model is disabled", () => {
    const s = withOverride({}, (d) => { for (const m of d.models) if (m.modelCode === "gpt-4o") m.enabled = false; });
    expect(ok(route(s, SA, "acme", "answer_question", { queryText: CODE_QUERY })).primary.source).toBe("configuration");
  });
});

describe("budget", () => {
  const budget = (spent: string, estimate: string | null) => ({ budget: { spent, estimate } });
  const policy = (slug: string, p: "alert" | "block" | "downgrade") => (d: ConfigSnapshotData) => {
    for (const o of d.organizations) if (o.slug === slug) o.budgetPolicy = p;
  };

  it.each([
    ["below 80%", "10", "1", []],
    ["exactly 80%", "15", "1", [80]],
    ["at 100% exactly", "19.5", "0.5", [80, 100]],
    ["over 100% with policy alert still routes", "19.5", "1", [80, 100]],
    ["unknown estimate counts as 0", "16", null, [80]],
  ])("acme (20 EUR, alert): %s", (_name, spent, estimate, alerts) => {
    const d = ok(route(demoSnapshot(), WB, "acme", "werkbon_classification", budget(spent, estimate)));
    expect(d.budgetAlerts).toEqual(alerts);
    expect(d.primary.model.modelCode).toBe("mistral-large-latest");
  });

  it.each([
    ["would exceed", "19.5", "1", false],
    ["already exhausted, estimate unknown", "20", null, false],
    ["fits exactly", "19.5", "0.5", true],
    ["below", "5", null, true],
  ])("policy block: %s → routed %s", (_name, spent, estimate, routed) => {
    const d = route(demoSnapshot(policy("acme", "block")), WB, "acme", "werkbon_classification", budget(spent, estimate));
    expect(d.ok).toBe(routed);
    if (!d.ok) {
      expect(d.error).toBe("budget_exceeded");
      expect(d.message).toContain("20 EUR");
      expect(d.message).toContain(`month-to-date ${spent} EUR`);
    }
  });

  it("downgrade: the cheapest configured model by the price in force, same currency first", () => {
    const s = demoSnapshot();
    // globex budgets in USD; mistral-small is $0.10 + $0.30 after the cut, gemini-2.0-flash $0.50
    const now = ok(route(s, SA, "globex", "summarize_document", budget("4.5", "0.01")));
    expect(chain(now)).toEqual(["mistral-small-latest:budget_downgrade"]);
    expect(now.budgetAlerts).toEqual([80, 100]);
    const before = ok(route(s, SA, "globex", "summarize_document", { ...budget("4.5", "0.01"), at: T_PRICE_CUT - 1 }));
    expect(chain(before)).toEqual(["gemini-2.0-flash:budget_downgrade", "mistral-small-latest:fallback"]);
  });

  it("downgrade never uses another client's pinned model and prefers the budget's currency", () => {
    // EUR budget on werkbon-checker: gpt-4o-mini (USD) is nominally cheaper than mistral-large (EUR)
    const s = demoSnapshot((d) => { policy("wvc", "downgrade")(d); });
    const d = ok(route(s, WB, "wvc", "werkbon_classification", budget("41", null)));
    expect(d.primary).toMatchObject({ source: "budget_downgrade", model: { modelCode: "mistral-large-latest" } });
    expect(d.primary.model.modelCode).not.toBe("mock-small"); // sandbox's pin, EUR 0.30
  });

  it("downgrade when the primary already is the cheapest keeps the rule's source", () => {
    const d = ok(route(demoSnapshot(policy("acme", "downgrade")), WB, "acme", "werkbon_classification", budget("25", "1")));
    expect(d.primary.source).toBe("configuration");
    expect(d.trace).toContainEqual(expect.objectContaining({ rule: "budget", detail: expect.stringContaining("already the cheapest") }));
  });

  it("kill switch: block still applies, downgrade does not", () => {
    const off = (d: ConfigSnapshotData) => { d.settings.push(setting("routing.enabled", "organization", "bool", false, { org: "globex" })); };
    const d = ok(route(demoSnapshot(off), SA, "globex", "summarize_document", budget("5", "1")));
    expect(chain(d)).toEqual(["gpt-4o:legacy"]);
    const blocked = route(demoSnapshot((x) => { off(x); policy("globex", "block")(x); }), SA, "globex", "summarize_document", budget("5", "1"));
    expect(blocked).toMatchObject({ ok: false, error: "budget_exceeded" });
  });

  it.each([
    ["no budget on the organization", "sandbox", budget("1000", "1")],
    ["no spend figure (fails open)", "acme", {}],
    ["no organization", null, budget("1000", "1")],
  ])("is not enforced with %s", (_name, org, extra) => {
    const s = demoSnapshot(policy("acme", "block"));
    expect(ok(route(s, WB, org, "werkbon_classification", extra)).budgetAlerts).toEqual([]);
  });

  it("reads custom alert thresholds", () => {
    const s = demoSnapshot((d) => { d.settings.push(setting("budget.alert_thresholds", "organization", "json", [50, 90], { org: "acme" })); });
    expect(ok(route(s, WB, "acme", "werkbon_classification", budget("18", "0"))).budgetAlerts).toEqual([50, 90]);
  });
});

describe("fallback chain", () => {
  const globalFallback = (code: string) => (d: ConfigSnapshotData) => { d.settings.push(setting("routing.global_fallback_model", "global", "string", code)); };

  it.each([
    ["in order", [], ["mistral-large-latest:configuration", "claude-3-5-haiku-20241022:fallback", "gpt-4o-mini:fallback"]],
    ["skipping a disabled fallback", [(d: ConfigSnapshotData) => { for (const m of d.models) if (m.modelCode === "claude-3-5-haiku-20241022") m.enabled = false; }], ["mistral-large-latest:configuration", "gpt-4o-mini:fallback"]],
    ["then the global fallback", [globalFallback("gemini-2.0-flash")], ["mistral-large-latest:configuration", "claude-3-5-haiku-20241022:fallback", "gpt-4o-mini:fallback", "gemini-2.0-flash:global_fallback"]],
    ["global fallback already in the chain is not repeated", [globalFallback("gpt-4o-mini")], ["mistral-large-latest:configuration", "claude-3-5-haiku-20241022:fallback", "gpt-4o-mini:fallback"]],
    ["global fallback named provider/code", [globalFallback("openai/gpt-4o")], ["mistral-large-latest:configuration", "claude-3-5-haiku-20241022:fallback", "gpt-4o-mini:fallback", "gpt-4o:global_fallback"]],
    ["unknown global fallback is skipped", [globalFallback("gpt-9")], ["mistral-large-latest:configuration", "claude-3-5-haiku-20241022:fallback", "gpt-4o-mini:fallback"]],
  ])("%s", (_name, patches, expected) => {
    const s = demoSnapshot((d) => { for (const p of patches) p(d); });
    expect(chain(route(s, WB, "acme", "werkbon_classification"))).toEqual(expected);
  });

  it("drops duplicates and the primary from a fallback list", () => {
    const s = demoSnapshot((d) => {
      d.configurations.push(rule(WB, "acme", "werkbon_classification", "gpt-4o", ["gpt-4o", "gpt-4o-mini", "gpt-4o-mini", "model-gone"], 300));
    });
    const d = ok(route(s, WB, "acme", "werkbon_classification"));
    expect(chain(d)).toEqual(["gpt-4o:client_override", "gpt-4o-mini:fallback"]);
    expect(d.trace.filter((t) => t.rule === "fallbacks" && t.outcome === "skipped")).toHaveLength(3);
  });
});
