/**
 * npm run sim:learning: a reproducible check of the retrain rules on synthetic traffic where each
 * model's TRUE quality per query pattern is known. Pure engine, in memory, seeded PRNG.
 *
 * 1. Exploration: every model serves SAMPLES requests per pattern, spread evenly over ORGS
 *    organizations; feedback = true quality plus Gaussian noise, rounded and clamped to 1-5.
 * 2. learnOverrides() against the default model (premium) with the production rules, including
 *    the organization gates (app-wide needs MIN_ORGS organizations and leave-one-out agreement).
 * 3. Production traffic (spread evenly over the organizations) routed before (default only) and
 *    after (each organization's own override, else the app-wide one): cost from the exact price
 *    function, quality = the chosen model's true quality, traffic-weighted.
 * 4. The attack of issue 9: one more organization posts ATTACK_SCORES five-star scores for the
 *    worse-but-cheaper model and one-star scores for the default on every pattern.
 * Exits 1 when the worse-but-cheaper model is chosen for an honest organization, when average true
 * quality falls by more than the tolerance (or any pattern's chosen model is truly worse than
 * tolerance allows), or when the attacker changes any app-wide decision.
 */
import { blendedPrice, learnOverrides, type FeedbackAggregate, type LearnParams, type Proposal } from "@/lib/engine/learn";
import { Dec, priceUsage } from "@/lib/engine/price";
import type { PriceRow } from "@/lib/engine/types";

const SEED = Number(process.env.SIM_SEED ?? 20261124);
const SAMPLES = 400;
const NOISE_STD = 0.9;
const PARAMS: LearnParams = { minSamples: 30, tolerance: 0.2, confidenceThreshold: "medium", minOrganizations: 3 };
const ORGS = ["org-1", "org-2", "org-3", "org-4", "org-5"];
const ATTACKER = "attacker";
const ATTACK_SCORES = 60;
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

function aggregate(org: string, pattern: string, model: string, scores: number[]): FeedbackAggregate {
  const mean = scores.reduce((sum, x) => sum + x, 0) / scores.length;
  const variance = scores.length > 1 ? scores.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (scores.length - 1) : 0;
  return {
    organizationId: org, appId: APP, actionType: ACTION, queryPattern: pattern, modelId: model, samples: scores.length, meanScore: mean,
    stdScore: Math.sqrt(variance), correctRate: scores.filter((x) => x >= 4).length / scores.length,
  };
}

function explore(rand: () => number): FeedbackAggregate[] {
  const out: FeedbackAggregate[] = [];
  const perOrg = Math.floor(SAMPLES / ORGS.length);
  for (const [pattern, byModel] of Object.entries(TRUTH)) {
    for (const [model, truth] of Object.entries(byModel)) {
      for (const org of ORGS) {
        const scores = Array.from({ length: perOrg }, () => Math.min(5, Math.max(1, Math.round(truth + NOISE_STD * gaussian(rand)))));
        out.push(aggregate(org, pattern, model, scores));
      }
    }
  }
  return out;
}

/** The attacker: 5/5 for the worse-but-cheaper model, 1/5 for the default, on every pattern. */
function attack(): FeedbackAggregate[] {
  return Object.keys(TRUTH).flatMap((pattern) => [
    aggregate(ATTACKER, pattern, WORSE_CHEAPER, Array.from({ length: ATTACK_SCORES }, () => 5)),
    aggregate(ATTACKER, pattern, DEFAULT, Array.from({ length: ATTACK_SCORES }, () => 1)),
  ]);
}

function learn(aggregates: FeedbackAggregate[]) {
  return learnOverrides({
    aggregates,
    defaults: [{ appId: APP, actionType: ACTION, modelId: DEFAULT }],
    prices: Object.entries(MODELS).map(([modelId, row]) => ({ modelId, blendedPerMtok: blendedPrice(row), currency: row.currency })),
    overrides: [],
    params: PARAMS,
  });
}

