import { sql, type Kysely } from "kysely";
import { decodeCursor, encodeCursor, utcDaysAround, withDefaultRange, zoneOrganization, type CallFilters } from "@/lib/schemas/call-filters";
import { callConditions, callOrder, orderBy, WITHOUT_COST } from "./call-conditions";
import type { Database } from "./client";
import { loadReportingCurrency } from "./currency";
import { convertParts } from "./money";
import { loadTimeZone } from "./time-zone";
import { withUser, type JwtClaims } from "./rls";
import type { DB } from "./schema";

/**
 * The call log, read from the raw ledger under RLS (a user sees only their organizations' calls).
 * Keyset pagination on (sort key, created_at, id) in one direction, so page N costs the same as
 * page 1 and no row is skipped or repeated under any sort; the filters, the total line and the
 * CSV share one set of conditions (./call-conditions.ts).
 */
export const CALLS_PAGE_SIZE = 50;

export interface CallRow {
  id: string;
  requestId: string;
  attempt: number;
  createdAt: Date;
  organizationName: string | null;
  appCode: string | null;
  actionType: string | null;
  userRef: string | null;
  providerCode: string | null;
  modelCode: string | null;
  pipelineStage: string | null;
  requestType: string | null;
  status: "ok" | "failed";
  errorType: string | null;
  isFallback: boolean;
  promptTokens: number | null;
  completionTokens: number | null;
  cachedTokens: number | null;
  totalTokens: number | null;
  cost: string | null;
  currency: string | null;
  pricingSource: "database" | "fallback" | "cache" | null;
  latencyMs: number | null;
}

/** The ledger columns both the list and the detail show, as read (cost comes as exact text). */
interface CallRowColumns {
  id: string;
  request_id: string;
  attempt: number;
  created_at: Date;
  organization_name: string | null;
  app_code: string | null;
  action_type: string | null;
  user_ref: string | null;
  provider_code: string | null;
  model_code: string | null;
  pipeline_stage: string | null;
  request_type: string | null;
  status: "ok" | "failed";
  error_type: string | null;
  is_fallback: boolean;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cached_tokens: number | null;
  total_tokens: number | null;
  currency: string | null;
  pricing_source: "database" | "fallback" | "cache" | null;
  latency_ms: number | null;
}

function toCallRow(r: CallRowColumns, cost: string | null): CallRow {
  return {
    id: r.id,
    requestId: r.request_id,
    attempt: r.attempt,
    createdAt: r.created_at,
    organizationName: r.organization_name,
    appCode: r.app_code,
    actionType: r.action_type,
    userRef: r.user_ref,
    providerCode: r.provider_code,
    modelCode: r.model_code,
    pipelineStage: r.pipeline_stage,
    requestType: r.request_type,
    status: r.status,
    errorType: r.error_type,
    isFallback: r.is_fallback,
    promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens,
    cachedTokens: r.cached_tokens,
    totalTokens: r.total_tokens,
    cost,
    currency: r.currency,
    pricingSource: r.pricing_source,
    latencyMs: r.latency_ms,
  };
}

/**
 * The filters with their range resolved as the page and the CSV read them: days of the URL's `tz`
 * when it names a zone (a drill-down from a page in that zone), else of the reporting time zone
 * for the organization filter (lib/db/time-zone.ts); a preset or no dates resolved in that zone.
 */
export async function resolveCallFilters(db: Database | Kysely<DB>, claims: JwtClaims, filters: CallFilters, now = new Date()): Promise<CallFilters> {
  const zone = filters.tz ?? (await loadTimeZone(db, claims, zoneOrganization(filters)));
  return withDefaultRange(filters, now, zone);
}

export interface CallPage {
  rows: CallRow[];
  nextCursor: string | null;
}

export async function listCalls(db: Database | Kysely<DB>, claims: JwtClaims, filters: CallFilters, limit = CALLS_PAGE_SIZE): Promise<CallPage> {
  const order = callOrder(filters, decodeCursor(filters.cursor));
  return withUser(db, claims, async (tx) => {
    let q = tx
      .selectFrom("llm_calls as c")
      .leftJoin("organizations as o", "o.id", "c.organization_id")
      .leftJoin("apps as a", "a.id", "c.app_id")
      .select([
        "c.id",
        "c.request_id",
        "c.attempt",
        "c.created_at",
        // Full precision for the cursor: a JS Date would drop the microseconds and skip rows.
        sql<string>`c.created_at::text`.as("created_at_text"),
        (order.key ?? sql<string | null>`null`).as("sort_key"),
        "o.name as organization_name",
        "a.code as app_code",
        "c.action_type",
        "c.user_ref",
        "c.provider_code",
        "c.model_code",
        "c.pipeline_stage",
        "c.request_type",
        "c.status",
        "c.error_type",
        "c.is_fallback",
        "c.prompt_tokens",
        "c.completion_tokens",
        "c.cached_tokens",
        "c.total_tokens",
        sql<string | null>`c.cost::text`.as("cost"),
        "c.currency",
        "c.pricing_source",
        "c.latency_ms",
      ]);
    for (const condition of callConditions(filters)) q = q.where(condition);
    if (order.after) q = q.where(order.after);
    const rows = await q.orderBy(orderBy(filters)).limit(limit + 1).execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      rows: page.map((r) => toCallRow(r, r.cost)),
      nextCursor: rows.length > limit && last ? encodeCursor(last.created_at_text, last.id, last.sort_key) : null,
    };
  });
}

