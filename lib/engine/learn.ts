import { Dec, formatCost } from "@/lib/engine/price";
import { key2, key3, SEP, type ConfigSnapshot } from "@/lib/engine/snapshot";
import type { PriceRow, SnapshotProvider } from "@/lib/engine/types";

/**
 * Learned routing overrides from production feedback. Pure: the caller loads aggregates, prices,
 * default models and active overrides; this decides, per (app, action, query pattern), which
 * model (if any) should replace the default rule's model, and returns the diff against what is
 * active. Overrides only ever replace a DEFAULT rule (resolve.ts), so a client's pinned
 * configuration is never touched by learning.
 *
 * Organizations (issue 9: no tenant steers another's routing). Feedback is grouped per
 * organization (feedback without one is not learned from). Per key there are two kinds of
 * decisions:
 *  - APP-WIDE (override.organizationId null): every organization counts as one vote: a model's
 *    score is the median of the organizations' average scores (pool()), so a tenant posting
 *    thousands of extreme scores moves it no further than one honest organization would. Adding,
 *    changing or retiring an app-wide override needs feedback from >= minOrganizations
 *    organizations on both the chosen model and the default, AND must come out the same when any
 *    single organization's feedback is left out (leave-one-out); otherwise nothing app-wide moves.
 *    minOrganizations <= 1 turns both checks off (one organization may set the default).
 *  - PER ORGANIZATION (override.organizationId set): only while no app-wide decision passes the
 *    gates, the same rules run on each organization's own feedback. When its result differs from
 *    the app-wide model (another model, or the default where an app-wide override says
 *    otherwise), it becomes an override that routes that organization's calls only. So feedback
 *    that is not backed by other organizations changes its own organization's routing at most.
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
  /** The organization the scored calls were attributed to (from the ledger). */
  organizationId: string;
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

/** What an override says: for this (organization, app, action, pattern), route to this model. */
export interface OverrideTarget {
  /** null = app-wide; set = this organization's own (applies to its calls only). */
  organizationId: string | null;
  appId: string;
  actionType: string;
  queryPattern: string;
  modelId: string;
  confidence: Confidence;
}

export interface ActiveOverride extends OverrideTarget {
  id: string;
}

export interface LearnParams {
  minSamples: number;
  tolerance: number;
  confidenceThreshold: Confidence;
  /** Organizations whose feedback an app-wide change needs (learning.min_organizations). */
  minOrganizations: number;
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
  /** Organizations whose feedback this evidence pools. */
  organizations: number;
}

/** An override the retrain would activate, with the evidence for it. */
export interface Proposal extends OverrideTarget {
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
  skipped: (PatternKey & { organizationId: string | null; reason: string; proposal: Proposal | null })[];
}

export function confidenceOf(samples: number, stdScore: number, minSamples: number): Confidence {
  return confidenceFromStdErr(samples, stdErr(samples, stdScore), minSamples);
}

function confidenceFromStdErr(samples: number, se: number, minSamples: number): Confidence {
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

/** One model's feedback pooled over organizations (see the module comment for the weights). */
interface Pooled {
  modelId: string;
  samples: number;
  meanScore: number;
  stdErr: number;
  correctRate: number | null;
  organizations: number;
}

/** One organization's rows for one model merged (several provider codes can name one model). */
function merge(list: readonly FeedbackAggregate[]): { n: number; mean: number; std: number; judged: number; correct: number } {
  let n = 0, sum = 0, judged = 0, correct = 0;
  for (const r of list) {
    n += r.samples;
    sum += r.samples * r.meanScore;
    if (r.correctRate !== null) {
      judged += r.samples;
      correct += r.correctRate * r.samples;
    }
  }
  const mean = n > 0 ? sum / n : 0;
  let ss = 0;
  for (const r of list) ss += Math.max(0, r.samples - 1) * r.stdScore * r.stdScore + r.samples * (r.meanScore - mean) ** 2;
  return { n, mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, judged, correct };
}

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? (v[mid] ?? 0) : ((v[mid - 1] ?? 0) + (v[mid] ?? 0)) / 2;
}

