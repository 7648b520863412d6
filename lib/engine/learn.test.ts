import { describe, expect, it } from "vitest";
import { blendedPrice, confidenceOf, defaultModelOf, learnOverrides } from "@/lib/engine/learn";
import { agg, learnInput, override } from "@/tests/helpers/engine/learn-fixtures";
import { resolveRoute } from "@/lib/engine/resolve";
import { demoSnapshot, id, T_NOW } from "@/tests/helpers/engine/snapshot";

const chosen = (input: ReturnType<typeof learnInput>) => learnOverrides(input).added.map((p) => p.modelId);

describe("learnOverrides: thresholds and tolerance", () => {
  it.each([
    ["a cheaper model within tolerance wins", [agg("model:large", 40, 4.5), agg("model:small", 40, 4.35)], ["model:small"]],
    ["exactly at default - tolerance qualifies (inclusive edge)", [agg("model:large", 40, 4.5), agg("model:small", 40, 4.3)], ["model:small"]],
    ["just below default - tolerance does not", [agg("model:large", 40, 4.5), agg("model:small", 40, 4.29)], []],
    ["the cheapest qualifying wins over a cheaper worse one", [agg("model:large", 40, 4.5), agg("model:mid", 40, 4.4), agg("model:tiny", 40, 3.0)], ["model:mid"]],
    ["a candidate under minSamples is not considered", [agg("model:large", 40, 4.5), agg("model:small", 9, 4.9)], []],
    ["another currency is never compared", [agg("model:large", 40, 4.5), agg("model:euro", 40, 4.5)], []],
    ["a model without a price is never chosen", [agg("model:large", 40, 4.5), agg("model:unpriced", 40, 4.5)], []],
  ])("%s", (_name, aggregates, expected) => {
    expect(chosen(learnInput(aggregates))).toEqual(expected);
  });

  it("no data: empty diff", () => {
    expect(learnOverrides(learnInput([]))).toEqual({ added: [], changed: [], retired: [], unchanged: [], skipped: [] });
  });

  it.each([
    ["the default has no feedback", [agg("model:small", 40, 4.9)]],
    ["the default has too few samples", [agg("model:large", 9, 4.5), agg("model:small", 40, 4.9)]],
  ])("no baseline when %s: no decision", (_name, aggregates) => {
    const diff = learnOverrides(learnInput(aggregates));
    expect(diff.added).toEqual([]);
    expect(diff.skipped[0]?.reason).toMatch(/no baseline/);
  });

  it("no default rule for the action: no decision", () => {
    const diff = learnOverrides(learnInput([agg("model:large", 40, 4.5), agg("model:small", 40, 4.5)], { defaults: [] }));
    expect(diff.added).toEqual([]);
    expect(diff.skipped[0]?.reason).toMatch(/no default rule/);
  });
});

describe("learnOverrides: ties", () => {
  it("equal price: the higher score wins", () => {
    expect(chosen(learnInput([agg("model:large", 40, 4.5), agg("model:small", 40, 4.4), agg("model:small-twin", 40, 4.45)]))).toEqual(["model:small-twin"]);
  });
  it("equal price and score: the lower model id wins, whatever the input order", () => {
    const a = [agg("model:large", 40, 4.5), agg("model:small-twin", 40, 4.4), agg("model:small", 40, 4.4)];
    expect(chosen(learnInput(a))).toEqual(["model:small"]);
    expect(chosen(learnInput([...a].reverse()))).toEqual(["model:small"]);
  });
});

