import { sql, type Kysely } from "kysely";
import { decodeCursor, encodeCursor, type CallFilters } from "@/lib/schemas/call-filters";
import type { Database } from "./client";
import { withUser, type JwtClaims } from "./rls";
import type { DB } from "./schema";

/**
 * The call log, read from the raw ledger under RLS (a user sees only their organizations' calls).
 * Keyset pagination on (created_at desc, id desc) so page N costs the same as page 1 on a table of
 * millions of rows; date bounds are constants so Postgres prunes the monthly partitions.
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
  providerCode: string | null;
  modelCode: string | null;
  status: "ok" | "failed";
  errorType: string | null;
  isFallback: boolean;
  totalTokens: number | null;
  cost: string | null;
  currency: string | null;
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
  provider_code: string | null;
  model_code: string | null;
  status: "ok" | "failed";
  error_type: string | null;
  is_fallback: boolean;
  total_tokens: number | null;
  currency: string | null;
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
    providerCode: r.provider_code,
    modelCode: r.model_code,
    status: r.status,
    errorType: r.error_type,
    isFallback: r.is_fallback,
    totalTokens: r.total_tokens,
    cost,
    currency: r.currency,
    latencyMs: r.latency_ms,
  };
}

export interface CallPage {
  rows: CallRow[];
  nextCursor: string | null;
}

/** The day after a YYYY-MM-DD date, so a "to" date includes its whole day. */
function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export async function listCalls(db: Database | Kysely<DB>, claims: JwtClaims, filters: CallFilters, limit = CALLS_PAGE_SIZE): Promise<CallPage> {
  const cursor = decodeCursor(filters.cursor);
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
        "o.name as organization_name",
        "a.code as app_code",
        "c.action_type",
        "c.provider_code",
        "c.model_code",
        "c.status",
        "c.error_type",
        "c.is_fallback",
        "c.total_tokens",
        sql<string | null>`c.cost::text`.as("cost"),
        "c.currency",
        "c.latency_ms",
      ]);
    if (filters.organization) q = q.where("c.organization_id", "=", filters.organization);
    if (filters.app) q = q.where("c.app_id", "=", filters.app);
    if (filters.status) q = q.where("c.status", "=", filters.status);
    if (filters.model) q = q.where("c.model_code", "=", filters.model);
    if (filters.requestId) q = q.where("c.request_id", "=", filters.requestId);
    if (filters.from) q = q.where("c.created_at", ">=", new Date(`${filters.from}T00:00:00Z`));
    if (filters.to) q = q.where("c.created_at", "<", new Date(`${nextDay(filters.to)}T00:00:00Z`));
    if (cursor) q = q.where(sql<boolean>`(c.created_at, c.id) < (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`);
    const rows = await q
      .orderBy("c.created_at", "desc")
      .orderBy("c.id", "desc")
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      rows: page.map((r) => toCallRow(r, r.cost)),
      nextCursor: rows.length > limit && last ? encodeCursor(last.created_at_text, last.id) : null,
    };
  });
}

export interface CallFilterOptions {
  organizations: { id: string; name: string }[];
  apps: { id: string; code: string; name: string }[];
  models: string[];
}

/** Choices for the filter controls; models come from the catalog, not a scan of the ledger. */
export async function loadCallFilterOptions(db: Database | Kysely<DB>, claims: JwtClaims): Promise<CallFilterOptions> {
  return withUser(db, claims, async (tx) => {
    const [organizations, apps, models] = await Promise.all([
      tx.selectFrom("organizations").select(["id", "name"]).orderBy("name").execute(),
      tx.selectFrom("apps").select(["id", "code", "name"]).orderBy("code").execute(),
      tx.selectFrom("llm_models").select("model_code").distinct().orderBy("model_code").execute(),
    ]);
    return { organizations, apps, models: models.map((m) => m.model_code) };
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
  pricingSource: "database" | "fallback" | null;
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