/**
 * Pools the rows of one key by model, one vote per organization: the model's score is the MEDIAN
 * of the organizations' average scores, so one organization can move it at most to a neighbouring
 * organization's value, however many or extreme its scores. Samples add up; the standard error is
 * that of a mean of the organizations' means with weights min(n, cap), sqrt(sum(w^2 s^2 / n)) /
 * sum(w), which for one organization is the plain s / sqrt(n).
 */
function pool(rows: readonly FeedbackAggregate[], cap: number): Pooled[] {
  const byModel = new Map<string, Map<string, FeedbackAggregate[]>>();
  for (const r of rows) {
    if (r.samples <= 0) continue;
    const orgs = byModel.get(r.modelId) ?? new Map<string, FeedbackAggregate[]>();
    byModel.set(r.modelId, orgs);
    const list = orgs.get(r.organizationId);
    if (list) list.push(r);
    else orgs.set(r.organizationId, [r]);
  }
  const out: Pooled[] = [];
  for (const [modelId, orgs] of byModel) {
    const merged = [...orgs.values()].map(merge);
    let w = 0, v = 0, n = 0, judged = 0, correct = 0;
    for (const m of merged) {
      const weight = Math.min(m.n, Math.max(1, cap));
      w += weight;
      v += (weight * weight * m.std * m.std) / m.n;
      n += m.n;
      judged += m.judged;
      correct += m.correct;
    }
    out.push({
      modelId, samples: n, meanScore: median(merged.map((m) => m.mean)), stdErr: Math.sqrt(v) / w,
      correctRate: judged > 0 ? correct / judged : null, organizations: merged.length,
    });
  }
  return out;
}

type Decision =
  | { kind: "none"; reason: string }
  | { kind: "default"; reason: string; evidence: Proposal["evidence"] }
  | { kind: "override"; proposal: Proposal };

function evidenceOf(a: Pooled, price: ModelPrice | undefined, minSamples: number): ModelEvidence {
  return {
    modelId: a.modelId, samples: a.samples, avgScore: a.meanScore, stdErr: a.stdErr, correctRate: a.correctRate,
    price: price?.blendedPerMtok ?? null, currency: price?.currency ?? null, confidence: confidenceFromStdErr(a.samples, a.stdErr, minSamples),
    organizations: a.organizations,
  };
}

/** Cheaper first; ties -> higher score -> lower model id. */
function compareCandidates(a: ModelEvidence, b: ModelEvidence): number {
  const byPrice = new Dec(a.price ?? "0").comparedTo(b.price ?? "0");
  if (byPrice !== 0) return byPrice;
  if (a.avgScore !== b.avgScore) return b.avgScore - a.avgScore;
  return a.modelId < b.modelId ? -1 : a.modelId > b.modelId ? 1 : 0;
}

/** What every decision on one pattern needs: the pattern, its default model, the prices, the parameters. */
interface PatternScope {
  key: PatternKey;
  defaultId: string | null;
  prices: ReadonlyMap<string, ModelPrice>;
  params: LearnParams;
}

/** Rules 1-4 on pooled evidence; `organizationId` only labels the proposal. */
function decide({ key, defaultId, prices, params }: PatternScope, organizationId: string | null, rows: readonly Pooled[]): Decision {
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
      organizationId, ...key, modelId: best.modelId, confidence, samples: best.samples, avgScore: best.avgScore, correctRate: best.correctRate,
      evidence: { chosen: best, baseline, candidates, reason },
    },
  };
}

/** What a decision routes to: a model id, "default", or "none" (no decision). */
const outcomeOf = (d: Decision): string => (d.kind === "override" ? d.proposal.modelId : d.kind);

