import { blendedPrice, learnableProvider, type FeedbackAggregate, type LearnParams, type ModelPrice } from "@/lib/engine/learn";
import { effectivePriceRow } from "@/lib/engine/price";
import { readNumber, readString, type SettingContext } from "@/lib/engine/settings";
import { findModelByCode, key2, usableModel, type ConfigSnapshot } from "@/lib/engine/snapshot";

/**
 * The pure side of a retrain (lib/learning/retrain.ts runs it): its parameters from the options
 * and the learning.* settings, feedback aggregate rows matched to the catalog, and the prices in
 * force. The rows come from lib/db/retrain.ts; nothing here does I/O.
 */

export const DEFAULT_MIN_SAMPLES = 20;
export const DEFAULT_TOLERANCE = 0.2;
export const DEFAULT_WINDOW_DAYS = 30;
export const DEFAULT_MIN_ORGANIZATIONS = 3;

export interface RetrainOptions {
  dryRun: boolean;
  minSamples?: number;
  tolerance?: number;
  confidenceThreshold?: LearnParams["confidenceThreshold"];
  minOrganizations?: number;
  windowDays?: number;
  /** Limit to one app (an app key's retrain); null = every app. */
  appId?: string | null;
  trigger: "manual" | "cron" | "api";
  actorId?: string | null;
  now?: number;
}

function isConfidence(v: string | null): v is LearnParams["confidenceThreshold"] {
  return v === "low" || v === "medium" || v === "high";
}

/** Explicit parameters win; else the settings (app scope when one app is retrained); else defaults. */
export function resolveParams(snapshot: ConfigSnapshot, opts: RetrainOptions): LearnParams {
  const ctx: SettingContext = { appId: opts.appId ?? null, organizationId: null };
  const min = readString(snapshot, "learning.min_confidence", ctx).value;
  return {
    minSamples: opts.minSamples ?? Math.max(1, Math.round(readNumber(snapshot, "learning.min_samples", ctx, DEFAULT_MIN_SAMPLES).value)),
    tolerance: opts.tolerance ?? readNumber(snapshot, "learning.quality_tolerance", ctx, DEFAULT_TOLERANCE).value,
    confidenceThreshold: opts.confidenceThreshold ?? (isConfidence(min) ? min : "high"),
    minOrganizations: opts.minOrganizations
      ?? Math.max(1, Math.round(readNumber(snapshot, "learning.min_organizations", ctx, DEFAULT_MIN_ORGANIZATIONS).value)),
  };
}

type FeedbackKeyColumn = "organization_id" | "app_id" | "action_type" | "query_pattern" | "provider_code" | "model_code";

/** One production_feedback group (organization, app, action, pattern, provider, model) as SQL returns it. */
export type FeedbackAggregateRow = Record<FeedbackKeyColumn, string | null> & { n: number; mean: number; std: number; correct: number | null };

/** Aggregate rows → the engine's aggregates, for models still in the catalog with a real upstream. */
export function aggregatesFrom(snapshot: ConfigSnapshot, rows: readonly FeedbackAggregateRow[]): FeedbackAggregate[] {
  const out: FeedbackAggregate[] = [];
  for (const r of rows) {
    if (!r.organization_id || !r.app_id || !r.action_type || !r.query_pattern || !r.model_code) continue;
    const model = (r.provider_code ? snapshot.modelsByProviderCode.get(key2(r.provider_code, r.model_code)) : null) ?? findModelByCode(snapshot, r.model_code);
    // Feedback on a model no longer in the catalog cannot become an override; feedback on a
    // mock (no real upstream) model is neither evidence nor a candidate.
    const provider = model ? snapshot.providersById.get(model.providerId) : undefined;
    if (!model || !provider || !learnableProvider(provider)) continue;
    out.push({
      organizationId: r.organization_id, appId: r.app_id, actionType: r.action_type, queryPattern: r.query_pattern, modelId: model.id,
      samples: Number(r.n), meanScore: Number(r.mean), stdScore: Number(r.std), correctRate: r.correct === null ? null : Number(r.correct),
    });
  }
  return out;
}

/** Blended prices in force now, for models the gateway can call with a real upstream (others are never proposed). */
export function modelPrices(snapshot: ConfigSnapshot, at: number): ModelPrice[] {
  const out: ModelPrice[] = [];
  for (const m of snapshot.data.models) {
    const usable = usableModel(snapshot, m.id);
    if (typeof usable === "string" || !learnableProvider(usable.provider)) continue;
    const row = effectivePriceRow(snapshot, m.id, at);
    if (row) out.push({ modelId: m.id, blendedPerMtok: blendedPrice(row), currency: row.currency });
  }
  return out;
}
