import { Dec, formatCost } from "@/lib/engine/price";
import { key2, key3, type ConfigSnapshot } from "@/lib/engine/snapshot";
import type { PriceRow } from "@/lib/engine/types";

/**
 * Learned routing overrides from production feedback. Pure: the caller loads aggregates, prices,
 * default models and active overrides; this decides, per (app, action, query pattern), which
 * model (if any) should replace the default rule's model, and returns the diff against what is
 * active. Overrides have no organization: they only ever replace a DEFAULT rule (resolve.ts), so
 * a client's pinned configuration is never touched by learning.
 *
 * Rules, per key:
 *  1. Every model with >= minSamples feedback is a candidate; the default model must itself have
 *     >= minSamples, else there is no baseline and no decision (an active override is kept).
 *  2. A candidate qualifies when avg score >= default avg - tolerance (inclusive).
 *  3. Among qualifying candidates with a price in the default's currency, the cheapest blended
 *     price wins; ties -> higher avg score -> lower model id (deterministic).
 *  4. If the winner is the default itself, no override (an active one is retired).
 *  5. The winner is activated only when its confidence >= confidenceThreshold; an active override
 *     whose new decision falls below the threshold is retired.
 *
 * Confidence (CONFIDENCE_RULES), with SE = sample std / sqrt(n) of the 1-5 score:
 *   high   n >= 3 x minSamples and SE <= 0.15
 *   medium n >= 2 x minSamples and SE <= 0.30
 *   low    otherwise.
 * A decision's confidence is the lower of the winner's and the baseline's: a comparison is only
 * as sure as its weaker side.
 *
 * Price: the blended price per million tokens at a 3:1 input:output token mix, in force now,
 * (3 x input + output) / 4. Chosen over "average cost per call" because it is known for every
 * catalog model (also one that never served the pattern), does not depend on which prompts
 * happened to hit which model, and is exact decimal. Models priced in another currency than the
 * default's are not compared (never weigh EUR against USD).
 */

export type Confidence = "low" | "medium" | "high";
export const CONFIDENCE_RANK: Record<Confidence, number> = { low: 1, medium: 2, high: 3 };
export const CONFIDENCE_RULES = {
  high: { minSamplesFactor: 3, maxStdErr: 0.15 },
  medium: { minSamplesFactor: 2, maxStdErr: 0.3 },
} as const;
/** Scores are 1-5 means of integers; this only absorbs float noise at the tolerance edge. */
const EPS = 1e-9;

export interface FeedbackAggregate {
  appId: string;
  actionType: string;
  queryPattern: string;
  modelId: string;
  samples: number;
  meanScore: number;
  /** Sample standard deviation of the score (0 for n < 2). */
  stdScore: number;
  /** Share of rows with is_correct = true among rows that state it; null when none do. */
  correctRate: number | null;
}

export interface ModelPrice {
  modelId: string;
  /** Blended price per Mtok, decimal string. */
  blendedPerMtok: string;
  currency: string;
}

export interface DefaultModel {
  appId: string;
  actionType: string;
  modelId: string;
}

export interface ActiveOverride {
  id: string;
  appId: string;
  actionType: string;
  queryPattern: string;
  modelId: string;
  confidence: Confidence;
}

export interface LearnParams {
  minSamples: number;
  tolerance: number;
  confidenceThreshold: Confidence;
}

export interface LearnInput {
  aggregates: readonly FeedbackAggregate[];
  defaults: readonly DefaultModel[];
  prices: readonly ModelPrice[];
  overrides: readonly ActiveOverride[];
  params: LearnParams;
}

export interface ModelEvidence {
  modelId: string;
  samples: number;
  avgScore: number;
  stdErr: number;
  correctRate: number | null;
  price: string | null;
  currency: string | null;
  confidence: Confidence;
}

export interface Proposal {
  appId: string;
  actionType: string;
  queryPattern: string;
  modelId: string;
  confidence: Confidence;
  samples: number;
  avgScore: number;
  correctRate: number | null;
  evidence: { chosen: ModelEvidence; baseline: ModelEvidence; candidates: ModelEvidence[]; reason: string };
}