/**
 * The app-wide decision with its organization gates (module comment). `settled` = the decision
 * passed the gates, so organizations follow it; a gate that fails turns a change into "none"
 * (whatever app-wide override is active stays) and lets each organization decide on its own.
 */
function decideAppWide(
  scope: PatternScope, rows: readonly FeedbackAggregate[], current: ActiveOverride | undefined,
): { decision: Decision; settled: boolean } {
  const { params } = scope;
  const all = decide(scope, null, pool(rows, params.minSamples));
  if (params.minOrganizations <= 1 || all.kind === "none") return { decision: all, settled: all.kind !== "none" };
  const failed = gateFailure(scope, rows, all);
  if (!failed) return { decision: all, settled: true };
  // "The default is best" with no app-wide override active changes nothing app-wide.
  if (all.kind === "default" && !current) return { decision: all, settled: false };
  return { decision: { kind: "none", reason: failed }, settled: false };
}

/** Why an app-wide decision may not apply, or null when it may. */
function gateFailure(scope: PatternScope, rows: readonly FeedbackAggregate[], all: Decision): string | null {
  const { params } = scope;
  if (all.kind === "none") return all.reason;
  const evidence = all.kind === "override" ? all.proposal.evidence : all.evidence;
  const orgs = Math.min(evidence.chosen.organizations, evidence.baseline.organizations);
  if (orgs < params.minOrganizations) {
    return `app-wide needs feedback from ${params.minOrganizations} organizations on both models, has ${orgs}`;
  }
  for (const org of [...new Set(rows.map((r) => r.organizationId))].sort()) {
    const without = decide(scope, null, pool(rows.filter((r) => r.organizationId !== org), params.minSamples));
    if (outcomeOf(without) !== outcomeOf(all)) {
      return `app-wide not robust: without organization ${org}'s feedback the decision would be ${outcomeOf(without)}`;
    }
  }
  return null;
}

/** An organization's own decision as a proposal: an override, or back to the default model. */
function organizationProposal(d: Decision, defaultId: string | null, key: PatternKey, organizationId: string): Proposal | null {
  if (d.kind === "override") return d.proposal;
  if (d.kind === "none" || !defaultId) return null;
  const b = d.evidence.baseline;
  return {
    organizationId, ...key, modelId: defaultId, confidence: b.confidence, samples: b.samples, avgScore: b.avgScore, correctRate: b.correctRate,
    evidence: { ...d.evidence, reason: `${d.reason} for this organization` },
  };
}

const scopeKey = (appId: string, actionType: string, queryPattern: string, organizationId: string | null) =>
  key3(appId, actionType, queryPattern) + SEP + (organizationId ?? "");

/** One scope's outcome: the override active now, the one wanted (null: none), why, and whether "none" keeps the current one. */
interface ScopeOutcome {
  organizationId: string | null;
  current: ActiveOverride | undefined;
  wanted: Proposal | null;
  reason: string;
  keep: boolean;
}

function applyDecision(diff: LearnDiff, { key, params }: PatternScope, { organizationId, current, wanted, reason, keep }: ScopeOutcome): void {
  if (!wanted) {
    if (current && keep) diff.unchanged.push({ override: current, reason: `kept: ${reason}` });
    else if (current) diff.retired.push({ override: current, reason, evidence: null });
    else diff.skipped.push({ ...key, organizationId, reason, proposal: null });
    return;
  }
  if (CONFIDENCE_RANK[wanted.confidence] < CONFIDENCE_RANK[params.confidenceThreshold]) {
    const why = `confidence ${wanted.confidence} below threshold ${params.confidenceThreshold}`;
    if (current) diff.retired.push({ override: current, reason: why, evidence: wanted.evidence });
    else diff.skipped.push({ ...key, organizationId, reason: why, proposal: wanted });
  } else if (!current) {
    diff.added.push(wanted);
  } else if (current.modelId !== wanted.modelId || current.confidence !== wanted.confidence) {
    diff.changed.push({ from: current, to: wanted });
  } else {
    diff.unchanged.push({ override: current, reason: "same model and confidence" });
  }
}

