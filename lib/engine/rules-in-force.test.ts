import { describe, expect, it } from "vitest";
import { rulesInForce } from "@/lib/engine/rules-in-force";
import { ok, route } from "@/tests/helpers/engine/resolve";
import { demoSnapshot, id } from "@/tests/helpers/engine/snapshot";
import type { SnapshotOverride } from "@/lib/engine/types";

const SA = "student-assistant";
const override = (o: Partial<SnapshotOverride> = {}): SnapshotOverride => ({
  id: "ov:1", appId: id.app(SA), actionType: "answer_question", queryPattern: "code",
  modelId: id.model("gpt-4o"), confidence: "high", samples: 42, active: true, ...o,
});

describe("rulesInForce", () => {
  it("agrees with resolveRoute for every app × action it lists", () => {
    const s = demoSnapshot();
    for (const org of ["acme", "wvc", "sandbox"]) {
      const rules = rulesInForce(s, id.org(org));
      expect(rules.length).toBeGreaterThan(1);
      for (const r of rules) {
        const d = ok(route(s, r.appCode, org, r.actionType, { queryText: "", modelKind: r.kind }));
        expect({ org, action: r.actionType, model: r.modelCode, source: r.source }).toEqual({ org, action: r.actionType, model: d.primary.model.modelCode, source: d.primary.source });
      }
    }
  });

  it("lists a learned override per pattern apart from the rule, for the organization it applies to", () => {
    const s = demoSnapshot((d) => d.overrides.push(override()));
    const acme = rulesInForce(s, id.org("acme")).find((r) => r.appCode === SA && r.actionType === "answer_question");
    expect(acme).toMatchObject({ source: "configuration", modelCode: "gpt-4o-mini" });
    expect(acme?.learned).toEqual([expect.objectContaining({ pattern: "code", modelCode: "gpt-4o" })]);
    const sandbox = rulesInForce(s, id.org("sandbox")).find((r) => r.appCode === SA && r.actionType === "answer_question");
    expect(sandbox).toMatchObject({ source: "client_override", learned: [] });
    expect(sandbox?.shadowed.some((line) => line.includes("client override pinned"))).toBe(true);
  });

  it("ignores an override for a pattern the classifier never returns", () => {
    const s = demoSnapshot((d) => d.overrides.push(override({ queryPattern: "short" })));
    const acme = rulesInForce(s, id.org("acme")).find((r) => r.appCode === SA && r.actionType === "answer_question");
    expect(acme?.learned).toEqual([]);
  });

  it("uses a known query pattern instead of classifying the text (RouteRequest.queryPattern)", () => {
    const s = demoSnapshot((d) => d.overrides.push(override()));
    const d = ok(route(s, SA, "acme", "answer_question", { queryText: "Hello", queryPattern: "code" }));
    expect(d.queryPattern).toBe("code");
    expect(d.primary).toMatchObject({ source: "learned" });
  });
});
