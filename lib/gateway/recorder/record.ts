import type { Insertable } from "kysely";
import type { LlmCallsTable } from "@/lib/db/schema";

/**
 * One attempt as the recorder receives it. `attempt` and `created_at` are required (the table has
 * defaults) because together with `request_id` they are the idempotency key: the caller stamps
 * created_at when the attempt starts, so a replayed or redelivered record hits the same key.
 */
export type CallRecord = Omit<Insertable<LlmCallsTable>, "attempt" | "created_at"> & {
  attempt: number;
  created_at: Date | string;
};

/**
 * Every insertable column. Records are copied through this list before an insert so that a stray
 * property (a caller spreading a larger object) cannot turn into an "undefined column" error that
 * fails a whole batch for a reason no retry fixes. `satisfies` keeps it in step with the schema.
 */
const COLUMNS = {
  id: true, request_id: true, attempt: true, created_at: true, app_id: true, organization_id: true,
  user_ref: true, action_type: true, request_type: true, pipeline_stage: true, purpose: true,
  query_pattern: true, related_entity_type: true, related_entity_id: true, provider_id: true,
  provider_code: true, model_id: true, model_code: true, model_version: true, prompt_tokens: true,
  completion_tokens: true, cached_tokens: true, cache_write_tokens: true, cache_write_1h_tokens: true, reasoning_tokens: true,
  total_tokens: true,
  input_price_per_mtok: true, output_price_per_mtok: true, cached_input_price_per_mtok: true, cache_write_price_per_mtok: true,
  cache_write_1h_price_per_mtok: true, usage_partial: true,
  cost: true, currency: true, price_id: true, pricing_source: true, baseline_model_id: true,
  baseline_cost: true, latency_ms: true, ttft_ms: true, status: true, error_type: true,
  http_status: true, routing_source: true, config_id: true, is_fallback: true, streamed: true,
  trace: true, prompt: true, completion: true, cache_hit: true, cache_saved_cost: true, api_key_id: true,
} satisfies Record<keyof Insertable<LlmCallsTable>, true>;

const COLUMN_NAMES = Object.keys(COLUMNS) as (keyof CallRecord)[];

/** Bind parameters per statement are capped at 65,535 by the Postgres protocol. */
export const MAX_ROWS_PER_STATEMENT = Math.floor(65_535 / COLUMN_NAMES.length);

/** The record restricted to real columns (undefined ones left out, so the column default applies). */
export function toRow(record: CallRecord): CallRecord {
  const row: Record<string, unknown> = {};
  const source = record as Record<string, unknown>;
  for (const column of COLUMN_NAMES) {
    const value = source[column];
    if (value !== undefined) row[column] = value;
  }
  return row as CallRecord;
}

/** A Date serialized by JSON.stringify: millisecond precision, UTC. Only these are revived. */
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** One spool line. Dates become ISO strings (JSON.stringify calls Date#toJSON). */
export function serialize(record: CallRecord): string {
  return JSON.stringify(record);
}

/**
 * Parses a spool line back into a record, or explains why it cannot. created_at comes back as a
 * Date when it was one; a string with more precision (microseconds) stays a string so the key
 * still matches the row already in the table, if any.
 */
export function deserialize(line: string): CallRecord | { invalid: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { invalid: `unparseable line: ${(err as Error).message}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { invalid: "not an object" };
  const record = value as Record<string, unknown>;
  if (typeof record.request_id !== "string" || typeof record.attempt !== "number" || typeof record.created_at !== "string") {
    return { invalid: "missing request_id, attempt or created_at" };
  }
  if (ISO_MS.test(record.created_at)) record.created_at = new Date(record.created_at);
  return record as CallRecord;
}
