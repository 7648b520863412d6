/**
 * npm run sim:learning: a reproducible check of the retrain rules on synthetic traffic where each
 * model's TRUE quality per query pattern is known. Pure engine, in memory, seeded PRNG.
 *
 * 1. Exploration: every model serves SAMPLES requests per pattern; feedback = true quality plus
 *    Gaussian noise, rounded and clamped to 1-5 (what users give).
 * 2. learnOverrides() against the default model (premium) with the production rules.
 * 3. Production traffic routed before (default only) and after (learned overrides): cost from the
 *    exact price function, quality = the chosen model's true quality, traffic-weighted.
 * Exits 1 when the worse-but-cheaper model is chosen anywhere, or when average true quality falls
 * by more than the tolerance (or any pattern's chosen model is truly worse than tolerance allows).
 */
import { blendedPrice, learnOverrides, type FeedbackAggregate, type LearnParams } from "@/lib/engine/learn";
import { Dec, priceUsage } from "@/lib/engine/price";
import type { PriceRow } from "@/lib/engine/types";

const SEED = Number(process.env.SIM_SEED ?? 20261124);
const SAMPLES = 400;
const NOISE_STD = 0.9;
const PARAMS: LearnParams = { minSamples: 30, tolerance: 0.2, confidenceThreshold: "medium" };
const APP = "sim-app";
const ACTION = "assist";
const DEFAULT = "premium";
const WORSE_CHEAPER = "cheapo";

const MODELS: Record<string, PriceRow> = {
  premium: { inputPerMtok: "3.00", outputPerMtok: "15.00", cachedInputPerMtok: null, cacheWritePerMtok: null, reasoningPerMtok: null, currency: "USD" },
  mid: { inputPerMtok: "0.80", outputPerMtok: "4.00", cachedInputPerMtok: null, cacheWritePerMtok: null, reasoningPerMtok: null, currency: "USD" },
  budget: { inputPerMtok: "0.15", outputPerMtok: "0.60", cachedInputPerMtok: null, cacheWritePerMtok: null, reasoningPerMtok: null, currency: "USD" },
  cheapo: { inputPerMtok: "0.05", outputPerMtok: "0.10", cachedInputPerMtok: null, cacheWritePerMtok: null, reasoningPerMtok: null, currency: "USD" },
};

/** True mean score (1-5) per pattern and model. cheapo is cheap and clearly worse everywhere. */
const TRUTH: Record<string, Record<string, number>> = {
  classification: { premium: 4.6, mid: 4.55, budget: 4.5, cheapo: 3.9 },
  extraction: { premium: 4.5, mid: 4.45, budget: 4.4, cheapo: 3.7 },
  summarization: { premium: 4.5, mid: 4.4, budget: 4.1, cheapo: 3.5 },
  code: { premium: 4.6, mid: 4.25, budget: 3.6, cheapo: 2.5 },
  creative: { premium: 4.7, mid: 4.2, budget: 3.8, cheapo: 3.0 },
};

/** Production mix: share of calls and typical tokens per call, per pattern. */
const TRAFFIC: Record<string, { share: number; prompt: number; completion: number }> = {
  classification: { share: 0.4, prompt: 800, completion: 50 },
  extraction: { share: 0.2, prompt: 1500, completion: 300 },
  summarization: { share: 0.15, prompt: 3000, completion: 400 },
  code: { share: 0.15, prompt: 1200, completion: 800 },
  creative: { share: 0.1, prompt: 300, completion: 900 },
};
const PRODUCTION_CALLS = 100_000;

