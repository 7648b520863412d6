import { describe, expect, it } from "vitest";
import { chain, ok, route } from "@/tests/helpers/engine/resolve";
import { cfgId, demoSnapshot, id, rule, setting } from "@/tests/helpers/engine/snapshot";
import type { ConfigSnapshotData } from "@/lib/engine/types";

const WB = "werkbon-checker";
const SA = "student-assistant";

const disableModel = (code: string) => (d: ConfigSnapshotData) => {
  for (const m of d.models) if (m.modelCode === code) m.enabled = false;
};
const globalFallback = (code: string) => (d: ConfigSnapshotData) => {
  d.settings.push(setting("routing.global_fallback_model", "global", "string", code));
};

describe("candidates", () => {
  const snap = demoSnapshot();

  it.each([
    ["default rule", WB, "acme", "werkbon_classification", ["mistral-large-latest:configuration", "claude-3-5-haiku-20241022:fallback", "gpt-4o-mini:fallback"], cfgId(WB, null, "werkbon_classification", 100)],
    ["client override at 200 beats the default at 100", WB, "wvc", "werkbon_classification", ["claude-sonnet-4-20250514:client_override", "gpt-4o:fallback"], cfgId(WB, "wvc", "werkbon_classification", 200)],
    ["no organization: the default", WB, null, "werkbon_classification", ["mistral-large-latest:configuration", "claude-3-5-haiku-20241022:fallback", "gpt-4o-mini:fallback"], cfgId(WB, null, "werkbon_classification", 100)],
    ["a client without a rule for the action gets the default", WB, "wvc", "contract_generation", ["claude-sonnet-4-20250514:configuration", "gpt-4o:fallback"], cfgId(WB, null, "contract_generation", 100)],
    ["wildcard when no exact rule", SA, "acme", "answer_question", ["gpt-4o-mini:configuration", "gemini-2.0-flash:fallback"], cfgId(SA, null, "*", 100)],
    ["exact beats wildcard at equal priority", SA, "acme", "summarize_document", ["mistral-small-latest:configuration", "gpt-4o-mini:fallback"], cfgId(SA, null, "summarize_document", 100)],
    ["client exact rule", SA, "globex", "summarize_document", ["meta-llama/llama-3.3-70b-instruct:client_override", "mistral-small-latest:fallback"], cfgId(SA, "globex", "summarize_document", 200)],
    ["client wildcard at 200 beats default exact at 100", SA, "sandbox", "summarize_document", ["mock-small:client_override"], cfgId(SA, "sandbox", "*", 200)],
    ["another client's wildcard is never used", SA, "globex", "grade_essay", ["gpt-4o:configuration", "claude-3-5-haiku-20241022:fallback"], cfgId(SA, null, "grade_essay", 100)],
  ])("%s", (_name, app, org, action, expected, configId) => {
    const d = ok(route(snap, app, org, action));
    expect(chain(d)).toEqual(expected);
    expect(d.configId).toBe(configId);
  });

  it("returns the chosen rule's params and the query pattern", () => {
    const d = ok(route(snap, WB, "acme", "werkbon_classification", { queryText: "Classificeer deze werkbon: lekkage." }));
    expect(d.params).toEqual({ temperature: 0.1, max_tokens: 1024 });
    expect(d.queryPattern).toBe("classification");
    expect(d.budgetAlerts).toEqual([]);
  });

  it.each([
    ["organization beats default on a priority tie", [rule(WB, null, "werkbon_classification", "gpt-4o", [], 200)], "wvc", "claude-sonnet-4-20250514"],
    ["organization wildcard beats default exact on a priority tie", [rule(WB, "acme", "*", "gpt-4o-mini", [], 100)], "acme", "gpt-4o-mini"],
    ["exact beats wildcard for the same organization on a tie", [rule(WB, "wvc", "*", "gpt-4o-mini", [], 200)], "wvc", "claude-sonnet-4-20250514"],
    ["a higher-priority default wildcard beats a lower exact rule", [rule(WB, null, "*", "gpt-4o", [], 150)], "acme", "gpt-4o"],
  ])("tie-breaking: %s", (_name, extra, org, expected) => {
    const s = demoSnapshot((d) => d.configurations.push(...extra));
    expect(ok(route(s, WB, org, "werkbon_classification")).primary.model.modelCode).toBe(expected);
  });

  it("never names another organization's rule in the trace", () => {
    const d = ok(route(snap, WB, "acme", "werkbon_classification"));
    const text = JSON.stringify(d.trace);
    expect(text).not.toContain("wvc");
    expect(text).not.toContain("sandbox");
  });

  it("traces the shadowed rules the caller can see", () => {
    const d = ok(route(snap, SA, "sandbox", "summarize_document"));
    const steps = d.trace.filter((t) => t.rule === "candidates");
    expect(steps.map((s) => [s.configId, s.outcome])).toEqual([
      [cfgId(SA, "sandbox", "*", 200), "chosen"],
      [cfgId(SA, null, "summarize_document", 100), "skipped"],
      [cfgId(SA, null, "*", 100), "skipped"],
    ]);
  });

  it.each([
    ["disabled model", "grade_essay", disableModel("gpt-4o"), "model gpt-4o is disabled"],
    ["disabled provider", "summarize_document", (d: ConfigSnapshotData) => { for (const p of d.providers) if (p.code === "mistral") p.enabled = false; }, "provider mistral of mistral-small-latest is disabled"],
    ["missing model", "grade_essay", (d: ConfigSnapshotData) => { d.models = d.models.filter((m) => m.modelCode !== "gpt-4o"); }, "model model:gpt-4o not found"],
  ])("skips a rule whose model cannot be called (%s) and tries the next", (_name, action, patch, reason) => {
    const d = ok(route(demoSnapshot(patch), SA, "acme", action));
    expect(chain(d)).toEqual(["gpt-4o-mini:configuration", "gemini-2.0-flash:fallback"]);
    expect(d.configId).toBe(cfgId(SA, null, "*", 100));
    expect(d.trace).toContainEqual(expect.objectContaining({ rule: "candidates", outcome: "skipped", configId: cfgId(SA, null, action, 100), detail: expect.stringContaining(reason) }));
  });

  it("does not promote a skipped rule's fallbacks: with no usable rule left there is no route", () => {
    const s = demoSnapshot((d) => { for (const p of d.providers) if (p.code === "openai") p.enabled = false; });
    expect(route(s, SA, "acme", "grade_essay")).toMatchObject({ ok: false, error: "no_route" });
  });

  it("ignores disabled rules", () => {
    const s = demoSnapshot((d) => { for (const c of d.configurations) if (c.organizationId === id.org("wvc")) c.enabled = false; });
    expect(ok(route(s, WB, "wvc", "werkbon_classification")).primary.model.modelCode).toBe("mistral-large-latest");
  });

  it("no usable rule and no global fallback: no_route", () => {
    const d = route(snap, WB, "acme", "unknown_action");
    expect(d).toMatchObject({ ok: false, error: "no_route" });
  });

  it("no usable rule: the global fallback serves as primary", () => {
    const s = demoSnapshot(globalFallback("gpt-4o-mini"));
    const d = ok(route(s, WB, "acme", "unknown_action"));
    expect(chain(d)).toEqual(["gpt-4o-mini:global_fallback"]);
    expect(d.configId).toBeNull();
  });

  it("unknown app", () => {
    expect(route(snap, "nope", "acme", "x")).toMatchObject({ ok: false, error: "unknown_app" });
  });
});