export interface CallTotals {
  calls: number;
  /** Sum of total tokens (exact integer as text: it can pass 2^53 over a long range). */
  tokens: string;
  /** Attempted calls without a cost: in no amount. */
  withoutCost: number;
  /** Reporting currency, and the converted exact sum of every call's cost in it. */
  currency: string;
  amount: string;
  /** Currency → exact amount without a conversion rate (never added). */
  unconverted: Record<string, string>;
}

/** The total line of the filtered calls: counts and tokens, cost converted by the one rule in lib/engine/currency. */
export async function loadCallTotals(db: Database | Kysely<DB>, claims: JwtClaims, filters: CallFilters): Promise<CallTotals> {
  return withUser(db, claims, async (tx) => {
    const reporting = await loadReportingCurrency(tx);
    let q = tx
      .selectFrom("llm_calls as c")
      .select([
        "c.currency",
        sql<number>`count(*)::int`.as("calls"),
        sql<string>`coalesce(sum(c.total_tokens), 0)::text`.as("tokens"),
        sql<number>`(count(*) filter (where ${WITHOUT_COST}))::int`.as("without_cost"),
        sql<string>`coalesce(sum(c.cost), 0)::text`.as("cost"),
      ]);
    for (const condition of callConditions(filters)) q = q.where(condition);
    const parts = await q.groupBy("c.currency").execute();
    // The one money rule (lib/db/money.ts), as Costs: per-currency sums converted once, amounts
    // without a rate apart; calls without a currency are counted with no amount.
    const spend = convertParts(parts, reporting);
    return {
      calls: spend.calls,
      tokens: parts.reduce((n, p) => n + BigInt(p.tokens), BigInt(0)).toString(),
      withoutCost: parts.reduce((n, p) => n + p.without_cost, 0),
      currency: reporting.currency,
      amount: spend.amount,
      unconverted: spend.unconverted,
    };
  });
}

export interface CallFilterOptions {
  organizations: { id: string; name: string }[];
  apps: { id: string; code: string; name: string }[];
  /** Values seen in the range's calls (daily rollup; actions from the ledger), so every one with calls is selectable. */
  models: string[];
  providers: string[];
  stages: string[];
  requestTypes: string[];
  actions: string[];
}

const present = (rows: { v: string | null }[]) => rows.flatMap((r) => (r.v === null ? [] : [r.v]));

/** Choices for the filter controls, from the data in the filters' date range. */
export async function loadCallFilterOptions(db: Database | Kysely<DB>, claims: JwtClaims, range: Pick<CallFilters, "from" | "to" | "zone"> = {}): Promise<CallFilterOptions> {
  // The daily rollup has UTC days: in another zone read the UTC days around the range (choices
  // may include a value seen only just outside it, never miss one seen inside).
  const utc = utcDaysAround(range);
  return withUser(db, claims, async (tx) => {
    const organizations = await tx.selectFrom("organizations").select(["id", "name"]).orderBy("name").execute();
    const apps = await tx.selectFrom("apps").select(["id", "code", "name"]).orderBy("code").execute();
    const daily = (column: "model_code" | "provider_code" | "pipeline_stage" | "request_type") => {
      let q = tx.selectFrom("llm_call_daily as d").select(sql.ref<string | null>(`d.${column}`).as("v")).distinct().where("d.calls", ">", 0);
      if (utc.from) q = q.where("d.day", ">=", utc.from);
      if (utc.to) q = q.where("d.day", "<=", utc.to);
      return q.orderBy("v").execute();
    };
    const models = present(await daily("model_code"));
    const providers = present(await daily("provider_code"));
    const stages = present(await daily("pipeline_stage"));
    const requestTypes = present(await daily("request_type"));
    let actionQuery = tx.selectFrom("llm_calls as c").select("c.action_type as v").distinct().where("c.action_type", "is not", null);
    for (const condition of callConditions({ from: range.from, to: range.to, zone: range.zone })) actionQuery = actionQuery.where(condition);
    const actions = present(await actionQuery.orderBy("v").execute());
    return { organizations, apps, models, providers, stages, requestTypes, actions };
  });
}

