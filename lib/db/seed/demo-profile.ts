/**
 * The shape of the synthetic traffic: who calls which action how often, with which pipeline
 * stages, token sizes and quality. Plain data, so it is typed and unit-tested here and handed to
 * the SQL generator (calls-sql.ts) as JSON: the rows themselves are generated in SQL, which keeps
 * 90 days of calls fast on PGlite.
 */

export interface CallMix {
  weight: number;
  stage: string | null;
  requestType: string | null;
  purpose: string;
  pattern: string | null;
  promptTokens: number;
  completionTokens: number;
  /** Share of the prompt served from the provider's cache, where the model has a cached price. */
  cachedShare: number;
  entity: "werkbon" | "contract" | "document" | "essay" | null;
}

export interface FallbackPrice {
  input: string;
  output: string;
  cached: string | null;
  currency: string;
}

export interface CallStream {
  id: string;
  /** Organization slug; null = calls nobody attributed (a background job without a tenant). */
  org: string | null;
  app: string;
  action: string;
  /** Requests on a weekday at the end of the window (growth 1.0 before the trend). */
  perDay: number;
  weekendFactor: number;
  startHour: number;
  spanHours: number;
  streamedShare: number;
  failureRate: number;
  /** Explicit model (bypasses routing); absent = resolved from llm_configurations. */
  model?: string;
  /** Provider of an explicit model that is not in the catalog. */
  provider?: string;
  /** Built-in fallback price for an explicit model without a database price. */
  fallbackPrice?: FallbackPrice;
  /** Only the last N days (a recent experiment). */
  sinceDaysAgo?: number;
  /** Share of calls whose provider returned no usage (tokens and cost unknown). */
  tokensMissingShare?: number;
  mixes: CallMix[];
}

export interface ModelProfile {
  code: string;
  version: string;
  firstTokenMs: number;
  msPerToken: number;
  /** Mean feedback score on easy patterns. */
  quality: number;
  /** Cheap models lose more on hard patterns (code, analysis, creative). */
  tier: "large" | "small";
}

export interface ErrorKind {
  weight: number;
  type: "rate_limited" | "upstream_5xx" | "timeout";
  httpStatus: number | null;
  minLatencyMs: number;
  maxLatencyMs: number;
}

const classificationMixes: CallMix[] = [
  { weight: 0.2, stage: "intake", requestType: "extract", purpose: "werkbon_intake", pattern: "extraction", promptTokens: 1800, completionTokens: 350, cachedShare: 0.5, entity: "werkbon" },
  // 2,500 in / 150 out is what the pilot guide's €0.975 vs €0.236 per 100 classifications implies.
  { weight: 0.7, stage: "classification", requestType: "classify", purpose: "werkbon_classification", pattern: "classification", promptTokens: 2500, completionTokens: 150, cachedShare: 0.6, entity: "werkbon" },
  { weight: 0.1, stage: "repair", requestType: "repair", purpose: "classification_repair", pattern: "analysis", promptTokens: 3200, completionTokens: 250, cachedShare: 0.4, entity: "werkbon" },
];

const contractMixes: CallMix[] = [
  { weight: 0.65, stage: "generation", requestType: "generate", purpose: "contract_draft", pattern: "creative", promptTokens: 6000, completionTokens: 2200, cachedShare: 0.4, entity: "contract" },
  { weight: 0.25, stage: "validation", requestType: "extract", purpose: "contract_validation", pattern: "extraction", promptTokens: 7000, completionTokens: 400, cachedShare: 0.4, entity: "contract" },
  { weight: 0.1, stage: "repair", requestType: "repair", purpose: "contract_repair", pattern: "analysis", promptTokens: 8000, completionTokens: 1200, cachedShare: 0.3, entity: "contract" },
];

const questionMixes: CallMix[] = [
  { weight: 0.5, stage: "generation", requestType: "generate", purpose: "student_question", pattern: "chat", promptTokens: 900, completionTokens: 350, cachedShare: 0.3, entity: null },
  { weight: 0.2, stage: "generation", requestType: "generate", purpose: "student_question", pattern: "analysis", promptTokens: 1500, completionTokens: 600, cachedShare: 0.3, entity: null },
  { weight: 0.15, stage: "generation", requestType: "generate", purpose: "student_question", pattern: "code", promptTokens: 1200, completionTokens: 700, cachedShare: 0.3, entity: null },
  { weight: 0.15, stage: "generation", requestType: "generate", purpose: "student_question", pattern: "translation", promptTokens: 600, completionTokens: 500, cachedShare: 0.2, entity: null },
];

