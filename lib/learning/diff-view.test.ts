import { describe, expect, it } from "vitest";
import type { LearnDiff, ModelEvidence, Proposal } from "@/lib/engine/learn";
import { demoSnapshot, id } from "@/tests/helpers/engine/snapshot";
import { SKIPPED_SHOWN, toRetrainView } from "./diff-view";
import type { RetrainResult } from "./retrain";

const APP = id.app("student-assistant");
const MINI = id.model("gpt-4o-mini");
const FLASH = id.model("gemini-2.0-flash");
const GPT4O = id.model("gpt-4o");

const ev = (modelId: string, samples: number, avgScore: number, price: string | null): ModelEvidence => ({
  modelId, samples, avgScore, stdErr: 0.1, correctRate: 0.9, price, currency: price ? "USD" : null, confidence: "high", organizations: 1,
});

function proposal(modelId: string, baseline: ModelEvidence, pattern = "chat"): Proposal {
  const chosen = ev(modelId, 40, 4.1, "0.175");
  return {
    organizationId: null, appId: APP, actionType: "answer_question", queryPattern: pattern, modelId, confidence: "medium", samples: 40, avgScore: 4.1, correctRate: 0.9,
    evidence: { chosen, baseline, candidates: [chosen, baseline], reason: `${modelId} avg 4.10 vs default 4.00 (tolerance 0.2), price 0.175 vs 4.375 USD` },
  };
}

function result(diff: LearnDiff): RetrainResult {
  const summary = { added: diff.added.length, changed: diff.changed.length, retired: diff.retired.length, unchanged: diff.unchanged.length, skipped: diff.skipped.length };
  return { runId: null, dryRun: true, params: { minSamples: 10, tolerance: 0.2, confidenceThreshold: "medium", minOrganizations: 3, windowDays: 30, appId: null }, summary, diff };
}

describe("toRetrainView", () => {
  const baseline = ev(GPT4O, 200, 4.0, "4.375");
  const old = { id: "o1", organizationId: null, appId: APP, actionType: "answer_question", queryPattern: "code", modelId: MINI, confidence: "low" as const };

  it("names apps and models, also inside the engine's reason, and keeps the evidence of both sides", () => {
    const view = toRetrainView(result({ added: [proposal(FLASH, baseline)], changed: [], retired: [], unchanged: [], skipped: [] }), demoSnapshot());
    expect(view.changes).toEqual([{
      kind: "added", organization: null, app: "Student Assistant", actionType: "answer_question", queryPattern: "chat", fromModel: "GPT-4o", toModel: "Gemini 2.0 Flash", confidence: "medium",
      reason: "Gemini 2.0 Flash avg 4.10 vs default 4.00 (tolerance 0.2), price 0.175 vs 4.375 USD",
      chosen: { model: "Gemini 2.0 Flash", samples: 40, avgScore: 4.1, correctRate: 0.9, price: "0.175", currency: "USD" },
      baseline: { model: "GPT-4o", samples: 200, avgScore: 4.0, correctRate: 0.9, price: "4.375", currency: "USD" },
    }]);
  });

  it("a change goes from the active override's model; a retirement back to the default, or to 'the default rule' without evidence", () => {
    const view = toRetrainView(result({
      added: [],
      changed: [{ from: old, to: proposal(FLASH, baseline, "code") }],
      retired: [
        { override: { ...old, queryPattern: "analysis" }, reason: "the default is the cheapest qualifying model", evidence: proposal(GPT4O, baseline).evidence },
        { override: { ...old, queryPattern: "gone", modelId: "model:deleted" }, reason: "kept: no baseline", evidence: null },
      ],
      unchanged: [], skipped: [],
    }), demoSnapshot());
    expect(view.changes.map((c) => [c.kind, c.queryPattern, c.fromModel, c.toModel, c.confidence, c.chosen?.model ?? null])).toEqual([
      ["changed", "code", "GPT-4o mini", "Gemini 2.0 Flash", "medium", "Gemini 2.0 Flash"],
      ["retired", "analysis", "GPT-4o mini", "GPT-4o", "low", "GPT-4o"],
      // A model no longer in the catalog is shown by its id rather than hidden.
      ["retired", "gone", "model:deleted", "the default rule", "low", null],
    ]);
  });

  it(`lists at most ${SKIPPED_SHOWN} skipped patterns, with their reasons`, () => {
    const skipped = Array.from({ length: SKIPPED_SHOWN + 5 }, (_, i) => ({ organizationId: null, appId: APP, actionType: "answer_question", queryPattern: `p${i}`, reason: "no baseline", proposal: null }));
    const view = toRetrainView(result({ added: [], changed: [], retired: [], unchanged: [], skipped }), demoSnapshot());
    expect(view.skipped).toHaveLength(SKIPPED_SHOWN);
    expect(view.skipped[0]).toEqual({ organization: null, app: "Student Assistant", actionType: "answer_question", queryPattern: "p0", reason: "no baseline" });
    expect(view.summary.skipped).toBe(SKIPPED_SHOWN + 5);
  });
});