describe("kill switch", () => {
  const off = (where: { app?: string; org?: string }, scope: "app" | "organization" | "global") => (d: ConfigSnapshotData) => {
    d.settings.push(setting("routing.enabled", scope, "bool", false, where));
  };

  it("app setting off: the legacy model, no chain, no rule", () => {
    const s = demoSnapshot((d) => {
      d.settings = d.settings.filter((x) => !(x.key === "routing.enabled" && x.scope === "app"));
      off({ app: WB }, "app")(d);
      globalFallback("gpt-4o-mini")(d);
    });
    const d = ok(route(s, WB, "wvc", "werkbon_classification"));
    expect(chain(d)).toEqual(["claude-sonnet-4-20250514:legacy"]);
    expect(d.configId).toBeNull();
    expect(d.params).toEqual({});
    expect(d.trace[0]).toMatchObject({ rule: "kill_switch", outcome: "applied" });
  });

  it("organization setting beats the app setting", () => {
    const s = demoSnapshot(off({ org: "acme" }, "organization"));
    expect(ok(route(s, WB, "acme", "werkbon_classification")).primary.source).toBe("legacy");
    expect(ok(route(s, WB, "wvc", "werkbon_classification")).primary.source).toBe("client_override");
  });

  it.each([
    ["no legacy model", (d: ConfigSnapshotData) => { for (const a of d.apps) a.legacyModelId = null; }],
    ["legacy model disabled", disableModel("claude-sonnet-4-20250514")],
  ])("off with %s: routing_disabled_no_legacy", (_name, patch) => {
    const s = demoSnapshot((d) => { patch(d); off({}, "global")(d); d.settings = d.settings.filter((x) => x.scope !== "app"); });
    expect(route(s, WB, "acme", "werkbon_classification")).toMatchObject({ ok: false, error: "routing_disabled_no_legacy" });
  });
});

describe("explicit model", () => {
  const s = demoSnapshot(globalFallback("gemini-2.0-flash"));

  it("is used when the app allows it, with only the global fallback behind it", () => {
    const d = ok(route(s, SA, "acme", "answer_question", { explicitModel: "gpt-4o" }));
    expect(chain(d)).toEqual(["gpt-4o:explicit", "gemini-2.0-flash:global_fallback"]);
    expect(d.configId).toBeNull();
  });

  it.each([
    ["the app does not allow explicit models", WB, "werkbon_classification", "gpt-4o", "does not allow", "mistral-large-latest"],
    ["the model is unknown", SA, "answer_question", "gpt-9", 'unknown model "gpt-9"', "gpt-4o-mini"],
  ])("is ignored with a trace when %s", (_name, app, action, model, reason, expected) => {
    const d = ok(route(s, app, "acme", action, { explicitModel: model }));
    expect(d.primary.model.modelCode).toBe(expected);
    expect(d.trace).toContainEqual(expect.objectContaining({ rule: "explicit_model", outcome: "skipped", detail: expect.stringContaining(reason) }));
  });

  it("is ignored when disabled", () => {
    const d = ok(route(demoSnapshot(disableModel("gpt-4o")), SA, "acme", "answer_question", { explicitModel: "gpt-4o" }));
    expect(d.primary.source).toBe("configuration");
  });
});