describe("learnOverrides: against active overrides", () => {
  const good = [agg("model:large", 40, 4.5), agg("model:small", 40, 4.4)];
  it("same model and confidence: unchanged (idempotent)", () => {
    const diff = learnOverrides(learnInput(good, { overrides: [override("model:small", "high")] }));
    expect([diff.added.length, diff.changed.length, diff.retired.length, diff.unchanged.length]).toEqual([0, 0, 0, 1]);
  });
  it("another model: changed", () => {
    const diff = learnOverrides(learnInput(good, { overrides: [override("model:mid")] }));
    expect(diff.changed.map((c) => [c.from.modelId, c.to.modelId])).toEqual([["model:mid", "model:small"]]);
  });
  it("the default is now the cheapest qualifying: retired", () => {
    const diff = learnOverrides(learnInput([agg("model:large", 40, 4.5), agg("model:small", 40, 3.5)], { overrides: [override("model:small")] }));
    expect(diff.retired.map((r) => r.reason)).toEqual(["the default is the cheapest qualifying model"]);
  });
  it("the new decision is below the threshold: retired", () => {
    const diff = learnOverrides(learnInput([agg("model:large", 12, 4.5), agg("model:small", 12, 4.4)], { overrides: [override("model:small")] }));
    expect(diff.retired[0]?.reason).toMatch(/confidence low below threshold medium/);
  });
  it("no baseline any more (traffic moved to the override): kept", () => {
    const diff = learnOverrides(learnInput([agg("model:small", 40, 4.4)], { overrides: [override("model:small")] }));
    expect(diff.unchanged[0]?.reason).toMatch(/kept: no baseline/);
  });
  it("no feedback at all in the window: kept", () => {
    const diff = learnOverrides(learnInput([], { overrides: [override("model:small", "high", "code")] }));
    expect(diff.unchanged.map((u) => u.reason)).toEqual(["kept: no feedback in the window"]);
  });
});

describe("confidence", () => {
  it.each([
    [30, 0.5, "high"], // SE 0.091
    [30, 0.9, "medium"], // SE 0.164
    [20, 0.5, "medium"], // 2x minSamples, SE 0.112
    [20, 1.5, "low"], // SE 0.335
    [19, 0.1, "low"],
    [10, 0, "low"],
  ] as const)("n=%i std=%f → %s", (n, std, expected) => {
    expect(confidenceOf(n, std, 10)).toBe(expected);
  });
  it("a decision is only as sure as its weaker side (baseline with few samples → low)", () => {
    const diff = learnOverrides(learnInput([agg("model:large", 10, 4.5), agg("model:small", 60, 4.5)], {}, { confidenceThreshold: "low" }));
    expect(diff.added[0]?.confidence).toBe("low");
  });
  it.each([
    ["low", 1], ["medium", 1], ["high", 0],
  ] as const)("threshold %s activates a medium override: %i", (threshold, count) => {
    const diff = learnOverrides(learnInput([agg("model:large", 20, 4.5), agg("model:small", 20, 4.5)], {}, { confidenceThreshold: threshold }));
    expect(diff.added.length).toBe(count);
  });
});

describe("pinned clients", () => {
  it("with the organization gates off (minOrganizations 1), one organization's evidence gives an app-wide override", () => {
    const diff = learnOverrides(learnInput([agg("model:large", 40, 4.5), agg("model:small", 40, 4.4)]));
    for (const p of diff.added) {
      expect(Object.keys(p).sort()).toEqual(["actionType", "appId", "avgScore", "confidence", "correctRate", "evidence", "modelId", "organizationId", "queryPattern", "samples"]);
      expect(p.organizationId).toBeNull();
    }
    expect(diff.added).toHaveLength(1);
  });

  it("resolveRoute keeps a pinned client on its model while an active override serves the default", () => {
    const snapshot = demoSnapshot((d) => {
      d.overrides.push({ id: "ovr:1", appId: id.app("werkbon-checker"), actionType: "werkbon_classification", queryPattern: "classification", modelId: id.model("gpt-4o-mini"), confidence: "high", samples: 90, active: true });
    });
    const req = (org: string) => resolveRoute(snapshot, { appId: id.app("werkbon-checker"), organizationId: id.org(org), actionType: "werkbon_classification", queryText: "Classify this work order into a category", at: T_NOW });
    const pinned = req("wvc");
    const acme = req("acme");
    if (!pinned.ok || !acme.ok) throw new Error("expected routes");
    expect(pinned.queryPattern).toBe("classification");
    expect([pinned.primary.model.modelCode, pinned.primary.source]).toEqual(["claude-sonnet-4-20250514", "client_override"]);
    expect([acme.primary.model.modelCode, acme.primary.source]).toEqual(["gpt-4o-mini", "learned"]);
  });

  it("defaultModelOf ignores client rules", () => {
    const snapshot = demoSnapshot();
    expect(defaultModelOf(snapshot, id.app("werkbon-checker"), "werkbon_classification")).toBe(id.model("mistral-large-latest"));
    expect(defaultModelOf(snapshot, id.app("student-assistant"), "anything")).toBe(id.model("gpt-4o-mini"));
  });
});

it("blended price is (3 x input + output) / 4, exact", () => {
  expect(blendedPrice({ inputPerMtok: "0.15", outputPerMtok: "0.60" })).toBe("0.2625");
});