export interface TraceStep {
  rule: string;
  outcome: string;
  detail: string | null;
}

export interface CallAttempt extends CallRow {
  requestType: string | null;
  pipelineStage: string | null;
  queryPattern: string | null;
  modelVersion: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  cachedTokens: number | null;
  /** Prompt tokens written to the provider's cache (null = none reported). */
  cacheWriteTokens: number | null;
  reasoningTokens: number | null;
  inputPricePerMtok: string | null;
  outputPricePerMtok: string | null;
  cachedInputPricePerMtok: string | null;
  cacheWritePricePerMtok: string | null;
  pricingSource: "database" | "fallback" | "cache" | null;
  baselineCost: string | null;
  ttftMs: number | null;
  httpStatus: number | null;
  routingSource: string | null;
  streamed: boolean;
  recordComplete: boolean;
  trace: TraceStep[];
}

export interface CallFeedback {
  id: string;
  qualityScore: number;
  isCorrect: boolean | null;
  comment: string | null;
  source: string;
  modelCode: string | null;
  createdAt: Date;
}

export interface CallDetail {
  requestId: string;
  attempts: CallAttempt[];
  feedback: CallFeedback[];
}

/** The trace is jsonb written by the gateway; keep only well-formed steps. */
export function parseTrace(value: unknown): TraceStep[] {
  const list = Array.isArray(value) ? value : value && typeof value === "object" && Array.isArray((value as { steps?: unknown }).steps) ? (value as { steps: unknown[] }).steps : [];
  return list.flatMap((s): TraceStep[] => {
    if (!s || typeof s !== "object") return [];
    const step = s as Record<string, unknown>;
    if (typeof step.rule !== "string") return [];
    return [{ rule: step.rule, outcome: String(step.outcome ?? ""), detail: step.detail == null ? null : typeof step.detail === "string" ? step.detail : JSON.stringify(step.detail) }];
  });
}

/** Every attempt of one request (1..n, fallbacks included) and its feedback; null if none is visible. */
export async function getCallDetail(db: Database | Kysely<DB>, claims: JwtClaims, requestId: string): Promise<CallDetail | null> {
  return withUser(db, claims, async (tx) => {
    const rows = await tx
      .selectFrom("llm_calls as c")
      .leftJoin("organizations as o", "o.id", "c.organization_id")
      .leftJoin("apps as a", "a.id", "c.app_id")
      .selectAll("c")
      .select([
        "o.name as organization_name",
        "a.code as app_code",
        sql<string | null>`c.cost::text`.as("cost_text"),
        sql<string | null>`c.baseline_cost::text`.as("baseline_cost_text"),
      ])
      .where("c.request_id", "=", requestId)
      .orderBy("c.attempt")
      .orderBy("c.created_at")
      .execute();
    if (rows.length === 0) return null;
    const feedback = await tx
      .selectFrom("production_feedback")
      .select(["id", "quality_score", "is_correct", "comment", "source", "model_code", "created_at"])
      .where("request_id", "=", requestId)
      .orderBy("created_at", "desc")
      .execute();
    return {
      requestId,
      attempts: rows.map((r) => ({
        ...toCallRow(r, r.cost_text),
        requestType: r.request_type,
        pipelineStage: r.pipeline_stage,
        queryPattern: r.query_pattern,
        modelVersion: r.model_version,
        promptTokens: r.prompt_tokens,
        completionTokens: r.completion_tokens,
        cachedTokens: r.cached_tokens,
        cacheWriteTokens: r.cache_write_tokens,
        reasoningTokens: r.reasoning_tokens,
        inputPricePerMtok: r.input_price_per_mtok,
        outputPricePerMtok: r.output_price_per_mtok,
        cachedInputPricePerMtok: r.cached_input_price_per_mtok,
        cacheWritePricePerMtok: r.cache_write_price_per_mtok,
        pricingSource: r.pricing_source,
        baselineCost: r.baseline_cost_text,
        ttftMs: r.ttft_ms,
        httpStatus: r.http_status,
        routingSource: r.routing_source,
        streamed: r.streamed,
        recordComplete: r.record_complete,
        trace: parseTrace(r.trace),
      })),
      feedback: feedback.map((f) => ({
        id: f.id,
        qualityScore: f.quality_score,
        isCorrect: f.is_correct,
        comment: f.comment,
        source: f.source,
        modelCode: f.model_code,
        createdAt: f.created_at,
      })),
    };
  });
}
