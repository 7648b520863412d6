import { csvLine } from "@/lib/reports/csv";
import type { CallRow } from "@/lib/db/calls";

/**
 * The Calls CSV: one line per attempt of the filtered calls, with the cost exactly as recorded
 * (numeric text, every decimal kept, in the call's own currency) — conversion happens only in the
 * total line, never by rewriting a call. Empty cell = not recorded.
 */

/** Most rows one download holds; over it the page and the route ask for a narrower filter. */
export const CALLS_CSV_LIMIT = 100_000;

export const CALLS_CSV_HEADER = [
  "created_at",
  "request_id",
  "attempt",
  "organization",
  "app",
  "action",
  "user_ref",
  "provider",
  "model",
  "pipeline_stage",
  "request_type",
  "status",
  "error_type",
  "is_fallback",
  "pricing_source",
  "prompt_tokens",
  "completion_tokens",
  "cached_tokens",
  "total_tokens",
  "cost",
  "currency",
  "latency_ms",
] as const;

const cell = (v: string | number | null): string | number => v ?? "";

export function callCsvLine(r: CallRow): string {
  return csvLine([
    r.createdAt.toISOString(),
    r.requestId,
    r.attempt,
    cell(r.organizationName),
    cell(r.appCode),
    cell(r.actionType),
    cell(r.userRef),
    cell(r.providerCode),
    cell(r.modelCode),
    cell(r.pipelineStage),
    cell(r.requestType),
    r.status,
    cell(r.errorType),
    r.isFallback ? "true" : "false",
    cell(r.pricingSource),
    cell(r.promptTokens),
    cell(r.completionTokens),
    cell(r.cachedTokens),
    cell(r.totalTokens),
    cell(r.cost),
    cell(r.currency),
    cell(r.latencyMs),
  ]);
}

export function callsCsvHeader(): string {
  return CALLS_CSV_HEADER.join(",");
}