export interface PatternKey {
  appId: string;
  actionType: string;
  queryPattern: string;
}

export interface LearnDiff {
  added: Proposal[];
  changed: { from: ActiveOverride; to: Proposal }[];
  retired: { override: ActiveOverride; reason: string; evidence: Proposal["evidence"] | null }[];
  unchanged: { override: ActiveOverride; reason: string }[];
  /** Keys with feedback but no activation, and why (no baseline, below threshold, default best). */
  skipped: (PatternKey & { reason: string; proposal: Proposal | null })[];
}

export function confidenceOf(samples: number, stdScore: number, minSamples: number): Confidence {
  const se = stdErr(samples, stdScore);
  const { high, medium } = CONFIDENCE_RULES;
  if (samples >= high.minSamplesFactor * minSamples && se <= high.maxStdErr + EPS) return "high";
  if (samples >= medium.minSamplesFactor * minSamples && se <= medium.maxStdErr + EPS) return "medium";
  return "low";
}

function stdErr(samples: number, stdScore: number): number {
  return samples > 0 ? stdScore / Math.sqrt(samples) : Number.POSITIVE_INFINITY;
}

const minConfidence = (a: Confidence, b: Confidence): Confidence => (CONFIDENCE_RANK[a] <= CONFIDENCE_RANK[b] ? a : b);

/** (3 x input + output) / 4 per Mtok: see the module comment. */
export function blendedPrice(row: Pick<PriceRow, "inputPerMtok" | "outputPerMtok">): string {
  return formatCost(new Dec(row.inputPerMtok).times(3).plus(row.outputPerMtok).div(4));
}

/** The default rule's model for (app, action): highest-precedence organization-less rule. */
export function defaultModelOf(snapshot: ConfigSnapshot, appId: string, actionType: string): string | null {
  const list = snapshot.configsByAppAction.get(key2(appId, actionType)) ?? snapshot.configsByAppAction.get(key2(appId, "*"));
  return list?.find((c) => c.organizationId === null)?.modelId ?? null;
}

type Decision = { kind: "none"; reason: string } | { kind: "default"; reason: string; evidence: Proposal["evidence"] } | { kind: "override"; proposal: Proposal };

function evidenceOf(a: FeedbackAggregate, price: ModelPrice | undefined, minSamples: number): ModelEvidence {
  return {
    modelId: a.modelId, samples: a.samples, avgScore: a.meanScore, stdErr: stdErr(a.samples, a.stdScore), correctRate: a.correctRate,
    price: price?.blendedPerMtok ?? null, currency: price?.currency ?? null, confidence: confidenceOf(a.samples, a.stdScore, minSamples),
  };
}

/** Cheaper first; ties -> higher score -> lower model id. */
function compareCandidates(a: ModelEvidence, b: ModelEvidence): number {
  const byPrice = new Dec(a.price ?? "0").comparedTo(b.price ?? "0");
  if (byPrice !== 0) return byPrice;
  if (a.avgScore !== b.avgScore) return b.avgScore - a.avgScore;
  return a.modelId < b.modelId ? -1 : a.modelId > b.modelId ? 1 : 0;
}

