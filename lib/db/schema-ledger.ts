import type { ColumnType, Generated } from "kysely";
import type { JsonNullable, Numeric, NumericNullable, Timestamp, TimestampNullable } from "./schema-columns";

/**
 * Kysely types of the call ledger: llm_calls, the rollups triggers keep from it (hourly, daily,
 * savings, completeness) and the repricing jobs that rewrite its costs. lib/db/schema.ts's DB
 * includes them. Money columns are numeric, read as exact strings.
 */

export interface LlmCallsTable {
  id: Generated<string>;
  request_id: string;
  attempt: Generated<number>;
  created_at: Timestamp;
  app_id: string | null;
  organization_id: string | null;
  user_ref: string | null;
  action_type: string | null;
  request_type: string | null;
  pipeline_stage: string | null;
  purpose: string | null;
  query_pattern: string | null;
  related_entity_type: string | null;
  related_entity_id: string | null;
  provider_id: string | null;
  provider_code: string | null;
  model_id: string | null;
  model_code: string | null;
  model_version: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cached_tokens: number | null;
  reasoning_tokens: number | null;
  total_tokens: number | null;
  input_price_per_mtok: NumericNullable;
  output_price_per_mtok: NumericNullable;
  cached_input_price_per_mtok: NumericNullable;
  cost: NumericNullable;
  currency: string | null;
  price_id: string | null;
  pricing_source: "database" | "fallback" | "cache" | null;
  baseline_model_id: string | null;
  baseline_cost: NumericNullable;
  latency_ms: number | null;
  ttft_ms: number | null;
  status: "ok" | "failed";
  error_type: string | null;
  http_status: number | null;
  routing_source: string | null;
  config_id: string | null;
  is_fallback: Generated<boolean>;
  streamed: Generated<boolean>;
  trace: JsonNullable;
  prompt: JsonNullable;
  completion: string | null;
  record_complete: ColumnType<boolean, never, never>;
  /**
   * Set only by a repricing job (20261124000600): when, by which job, and what the call cost
   * before. Never inserted (the recorder's column list stays as it is), updated in raw SQL.
   */
  repriced_at: ColumnType<Date | null, never, Date | string | null>;
  reprice_job_id: ColumnType<string | null, never, string | null>;
  previous_cost: ColumnType<string | null, never, string | null>;
  previous_currency: ColumnType<string | null, never, string | null>;
  previous_pricing_source: ColumnType<"database" | "fallback" | null, never, "database" | "fallback" | null>;
  /** Prompt tokens written to the provider's cache, a subset of prompt_tokens (20261124001200). */
  cache_write_tokens: number | null;
  cache_write_price_per_mtok: NumericNullable;
  /** The part of cache_write_tokens written to a 1-hour cache, and its price (20261207020000). */
  cache_write_1h_tokens: ColumnType<number | null, number | null | undefined, number | null>;
  cache_write_1h_price_per_mtok: NumericNullable;
  /** True when the usage is a stream's last partial report, a lower bound (20261207020000). */
  usage_partial: Generated<boolean>;
  /** A response-cache hit (cost 0, pricing_source 'cache') and what the original call cost, in this row's currency (20261208050001). */
  cache_hit: Generated<boolean>;
  cache_saved_cost: NumericNullable;
  /** The API key the call came with (20261208040001): set by the gateway, null on older rows. */
  api_key_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** The group columns the rollups of llm_calls share (each also keys on its hour or day, some on app_id and currency). */
export interface LlmCallGroupColumns {
  organization_id: string | null;
  provider_code: string | null;
  model_code: string | null;
  pipeline_stage: string | null;
  request_type: string | null;
}

/** Cost per UTC hour (migration 20261207270001): day boundaries of whole-hour time zones. */
export interface LlmCallHourlyTable extends LlmCallGroupColumns {
  hour: Date;
  currency: string | null;
  calls: number;
  calls_with_cost: number;
  cost: Numeric;
}

/** Cost per UTC hour, organization, API key and currency (20261208130001): budgets per key. */
export interface LlmCallKeyHourlyTable {
  hour: Date;
  organization_id: string | null;
  api_key_id: string | null;
  currency: string | null;
  calls: number;
  calls_with_cost: number;
  cost: Numeric;
}

/** Savings and cache-savings figures per UTC hour and llm_call_daily's group (20261208060001). */
export interface LlmCallSavingsHourlyTable extends LlmCallGroupColumns {
  hour: Date;
  app_id: string | null;
  currency: string | null;
  calls: number;
  calls_with_cost: number;
  calls_with_baseline: number;
  cost: Numeric;
  baseline_cost: Numeric;
  cache_hits: number;
  cache_saved_cost: Numeric;
}

/** Completeness counters per UTC hour (20261208010001): zone days for whole-hour zones. */
export interface LlmCallQualityHourlyTable extends LlmCallGroupColumns {
  hour: Date;
  calls: number;
  failed_calls: number;
  complete_calls: number;
  calls_with_tokens: number;
  calls_with_cost: number;
  fallback_priced_calls: number;
}

/** Incomplete records per UTC hour, organization, app and purpose (20261208010001). */
export interface LlmCallIncompleteHourlyTable {
  hour: Date;
  organization_id: string | null;
  app_id: string | null;
  purpose: string | null;
  calls: number;
}

/** Incomplete calls per UTC day, organization, app and purpose (triggers on llm_calls keep it). */
export interface LlmCallIncompleteDailyTable {
  day: string;
  organization_id: string | null;
  app_id: string | null;
  purpose: string | null;
  calls: Generated<number>;
  updated_at: Generated<Date>;
}

export interface LlmCallDailyTable extends LlmCallGroupColumns {
  day: string;
  app_id: string | null;
  currency: string | null;
  calls: number;
  ok_calls: number;
  failed_calls: number;
  fallback_calls: number;
  complete_calls: number;
  calls_with_tokens: number;
  calls_with_cost: number;
  fallback_priced_calls: number;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  total_tokens: number;
  cost: Numeric;
  baseline_cost: Numeric;
  calls_with_baseline: number;
  latency_ms_sum: number;
  latency_count: number;
  updated_at: Generated<Date>;
  /** Response-cache hits and the cost they saved (20261208050001). */
  cache_hits: number;
  cache_saved_cost: Numeric;
}

export interface RepriceJobsTable {
  id: Generated<string>;
  status: Generated<"queued" | "running" | "done" | "failed">;
  trigger: Generated<"manual" | "import">;
  requested_by: string | null;
  model_ids: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  cursor_created_at: TimestampNullable;
  cursor_id: string | null;
  examined: Generated<number>;
  changed: Generated<number>;
  total_estimate: number | null;
  lease_id: string | null;
  heartbeat_at: TimestampNullable;
  created_at: Generated<Date>;
  started_at: TimestampNullable;
  finished_at: TimestampNullable;
  error: string | null;
}

export interface LedgerTables {
  llm_calls: LlmCallsTable;
  llm_call_daily: LlmCallDailyTable;
  llm_call_hourly: LlmCallHourlyTable;
  llm_call_key_hourly: LlmCallKeyHourlyTable;
  llm_call_savings_hourly: LlmCallSavingsHourlyTable;
  llm_call_quality_hourly: LlmCallQualityHourlyTable;
  llm_call_incomplete_hourly: LlmCallIncompleteHourlyTable;
  llm_call_incomplete_daily: LlmCallIncompleteDailyTable;
  reprice_jobs: RepriceJobsTable;
}