/** mulberry32: small, fast, good enough for simulation, and the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

function explore(rand: () => number): FeedbackAggregate[] {
  const out: FeedbackAggregate[] = [];
  for (const [pattern, byModel] of Object.entries(TRUTH)) {
    for (const [model, truth] of Object.entries(byModel)) {
      const scores = Array.from({ length: SAMPLES }, () => Math.min(5, Math.max(1, Math.round(truth + NOISE_STD * gaussian(rand)))));
      const mean = scores.reduce((s, x) => s + x, 0) / scores.length;
      const variance = scores.reduce((s, x) => s + (x - mean) ** 2, 0) / (scores.length - 1);
      out.push({
        appId: APP, actionType: ACTION, queryPattern: pattern, modelId: model, samples: scores.length, meanScore: mean,
        stdScore: Math.sqrt(variance), correctRate: scores.filter((x) => x >= 4).length / scores.length,
      });
    }
  }
  return out;
}

function costOf(model: string, pattern: string): Dec {
  const t = TRAFFIC[pattern];
  const row = MODELS[model];
  if (!t || !row) throw new Error(`unknown ${model}/${pattern}`);
  const cost = priceUsage({ promptTokens: t.prompt, completionTokens: t.completion, cachedTokens: 0, reasoningTokens: 0, totalTokens: null }, row);
  return new Dec(cost ?? "0");
}

function main(): number {
  const started = Date.now();
  const aggregates = explore(prng(SEED));
  const diff = learnOverrides({
    aggregates,
    defaults: [{ appId: APP, actionType: ACTION, modelId: DEFAULT }],
    prices: Object.entries(MODELS).map(([modelId, row]) => ({ modelId, blendedPerMtok: blendedPrice(row), currency: row.currency })),
    overrides: [],
    params: PARAMS,
  });
  const chosen = new Map(diff.added.map((p) => [p.queryPattern, p]));

  let costBefore = new Dec(0);
  let costAfter = new Dec(0);
  let qualityBefore = 0;
  let qualityAfter = 0;
  let failures: string[] = [];
  const rows: string[][] = [];
  for (const [pattern, t] of Object.entries(TRAFFIC)) {
    const calls = Math.round(PRODUCTION_CALLS * t.share);
    const override = chosen.get(pattern);
    const model = override?.modelId ?? DEFAULT;
    const truth = TRUTH[pattern] ?? {};
    const qDefault = truth[DEFAULT] ?? 0;
    const qChosen = truth[model] ?? 0;
    const before = costOf(DEFAULT, pattern).times(calls);
    const after = costOf(model, pattern).times(calls);
    costBefore = costBefore.plus(before);
    costAfter = costAfter.plus(after);
    qualityBefore += qDefault * t.share;
    qualityAfter += qChosen * t.share;
    if (model === WORSE_CHEAPER) failures.push(`${pattern}: the worse-but-cheaper model ${WORSE_CHEAPER} was chosen`);
    if (qChosen < qDefault - PARAMS.tolerance - 1e-9) failures.push(`${pattern}: ${model} is truly ${(qDefault - qChosen).toFixed(2)} worse than ${DEFAULT}`);
    const drop = before.isZero() ? "0" : new Dec(1).minus(after.div(before)).times(100).toFixed(1);
    rows.push([
      pattern, String(calls), model, override?.confidence ?? "-", override ? override.avgScore.toFixed(2) : "-",
      qDefault.toFixed(2), qChosen.toFixed(2), before.toFixed(2), after.toFixed(2), `${drop} %`,
    ]);
  }
  const dropPct = new Dec(1).minus(costAfter.div(costBefore)).times(100);
  const qualityDelta = qualityAfter - qualityBefore;
  if (qualityDelta < -PARAMS.tolerance) failures = [...failures, `average true quality fell by ${(-qualityDelta).toFixed(3)} > tolerance ${PARAMS.tolerance}`];

  const header = ["pattern", "calls", "chosen", "conf", "obs avg", "true def", "true new", "cost before $", "cost after $", "drop"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  console.log(`sim:learning seed=${SEED} samples/model/pattern=${SAMPLES} noise sd=${NOISE_STD} minSamples=${PARAMS.minSamples} tolerance=${PARAMS.tolerance} threshold=${PARAMS.confidenceThreshold}`);
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
  console.log("");
  console.log(`skipped: ${diff.skipped.map((s) => `${s.queryPattern} (${s.reason})`).join("; ") || "none"}`);
  console.log(`cost for ${PRODUCTION_CALLS} calls: $${costBefore.toFixed(2)} → $${costAfter.toFixed(2)} (drop ${dropPct.toFixed(1)} %)`);
  console.log(`average true quality: ${qualityBefore.toFixed(3)} → ${qualityAfter.toFixed(3)} (delta ${qualityDelta >= 0 ? "+" : ""}${qualityDelta.toFixed(3)}, tolerance ${PARAMS.tolerance})`);
  console.log(`worse-but-cheaper model (${WORSE_CHEAPER}) chosen: ${[...chosen.values()].some((p) => p.modelId === WORSE_CHEAPER) ? "YES" : "no"}`);
  console.log(`done in ${Date.now() - started} ms`);
  if (failures.length > 0) {
    for (const f of failures) console.error(`FAIL ${f}`);
    return 1;
  }
  console.log("OK");
  return 0;
}

process.exit(main());
