import type { Confidence, LearnDiff, ModelEvidence, Proposal } from "@/lib/engine/learn";
import type { ConfigSnapshot } from "@/lib/engine/snapshot";
import type { RetrainResult } from "./retrain";

/**
 * A retrain result as the Feedback page shows it: ids replaced by app and model names, and per
 * change the evidence a reviewer needs (samples, average score, blended price of the chosen model
 * against the default's). Pure: the snapshot the retrain ran on supplies the names.
 */
export interface EvidenceView {
  model: string;
  samples: number;
  avgScore: number;
  correctRate: number | null;
  /** Blended price per million tokens, decimal string; null when the model has none. */
  price: string | null;
  currency: string | null;
}

export interface RetrainChange {
  kind: "added" | "changed" | "retired";
  /** null = app-wide; else the organization whose own feedback produced it (and whose calls it routes). */
  organization: string | null;
  app: string;
  actionType: string;
  queryPattern: string;
  /** added: the default rule's model; changed: the override being replaced; retired: the override. */
  fromModel: string;
  /** added/changed: the new override; retired: routing falls back to the default rule. */
  toModel: string;
  confidence: Confidence;
  reason: string;
  chosen: EvidenceView | null;
  baseline: EvidenceView | null;
}

export interface RetrainView {
  runId: string | null;
  dryRun: boolean;
  params: RetrainResult["params"];
  summary: RetrainResult["summary"];
  changes: RetrainChange[];
  /** Patterns with feedback that produced no change, and why (first SKIPPED_SHOWN). */
  skipped: { organization: string | null; app: string; actionType: string; queryPattern: string; reason: string }[];
}

export const SKIPPED_SHOWN = 20;

export function toRetrainView(result: RetrainResult, snapshot: ConfigSnapshot): RetrainView {
  const appName = (id: string) => snapshot.data.apps.find((a) => a.id === id)?.name ?? id;
  const orgName = (id: string | null) => (id === null ? null : (snapshot.organizationsById.get(id)?.name ?? id));
  const modelName = (id: string) => {
    const m = snapshot.modelsById.get(id);
    return m ? m.displayName || m.modelCode : id;
  };
  const evidence = (e: ModelEvidence | undefined): EvidenceView | null =>
    e ? { model: modelName(e.modelId), samples: e.samples, avgScore: e.avgScore, correctRate: e.correctRate, price: e.price, currency: e.currency } : null;
  const fromProposal = (p: Proposal, kind: "added" | "changed", fromModelId: string): RetrainChange => ({
    kind, organization: orgName(p.organizationId), app: appName(p.appId), actionType: p.actionType, queryPattern: p.queryPattern,
    fromModel: modelName(fromModelId), toModel: modelName(p.modelId), confidence: p.confidence,
    // The engine's reason names models by id; a reviewer needs their names.
    reason: p.evidence.reason.replaceAll(p.modelId, modelName(p.modelId)),
    chosen: evidence(p.evidence.chosen), baseline: evidence(p.evidence.baseline),
  });
  const diff: LearnDiff = result.diff;
  const changes: RetrainChange[] = [
    ...diff.added.map((p) => fromProposal(p, "added", p.evidence.baseline.modelId)),
    ...diff.changed.map((c) => fromProposal(c.to, "changed", c.from.modelId)),
    ...diff.retired.map((r) => ({
      kind: "retired" as const, organization: orgName(r.override.organizationId), app: appName(r.override.appId), actionType: r.override.actionType, queryPattern: r.override.queryPattern,
      fromModel: modelName(r.override.modelId), toModel: r.evidence ? modelName(r.evidence.baseline.modelId) : "the default rule",
      confidence: r.override.confidence, reason: r.reason, chosen: evidence(r.evidence?.chosen), baseline: evidence(r.evidence?.baseline),
    })),
  ];
  return {
    runId: result.runId,
    dryRun: result.dryRun,
    params: result.params,
    summary: result.summary,
    changes,
    skipped: diff.skipped.slice(0, SKIPPED_SHOWN).map((s) => ({ organization: orgName(s.organizationId), app: appName(s.appId), actionType: s.actionType, queryPattern: s.queryPattern, reason: s.reason })),
  };
}