const summaryMixes: CallMix[] = [
  { weight: 1, stage: "intake", requestType: "summarize", purpose: "document_summary", pattern: "summarization", promptTokens: 6000, completionTokens: 500, cachedShare: 0, entity: "document" },
];

const gradingMixes: CallMix[] = [
  { weight: 1, stage: "validation", requestType: "classify", purpose: "essay_grading", pattern: "analysis", promptTokens: 2500, completionTokens: 500, cachedShare: 0.5, entity: "essay" },
];

const werkbonHours = { startHour: 7, spanHours: 11 };
const studentHours = { startHour: 8, spanHours: 14 };

export const CALL_STREAMS: CallStream[] = [
  { id: "acme-classify", org: "acme", app: "werkbon-checker", action: "werkbon_classification", perDay: 140, weekendFactor: 0.2, ...werkbonHours, streamedShare: 0, failureRate: 0.02, mixes: classificationMixes },
  { id: "acme-contract", org: "acme", app: "werkbon-checker", action: "contract_generation", perDay: 10, weekendFactor: 0.1, ...werkbonHours, streamedShare: 0.6, failureRate: 0.02, mixes: contractMixes },
  { id: "wvc-classify", org: "wvc", app: "werkbon-checker", action: "werkbon_classification", perDay: 80, weekendFactor: 0.2, ...werkbonHours, streamedShare: 0, failureRate: 0.02, mixes: classificationMixes },
  { id: "wvc-contract", org: "wvc", app: "werkbon-checker", action: "contract_generation", perDay: 6, weekendFactor: 0.1, ...werkbonHours, streamedShare: 0.6, failureRate: 0.02, mixes: contractMixes },
  { id: "globex-classify", org: "globex", app: "werkbon-checker", action: "werkbon_classification", perDay: 40, weekendFactor: 0.2, ...werkbonHours, streamedShare: 0, failureRate: 0.02, mixes: classificationMixes },
  // Incomplete story 1: the nightly batch job passes no organization.
  { id: "nightly-reclassify", org: null, app: "werkbon-checker", action: "werkbon_classification", perDay: 10, weekendFactor: 1, startHour: 1, spanHours: 2, streamedShare: 0, failureRate: 0.02,
    mixes: [{ weight: 1, stage: "classification", requestType: "classify", purpose: "nightly_reclassification", pattern: "classification", promptTokens: 2500, completionTokens: 150, cachedShare: 0.6, entity: "werkbon" }] },
  { id: "acme-questions", org: "acme", app: "student-assistant", action: "answer_question", perDay: 35, weekendFactor: 0.5, ...studentHours, streamedShare: 0.8, failureRate: 0.02, mixes: questionMixes },
  { id: "globex-questions", org: "globex", app: "student-assistant", action: "answer_question", perDay: 110, weekendFactor: 0.5, ...studentHours, streamedShare: 0.8, failureRate: 0.02, mixes: questionMixes },
  { id: "acme-summaries", org: "acme", app: "student-assistant", action: "summarize_document", perDay: 15, weekendFactor: 0.5, ...studentHours, streamedShare: 0, failureRate: 0.02, mixes: summaryMixes },
  { id: "globex-summaries", org: "globex", app: "student-assistant", action: "summarize_document", perDay: 25, weekendFactor: 0.5, ...studentHours, streamedShare: 0, failureRate: 0.02, mixes: summaryMixes },
  { id: "globex-grading", org: "globex", app: "student-assistant", action: "grade_essay", perDay: 12, weekendFactor: 0.5, ...studentHours, streamedShare: 0, failureRate: 0.02, mixes: gradingMixes },
  // Incomplete story 2: an old client library sends neither stage nor type, and often no usage.
  { id: "legacy-chat", org: "acme", app: "student-assistant", action: "answer_question", perDay: 8, weekendFactor: 0.5, ...studentHours, streamedShare: 0, failureRate: 0.02, tokensMissingShare: 0.4,
    mixes: [{ weight: 1, stage: null, requestType: null, purpose: "legacy_chat", pattern: "chat", promptTokens: 800, completionTokens: 300, cachedShare: 0, entity: null }] },
  // A model the pricing table lacks, priced from the built-in fallback table.
  { id: "explicit-gemini", org: "globex", app: "student-assistant", action: "answer_question", perDay: 4, weekendFactor: 0.5, ...studentHours, streamedShare: 0.5, failureRate: 0,
    model: "gemini-2.5-flash", fallbackPrice: { input: "0.30", output: "2.50", cached: "0.075", currency: "USD" }, mixes: questionMixes },
  // Incomplete story 3: an experiment on a model nobody priced, so its cost is unknown.
  { id: "prompt-experiment", org: "globex", app: "student-assistant", action: "answer_question", perDay: 6, weekendFactor: 0.5, ...studentHours, streamedShare: 0, failureRate: 0,
    model: "mistral-medium-2508", provider: "mistral", sinceDaysAgo: 30,
    mixes: [{ weight: 1, stage: "generation", requestType: "generate", purpose: "prompt_experiment", pattern: "analysis", promptTokens: 1500, completionTokens: 600, cachedShare: 0, entity: null }] },
];

