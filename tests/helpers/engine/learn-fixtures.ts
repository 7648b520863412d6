import type { ActiveOverride, FeedbackAggregate, LearnInput, LearnParams, ModelPrice } from "@/lib/engine/learn";

/** Small builders for learn.test.ts: one app, one action, readable model ids. */
export const APP = "app:wb";
export const ACTION = "classify";
export const DEFAULT_MODEL = "model:large";

export const ORG = "org:a";
/** minOrganizations 1: the single-organization rules; learn-orgs.test.ts covers the organization gates. */
export const PARAMS: LearnParams = { minSamples: 10, tolerance: 0.2, confidenceThreshold: "medium", minOrganizations: 1 };

export function agg(modelId: string, samples: number, meanScore: number, extra: Partial<FeedbackAggregate> = {}): FeedbackAggregate {
  return { organizationId: ORG, appId: APP, actionType: ACTION, queryPattern: "classification", modelId, samples, meanScore, stdScore: 0.5, correctRate: null, ...extra };
}

export const PRICES: ModelPrice[] = [
  { modelId: "model:large", blendedPerMtok: "5", currency: "USD" },
  { modelId: "model:mid", blendedPerMtok: "1", currency: "USD" },
  { modelId: "model:small", blendedPerMtok: "0.2", currency: "USD" },
  { modelId: "model:tiny", blendedPerMtok: "0.05", currency: "USD" },
  { modelId: "model:euro", blendedPerMtok: "0.01", currency: "EUR" },
  { modelId: "model:small-twin", blendedPerMtok: "0.2", currency: "USD" },
];

export function override(modelId: string, confidence: ActiveOverride["confidence"] = "high", queryPattern = "classification"): ActiveOverride {
  return { id: `ovr:${modelId}:${queryPattern}`, organizationId: null, appId: APP, actionType: ACTION, queryPattern, modelId, confidence };
}

export function learnInput(aggregates: FeedbackAggregate[], change: Partial<LearnInput> = {}, params: Partial<LearnParams> = {}): LearnInput {
  return {
    aggregates,
    defaults: [{ appId: APP, actionType: ACTION, modelId: DEFAULT_MODEL }],
    prices: PRICES,
    overrides: [],
    params: { ...PARAMS, ...params },
    ...change,
  };
}