export function learnOverrides(input: LearnInput): LearnDiff {
  const { params } = input;
  const prices = new Map(input.prices.map((p) => [p.modelId, p]));
  const defaults = new Map(input.defaults.map((d) => [key2(d.appId, d.actionType), d.modelId]));
  const active = new Map(input.overrides.map((o) => [scopeKey(o.appId, o.actionType, o.queryPattern, o.organizationId), o]));
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
    const { key, rows } = group;
    const defaultId = defaults.get(key2(key.appId, key.actionType)) ?? null;
    const scope: PatternScope = { key, defaultId, prices, params };

    // 1. App-wide.
    const globalKey = scopeKey(key.appId, key.actionType, key.queryPattern, null);
    const current = active.get(globalKey);
    active.delete(globalKey);
    const { decision: d, settled } = decideAppWide(scope, rows, current);
    const wanted = d.kind === "override" ? d.proposal : null;
    const reason = d.kind === "override" ? "" : d.reason;
    if (d.kind === "default" && current) diff.retired.push({ override: current, reason: d.reason, evidence: d.evidence });
    else applyDecision(diff, scope, { organizationId: null, current, wanted, reason, keep: d.kind === "none" });
    // The app-wide model after this run (null = the default rule's): what organizations get unless their own evidence differs.
    const retiredNow = diff.retired.some((r) => r.override === current);
    const appWide = wanted && CONFIDENCE_RANK[wanted.confidence] >= CONFIDENCE_RANK[params.confidenceThreshold]
      ? wanted.modelId : current && !retiredNow ? current.modelId : defaultId;

    // 2. Per organization, on its own feedback only.
    const organizations = [...new Set(rows.map((r) => r.organizationId))].sort();
    for (const org of organizations) {
      const orgKey = scopeKey(key.appId, key.actionType, key.queryPattern, org);
      const own = active.get(orgKey);
      active.delete(orgKey);
      if (settled) {
        // The app-wide decision stands on several organizations' evidence: everyone follows it.
        if (own) diff.retired.push({ override: own, reason: "an app-wide decision covers this organization", evidence: null });
        continue;
      }
      const od = decide(scope, org, pool(rows.filter((r) => r.organizationId === org), params.minSamples));
      const proposal = organizationProposal(od, defaultId, key, org);
      if (proposal && proposal.modelId === appWide) {
        // Same as what the organization gets anyway: no override of its own (retire an old one).
        if (own) diff.retired.push({ override: own, reason: "the organization's own decision equals the app-wide one", evidence: proposal.evidence });
        continue;
      }
      if (!proposal && !own) continue; // nothing to say for this organization
      applyDecision(diff, scope, { organizationId: org, current: own, wanted: proposal, reason: od.kind === "none" ? od.reason : "", keep: od.kind === "none" });
    }
  }
  // Active overrides of keys without feedback in the window: kept (no evidence either way).
  for (const o of active.values()) diff.unchanged.push({ override: o, reason: "kept: no feedback in the window" });
  return diff;
}

export function diffSummary(diff: LearnDiff): { added: number; changed: number; retired: number; unchanged: number; skipped: number } {
  return { added: diff.added.length, changed: diff.changed.length, retired: diff.retired.length, unchanged: diff.unchanged.length, skipped: diff.skipped.length };
}

/**
 * Feedback on a model whose provider has no real upstream (kind "mock", or an OpenAI-compatible
 * provider without a base URL) is never learned from, and such a model is never a candidate: a
 * tenant pinned to a mock model could otherwise score it 5/5 for free.
 */
export function learnableProvider(provider: Pick<SnapshotProvider, "kind" | "baseUrl">): boolean {
  if (provider.kind === "mock") return false;
  if (provider.kind === "openai_compatible" && !provider.baseUrl) return false;
  return true;
}
