import { errorMessage } from "@/lib/errors";
import { sql, type Kysely } from "kysely";
import type { DB } from "@/lib/db/schema";
import {
  blendedPrice, defaultModelOf, diffSummary, learnableProvider, learnOverrides,
  type ActiveOverride, type FeedbackAggregate, type LearnDiff, type LearnInput, type LearnParams, type ModelPrice, type Proposal,
} from "@/lib/engine/learn";
import { effectivePriceRow } from "@/lib/engine/price";
import { readNumber, readString, type SettingContext } from "@/lib/engine/settings";
import { findModelByCode, key2, usableModel, type ConfigSnapshot } from "@/lib/engine/snapshot";

/**
 * The retrain job: feedback aggregates, prices in force, default rules and active overrides in;
 * the engine's diff out; on a real run, one transaction that retires and activates overrides.
 * Runs on the SERVICE path (a job, not a user's read); callers authorize before calling.
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

export interface RetrainResult {
  runId: string | null;
  dryRun: boolean;
  params: LearnParams & { windowDays: number; appId: string | null };
  summary: ReturnType<typeof diffSummary>;
  diff: LearnDiff;
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

export async function loadAggregates(db: Kysely<DB>, snapshot: ConfigSnapshot, since: Date, appId: string | null): Promise<FeedbackAggregate[]> {
  let q = db
    .selectFrom("production_feedback")
    .select((eb) => [
      "organization_id", "app_id", "action_type", "query_pattern", "provider_code", "model_code",
      eb.fn.countAll<number>().as("n"),
      sql<number>`avg(quality_score)::float8`.as("mean"),
      sql<number>`coalesce(stddev_samp(quality_score), 0)::float8`.as("std"),
      sql<number | null>`avg(case when is_correct then 1.0 when not is_correct then 0.0 end)::float8`.as("correct"),
    ])
    .where("created_at", ">=", since)
    // Feedback on calls without an organization is nobody's vote: it is not learned from.
    .where("organization_id", "is not", null)
    .where("app_id", "is not", null).where("action_type", "is not", null).where("query_pattern", "is not", null).where("model_code", "is not", null)
    .groupBy(["organization_id", "app_id", "action_type", "query_pattern", "provider_code", "model_code"]);
  if (appId) q = q.where("app_id", "=", appId);
  const rows = await q.execute();
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

export async function loadActiveOverrides(db: Kysely<DB>, appId: string | null): Promise<ActiveOverride[]> {
  let q = db.selectFrom("learning_overrides").select(["id", "organization_id", "app_id", "action_type", "query_pattern", "model_id", "confidence"]).where("active", "=", true);
  if (appId) q = q.where("app_id", "=", appId);
  const rows = await q.execute();
  return rows.map((o) => ({ id: o.id, organizationId: o.organization_id, appId: o.app_id, actionType: o.action_type, queryPattern: o.query_pattern, modelId: o.model_id, confidence: o.confidence }));
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

export async function loadLearnInput(db: Kysely<DB>, snapshot: ConfigSnapshot, opts: RetrainOptions): Promise<LearnInput> {
  const now = opts.now ?? Date.now();
  const appId = opts.appId ?? null;
  const since = new Date(now - (opts.windowDays ?? DEFAULT_WINDOW_DAYS) * 86_400_000);
  const [aggregates, overrides] = await Promise.all([loadAggregates(db, snapshot, since, appId), loadActiveOverrides(db, appId)]);
  const defaults = new Map<string, { appId: string; actionType: string; modelId: string }>();
  for (const a of aggregates) {
    const modelId = defaultModelOf(snapshot, a.appId, a.actionType);
    if (modelId) defaults.set(key2(a.appId, a.actionType), { appId: a.appId, actionType: a.actionType, modelId });
  }
  return { aggregates, overrides, defaults: [...defaults.values()], prices: modelPrices(snapshot, now), params: resolveParams(snapshot, opts) };
}

function overrideRow(p: Proposal, runId: string) {
  return {
    organization_id: p.organizationId, app_id: p.appId, action_type: p.actionType, query_pattern: p.queryPattern, model_id: p.modelId, confidence: p.confidence,
    samples: p.samples, avg_score: p.avgScore.toFixed(4), correctness_rate: p.correctRate === null ? null : p.correctRate.toFixed(4),
    evidence: JSON.stringify(p.evidence), active: true, run_id: runId,
  };
}

/**
 * A dry run computes the diff and writes nothing (not even a run row). A real run records a
 * retrain_runs row (running → succeeded | failed) and applies the diff in ONE transaction, so the
 * gateway (which polls config_version, bumped by the audit trigger) never sees half a retrain.
 */
export async function runRetrain(db: Kysely<DB>, snapshot: ConfigSnapshot, opts: RetrainOptions): Promise<RetrainResult> {
  const input = await loadLearnInput(db, snapshot, opts);
  const diff = learnOverrides(input);
  const params = { ...input.params, windowDays: opts.windowDays ?? DEFAULT_WINDOW_DAYS, appId: opts.appId ?? null };
  const summary = diffSummary(diff);
  if (opts.dryRun) return { runId: null, dryRun: true, params, summary, diff };

  const run = await db
    .insertInto("retrain_runs")
    .values({ trigger: opts.trigger, dry_run: false, actor_id: opts.actorId ?? null, params: JSON.stringify(params) })
    .returning("id")
    .executeTakeFirstOrThrow();
  try {
    await db.transaction().execute(async (tx) => {
      const retire = [...diff.retired.map((r) => r.override.id), ...diff.changed.map((c) => c.from.id)];
      if (retire.length > 0) await tx.updateTable("learning_overrides").set({ active: false }).where("id", "in", retire).execute();
      const activate = [...diff.added, ...diff.changed.map((c) => c.to)];
      if (activate.length > 0) await tx.insertInto("learning_overrides").values(activate.map((p) => overrideRow(p, run.id))).execute();
    });
    await db.updateTable("retrain_runs")
      .set({ status: "succeeded", finished_at: new Date(), diff: JSON.stringify(diff), summary: JSON.stringify(summary) })
      .where("id", "=", run.id).execute();
  } catch (err) {
    const message = errorMessage(err);
    await db.updateTable("retrain_runs").set({ status: "failed", finished_at: new Date(), summary: JSON.stringify({ error: message.slice(0, 500) }) }).where("id", "=", run.id).execute();
    throw err;
  }
  return { runId: run.id, dryRun: false, params, summary, diff };
}