export const MODEL_PROFILES: ModelProfile[] = [
  { code: "claude-sonnet-4-20250514", version: "claude-sonnet-4-20250514", firstTokenMs: 900, msPerToken: 16, quality: 4.5, tier: "large" },
  { code: "claude-3-5-haiku-20241022", version: "claude-3-5-haiku-20241022", firstTokenMs: 400, msPerToken: 8, quality: 3.9, tier: "small" },
  { code: "mistral-large-latest", version: "mistral-large-2411", firstTokenMs: 450, msPerToken: 14, quality: 4.2, tier: "large" },
  { code: "mistral-small-latest", version: "mistral-small-2503", firstTokenMs: 250, msPerToken: 7, quality: 3.6, tier: "small" },
  { code: "mistral-medium-2508", version: "mistral-medium-2508", firstTokenMs: 400, msPerToken: 10, quality: 4.0, tier: "large" },
  { code: "gpt-4o", version: "gpt-4o-2024-08-06", firstTokenMs: 500, msPerToken: 13, quality: 4.3, tier: "large" },
  { code: "gpt-4o-mini", version: "gpt-4o-mini-2024-07-18", firstTokenMs: 350, msPerToken: 9, quality: 3.9, tier: "small" },
  { code: "gemini-2.0-flash", version: "gemini-2.0-flash-001", firstTokenMs: 300, msPerToken: 5, quality: 3.8, tier: "small" },
  { code: "gemini-2.5-flash", version: "gemini-2.5-flash", firstTokenMs: 450, msPerToken: 6, quality: 4.1, tier: "small" },
  { code: "meta-llama/llama-3.3-70b-instruct", version: "meta-llama/llama-3.3-70b-instruct", firstTokenMs: 550, msPerToken: 11, quality: 3.8, tier: "small" },
  { code: "mock-small", version: "mock-small", firstTokenMs: 5, msPerToken: 0.05, quality: 3, tier: "small" },
  { code: "mock-large", version: "mock-large", firstTokenMs: 5, msPerToken: 0.05, quality: 3, tier: "large" },
];

export const ERROR_KINDS: ErrorKind[] = [
  { weight: 0.45, type: "rate_limited", httpStatus: 429, minLatencyMs: 80, maxLatencyMs: 400 },
  { weight: 0.35, type: "upstream_5xx", httpStatus: 503, minLatencyMs: 300, maxLatencyMs: 2500 },
  // No HTTP status: the gateway gave up waiting (the provider's timeout_ms).
  { weight: 0.2, type: "timeout", httpStatus: null, minLatencyMs: 60000, maxLatencyMs: 60000 },
];

export const TRAFFIC = {
  /** Volume multiplier at the start and at the end of the window: the product is growing. */
  growthStart: 0.7,
  growthEnd: 1.2,
  /** Before this many days ago this app ran on its legacy model (routing not yet switched on). */
  legacyApp: "werkbon-checker",
  legacyBeforeDaysAgo: 76,
  /** A bad day at one provider, so the error-rate chart has a spike. */
  incident: { daysAgo: 23, provider: "mistral", failureRate: 0.25 },
  feedbackShare: 0.1,
  /** Comments on poor scores, picked deterministically. */
  lowScoreComments: [
    "Wrong category: this was preventive maintenance.",
    "Missed the warranty clause.",
    "Answer was off-topic.",
    "Invented a contract term that is not in the source.",
    "Too vague to use.",
  ],
} as const;

/** Adds [lo, hi) bounds so SQL can pick an item with one uniform draw. */
export function cumulative<T extends { weight: number }>(items: readonly T[]): (T & { lo: number; hi: number })[] {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  if (!(total > 0)) throw new Error("weights must add up to more than zero");
  let acc = 0;
  return items.map((item, index) => {
    const lo = acc / total;
    acc += item.weight;
    // The last bound is exactly 1 so a draw just below 1 never falls through a rounding gap.
    const hi = index === items.length - 1 ? 1 : acc / total;
    return { ...item, lo, hi };
  });
}