/** pattern -> model for app-wide overrides; org + pattern -> model for organizations' own. */
function routing(diff: ReturnType<typeof learn>) {
  const appWide = new Map<string, Proposal>();
  const own = new Map<string, Proposal>();
  for (const p of diff.added) {
    if (p.organizationId === null) appWide.set(p.queryPattern, p);
    else own.set(`${p.organizationId}/${p.queryPattern}`, p);
  }
  return { appWide, own };
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
  const diff = learn(aggregates);
  const { appWide: chosen, own } = routing(diff);
  const attacked = routing(learn([...aggregates, ...attack()]));
  let costBefore = new Dec(0);
  let costAfter = new Dec(0);
  let qualityBefore = 0;
  let qualityAfter = 0;
  let failures: string[] = [];
  const rows: string[][] = [];
  for (const [pattern, t] of Object.entries(TRAFFIC)) {
    const calls = Math.round(PRODUCTION_CALLS * t.share);
    const override = chosen.get(pattern);
    const truth = TRUTH[pattern] ?? {};
    const qDefault = truth[DEFAULT] ?? 0;
    let before = new Dec(0);
    let after = new Dec(0);
    let qChosenSum = 0;
    const models = new Set<string>();
    for (const org of ORGS) {
      const orgCalls = calls / ORGS.length;
      const model = own.get(`${org}/${pattern}`)?.modelId ?? override?.modelId ?? DEFAULT;
      models.add(model);
      const qChosen = truth[model] ?? 0;
      before = before.plus(costOf(DEFAULT, pattern).times(orgCalls));
      after = after.plus(costOf(model, pattern).times(orgCalls));
      qChosenSum += qChosen / ORGS.length;
      if (model === WORSE_CHEAPER) failures.push(`${pattern}: the worse-but-cheaper model ${WORSE_CHEAPER} was chosen for ${org}`);
      if (qChosen < qDefault - PARAMS.tolerance - 1e-9) failures.push(`${pattern}: ${model} (${org}) is truly ${(qDefault - qChosen).toFixed(2)} worse than ${DEFAULT}`);
    }
    costBefore = costBefore.plus(before);
    costAfter = costAfter.plus(after);
    qualityBefore += qDefault * t.share;
    qualityAfter += qChosenSum * t.share;
    const attackedModel = attacked.appWide.get(pattern)?.modelId ?? DEFAULT;
    if (attackedModel !== (override?.modelId ?? DEFAULT)) failures.push(`${pattern}: the attacker moved the app-wide model to ${attackedModel}`);
    const drop = before.isZero() ? "0" : new Dec(1).minus(after.div(before)).times(100).toFixed(1);
    rows.push([
      pattern, String(calls), override?.modelId ?? DEFAULT, override?.confidence ?? "-", override ? override.avgScore.toFixed(2) : "-",
      String([...own.keys()].filter((k) => k.endsWith(`/${pattern}`)).length), attackedModel,
      qDefault.toFixed(2), qChosenSum.toFixed(2), before.toFixed(2), after.toFixed(2), `${drop} %`,
    ]);
  }
  const dropPct = new Dec(1).minus(costAfter.div(costBefore)).times(100);
  const qualityDelta = qualityAfter - qualityBefore;
  if (qualityDelta < -PARAMS.tolerance) failures = [...failures, `average true quality fell by ${(-qualityDelta).toFixed(3)} > tolerance ${PARAMS.tolerance}`];

  const header = ["pattern", "calls", "app-wide", "conf", "obs avg", "org own", "attacked", "true def", "true new", "cost before $", "cost after $", "drop"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  console.log(`sim:learning seed=${SEED} samples/model/pattern=${SAMPLES} over ${ORGS.length} organizations, noise sd=${NOISE_STD} minSamples=${PARAMS.minSamples} tolerance=${PARAMS.tolerance} threshold=${PARAMS.confidenceThreshold} minOrganizations=${PARAMS.minOrganizations}`);
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
  console.log("");
  console.log(`skipped: ${diff.skipped.map((s) => `${s.queryPattern}${s.organizationId ? ` [${s.organizationId}]` : ""} (${s.reason})`).join("; ") || "none"}`);
  console.log(`organizations' own overrides: ${own.size}${own.size > 0 ? ` (${[...own.entries()].map(([k, p]) => `${k} → ${p.modelId}`).join(", ")})` : ""}`);
  const attackerOwn = [...attacked.own.entries()].filter(([k]) => k.startsWith(`${ATTACKER}/`)).map(([k, p]) => `${k} → ${p.modelId}`);
  console.log(`attack (${ATTACK_SCORES}× 5/5 for ${WORSE_CHEAPER}, 1/5 for ${DEFAULT}, one organization): app-wide decisions changed: ${failures.some((f) => f.includes("attacker")) ? "YES" : "no"}; attacker's own overrides: ${attackerOwn.join(", ") || "none"}`);
  console.log(`cost for ${PRODUCTION_CALLS} calls: $${costBefore.toFixed(2)} → $${costAfter.toFixed(2)} (drop ${dropPct.toFixed(1)} %)`);
  console.log(`average true quality: ${qualityBefore.toFixed(3)} → ${qualityAfter.toFixed(3)} (delta ${qualityDelta >= 0 ? "+" : ""}${qualityDelta.toFixed(3)}, tolerance ${PARAMS.tolerance})`);
  const cheapoChosen = [...chosen.values(), ...own.values()].some((p) => p.modelId === WORSE_CHEAPER);
  console.log(`worse-but-cheaper model (${WORSE_CHEAPER}) chosen for an honest organization: ${cheapoChosen ? "YES" : "no"}`);
  console.log(`done in ${Date.now() - started} ms`);
  if (failures.length > 0) {
    for (const f of failures) console.error(`FAIL ${f}`);
    return 1;
  }
  console.log("OK");
  return 0;
}

process.exit(main());