function decide(key: PatternKey, rows: readonly FeedbackAggregate[], defaultId: string | null, prices: ReadonlyMap<string, ModelPrice>, params: LearnParams): Decision {
  if (!defaultId) return { kind: "none", reason: "no default rule for the action" };
  const base = rows.find((r) => r.modelId === defaultId);
  if (!base || base.samples < params.minSamples) {
    return { kind: "none", reason: `no baseline: default model has ${base?.samples ?? 0} < ${params.minSamples} samples` };
  }
  const basePrice = prices.get(defaultId);
  if (!basePrice) return { kind: "none", reason: "no baseline: default model has no price" };
  const baseline = evidenceOf(base, basePrice, params.minSamples);
  const candidates = rows
    .filter((r) => r.samples >= params.minSamples)
    .map((r) => evidenceOf(r, prices.get(r.modelId), params.minSamples))
    .filter((e) => e.currency === basePrice.currency && e.avgScore >= baseline.avgScore - params.tolerance - EPS)
    .sort(compareCandidates);
  const best = candidates[0] ?? baseline;
  if (best.modelId === defaultId) {
    return { kind: "default", reason: "the default is the cheapest qualifying model", evidence: { chosen: baseline, baseline, candidates, reason: "default" } };
  }
  const confidence = minConfidence(best.confidence, baseline.confidence);
  const reason = `${best.modelId} avg ${best.avgScore.toFixed(2)} vs default ${baseline.avgScore.toFixed(2)} (tolerance ${params.tolerance}), price ${best.price} vs ${baseline.price} ${basePrice.currency}`;
  return {
    kind: "override",
    proposal: {
      ...key, modelId: best.modelId, confidence, samples: best.samples, avgScore: best.avgScore, correctRate: best.correctRate,
      evidence: { chosen: best, baseline, candidates, reason },
    },
  };
}

export function learnOverrides(input: LearnInput): LearnDiff {
  const { params } = input;
  const prices = new Map(input.prices.map((p) => [p.modelId, p]));
  const defaults = new Map(input.defaults.map((d) => [key2(d.appId, d.actionType), d.modelId]));
  const active = new Map(input.overrides.map((o) => [key3(o.appId, o.actionType, o.queryPattern), o]));
  const groups = new Map<string, { key: PatternKey; rows: FeedbackAggregate[] }>();
  for (const a of input.aggregates) {
    const k = key3(a.appId, a.actionType, a.queryPattern);
    const group = groups.get(k) ?? { key: { appId: a.appId, actionType: a.actionType, queryPattern: a.queryPattern }, rows: [] };
    group.rows.push(a);
    groups.set(k, group);
  }
  const diff: LearnDiff = { added: [], changed: [], retired: [], unchanged: [], skipped: [] };
  // Sorted keys: the same input always yields the same diff, in the same order.
  for (const k of [...groups.keys()].sort()) {
    const group = groups.get(k);
    if (!group) continue;
    const current = active.get(k);
    active.delete(k);
    const d = decide(group.key, group.rows, defaults.get(key2(group.key.appId, group.key.actionType)) ?? null, prices, params);
    if (d.kind === "none") {
      if (current) diff.unchanged.push({ override: current, reason: `kept: ${d.reason}` });
      else diff.skipped.push({ ...group.key, reason: d.reason, proposal: null });
    } else if (d.kind === "default") {
      if (current) diff.retired.push({ override: current, reason: d.reason, evidence: d.evidence });
      else diff.skipped.push({ ...group.key, reason: d.reason, proposal: null });
    } else if (CONFIDENCE_RANK[d.proposal.confidence] < CONFIDENCE_RANK[params.confidenceThreshold]) {
      const reason = `confidence ${d.proposal.confidence} below threshold ${params.confidenceThreshold}`;
      if (current) diff.retired.push({ override: current, reason, evidence: d.proposal.evidence });
      else diff.skipped.push({ ...group.key, reason, proposal: d.proposal });
    } else if (!current) {
      diff.added.push(d.proposal);
    } else if (current.modelId !== d.proposal.modelId || current.confidence !== d.proposal.confidence) {
      diff.changed.push({ from: current, to: d.proposal });
    } else {
      diff.unchanged.push({ override: current, reason: "same model and confidence" });
    }
  }
  // Active overrides of keys without feedback in the window: kept (no evidence either way).
  for (const o of active.values()) diff.unchanged.push({ override: o, reason: "kept: no feedback in the window" });
  return diff;
}

export function diffSummary(diff: LearnDiff): { added: number; changed: number; retired: number; unchanged: number; skipped: number } {
  return { added: diff.added.length, changed: diff.changed.length, retired: diff.retired.length, unchanged: diff.unchanged.length, skipped: diff.skipped.length };
}
