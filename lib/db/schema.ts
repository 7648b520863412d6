import type { ColumnType, Generated } from "kysely";
import type { ProviderKind } from "@/lib/engine/types";
import type { SharedStoreTables } from "./schema-shared-store";
import type { StatementTables } from "./schema-statements";

/**
 * Kysely types for the tables in supabase/migrations. Conventions shared by PGlite and pg (see
 * lib/db/client.ts): numeric → string (exact money), bigint → number, date → "YYYY-MM-DD",
 * timestamptz → Date, jsonb → parsed JSON.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type TimestampNullable = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** numeric: read as a decimal string, written as a string (never a float). */
type Numeric = ColumnType<string, string, string>;
type NumericNullable = ColumnType<string | null, string | null | undefined, string | null>;
type Json = ColumnType<unknown, string, string>;
type JsonNullable = ColumnType<unknown, string | null | undefined, string | null>;

export type MembershipRoleDb = "admin" | "finance" | "viewer";
export type ConfigValueType = "float" | "int" | "bool" | "string" | "json";
export type ConfigScope = "global" | "app" | "organization";

export interface AuthUsersTable {
  id: Generated<string>;
  aud: Generated<string | null>;
  role: Generated<string | null>;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: TimestampNullable;
  last_sign_in_at: TimestampNullable;
  raw_app_meta_data: JsonNullable;
  raw_user_meta_data: JsonNullable;
  banned_until: TimestampNullable;
  created_at: Generated<Date | null>;
  updated_at: Generated<Date | null>;
}

export interface OrganizationsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  tier: Generated<"standard" | "premium" | "internal">;
  monthly_budget: NumericNullable;
  budget_currency: Generated<string>;
  budget_policy: Generated<"alert" | "block" | "downgrade">;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ProfilesTable {
  id: string;
  email: string;
  display_name: string | null;
  created_at: Generated<Date>;
}

export interface MembershipsTable {
  id: Generated<string>;
  user_id: string;
  organization_id: string | null;
  role: MembershipRoleDb;
  created_at: Generated<Date>;
  created_by: string | null;
}

export interface AppsTable {
  id: Generated<string>;
  code: string;
  name: string;
  description: string | null;
  allow_explicit_models: Generated<boolean>;
  baseline_model_id: string | null;
  legacy_model_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ConfigVersionTable {
  id: Generated<boolean>;
  version: Generated<number>;
  updated_at: Generated<Date>;
}

export interface AuditLogTable {
  id: Generated<number>;
  created_at: Generated<Date>;
  actor_id: string | null;
  actor_email: string | null;
  actor_role: string;
  /** "gateway" or "job:<name>" for a service write that named itself (app.actor); null otherwise. */
  actor_kind: Generated<string | null>;
  table_name: string;
  record_id: string | null;
  organization_id: string | null;
  action: "insert" | "update" | "delete";
  before: JsonNullable;
  after: JsonNullable;
}

export interface LlmProvidersTable {
  id: Generated<string>;
  code: string;
  name: string;
  kind: ProviderKind;
  base_url: string | null;
  api_key_env_var: string | null;
  enabled: Generated<boolean>;
  timeout_ms: Generated<number>;
  max_retries: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface LlmModelsTable {
  id: Generated<string>;
  provider_id: string;
  model_code: string;
  display_name: string;
  context_window: number | null;
  max_output_tokens: number | null;
  enabled: Generated<boolean>;
  /** 'chat' | 'embedding' (migration 20261207010000). */
  kind: Generated<"chat" | "embedding">;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ModelPricesTable {
  id: Generated<string>;
  model_id: string;
  input_per_mtok: Numeric;
  output_per_mtok: Numeric;
  cached_input_per_mtok: NumericNullable;
  reasoning_per_mtok: NumericNullable;
  /** Prompt-cache write price (20261124001200); null = cache writes billed at the input price. */
  cache_write_per_mtok: NumericNullable;
  /** 1-hour prompt-cache write price (20261207020000); null = 2x the input price. */
  cache_write_1h_per_mtok: NumericNullable;
  currency: string;
  effective_from: Generated<Date>;
  source: Generated<"manual" | "seed" | "import" | "litellm">;
  note: string | null;
  created_at: Generated<Date>;
  created_by: string | null;
}

export interface LlmConfigurationsTable {
  id: Generated<string>;
  app_id: string;
  organization_id: string | null;
  action_type: string;
  model_id: string;
  fallback_model_ids: ColumnType<string[], string[] | undefined, string[]>;
  priority: Generated<number>;
  params: ColumnType<Record<string, unknown>, string | undefined, string>;
  enabled: Generated<boolean>;
  description: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AppConfigurationTable {
  id: Generated<string>;
  key: string;
  scope: ConfigScope;
  app_id: string | null;
  organization_id: string | null;
  value_type: ConfigValueType;
  value: Json;
  min_value: NumericNullable;
  max_value: NumericNullable;
  description: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ApiKeysTable {
  id: Generated<string>;
  app_id: string;
  organization_id: string | null;
  name: string;
  prefix: string;
  key_hash: string;
  scopes: ColumnType<string[], string[] | undefined, string[]>;
  rate_limit_per_minute: number | null;
  /** Concurrent calls at most; null = gateway.default_max_concurrent_per_key (20261206010000). */
  max_concurrent: ColumnType<number | null, number | null | undefined, number | null>;
  expires_at: TimestampNullable;
  last_used_at: TimestampNullable;
  revoked_at: TimestampNullable;
  created_at: Generated<Date>;
  created_by: string | null;
}

export interface InstanceSecretsTable {
  name: string;
  value: string;
  created_at: Generated<Date>;
}

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

/** Cost per UTC hour (migration 20261207270001): day boundaries of whole-hour time zones. */
export interface LlmCallHourlyTable {
  hour: Date;
  organization_id: string | null;
  provider_code: string | null;
  model_code: string | null;
  pipeline_stage: string | null;
  request_type: string | null;
  currency: string | null;
  calls: number;
  calls_with_cost: number;
  cost: Numeric;
}

/** Savings and cache-savings figures per UTC hour and llm_call_daily's group (20261208060001). */
export interface LlmCallSavingsHourlyTable {
  hour: Date;
  organization_id: string | null;
  app_id: string | null;
  provider_code: string | null;
  model_code: string | null;
  pipeline_stage: string | null;
  request_type: string | null;
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
export interface LlmCallQualityHourlyTable {
  hour: Date;
  organization_id: string | null;
  provider_code: string | null;
  model_code: string | null;
  pipeline_stage: string | null;
  request_type: string | null;
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

export interface LlmCallDailyTable {
  day: string;
  organization_id: string | null;
  app_id: string | null;
  provider_code: string | null;
  model_code: string | null;
  pipeline_stage: string | null;
  request_type: string | null;
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

export interface ProductionFeedbackTable {
  id: Generated<string>;
  request_id: string;
  organization_id: string | null;
  app_id: string | null;
  action_type: string | null;
  query_pattern: string | null;
  provider_code: string | null;
  model_code: string | null;
  quality_score: number;
  is_correct: boolean | null;
  comment: string | null;
  source: Generated<"api" | "dashboard" | "import" | "seed">;
  created_at: Generated<Date>;
}

export interface RetrainRunsTable {
  id: Generated<string>;
  created_at: Generated<Date>;
  finished_at: TimestampNullable;
  actor_id: string | null;
  trigger: Generated<"manual" | "cron" | "api">;
  dry_run: boolean;
  params: ColumnType<unknown, string | undefined, string>;
  status: Generated<"running" | "succeeded" | "failed">;
  diff: JsonNullable;
  summary: JsonNullable;
}

export interface LearningOverridesTable {
  id: Generated<string>;
  /** null = app-wide; set = learned from, and applied to, this organization only. */
  organization_id: Generated<string | null>;
  app_id: string;
  action_type: string;
  query_pattern: string;
  model_id: string;
  confidence: "high" | "medium" | "low";
  samples: number;
  avg_score: NumericNullable;
  correctness_rate: NumericNullable;
  evidence: JsonNullable;
  active: Generated<boolean>;
  run_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface BudgetAlertsTable {
  id: Generated<string>;
  organization_id: string;
  month: string;
  threshold_pct: number;
  spent: Numeric;
  budget: Numeric;
  currency: string;
  policy: "alert" | "block" | "downgrade";
  created_at: Generated<Date>;
  notified_at: TimestampNullable;
}

/** Budgets per organization, organization × app and API key (20261208040001). */
export interface BudgetsTable {
  id: Generated<string>;
  organization_id: string;
  app_id: string | null;
  api_key_id: string | null;
  period: "month" | "day";
  amount: Numeric;
  currency: string;
  policy: "alert" | "block" | "downgrade";
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface DB extends SharedStoreTables {
  "auth.users": AuthUsersTable;
  organizations: OrganizationsTable;
  profiles: ProfilesTable;
  memberships: MembershipsTable;
  apps: AppsTable;
  config_version: ConfigVersionTable;
  audit_log: AuditLogTable;
  llm_providers: LlmProvidersTable;
  llm_models: LlmModelsTable;
  model_prices: ModelPricesTable;
  llm_configurations: LlmConfigurationsTable;
  app_configuration: AppConfigurationTable;
  api_keys: ApiKeysTable;
  instance_secrets: InstanceSecretsTable;
  llm_calls: LlmCallsTable;
  llm_call_daily: LlmCallDailyTable;
  llm_call_hourly: LlmCallHourlyTable;
  llm_call_savings_hourly: LlmCallSavingsHourlyTable;
  llm_call_quality_hourly: LlmCallQualityHourlyTable;
  llm_call_incomplete_hourly: LlmCallIncompleteHourlyTable;
  llm_call_incomplete_daily: LlmCallIncompleteDailyTable;
  production_feedback: ProductionFeedbackTable;
  production_feedback_daily: ProductionFeedbackDailyTable;
  retrain_runs: RetrainRunsTable;
  learning_overrides: LearningOverridesTable;
  budget_alerts: BudgetAlertsTable;
  budgets: BudgetsTable;
  reprice_jobs: RepriceJobsTable;
}

/*
 * Budget webhooks (migration 20261124000700). Declared as interface merges so this file stays
 * append-only for parallel work: TypeScript joins these members into the tables above.
 */
/** An organization's budget-alert webhook: readable and writable by platform admins only. */
export interface OrganizationWebhooksTable {
  organization_id: string;
  /** https (or loopback http) URL that budget alerts are POSTed to; may hold a token. */
  url: string;
  /** Set by a trigger on every write. */
  updated_at: Generated<Date>;
  /** auth.uid() of the last writer (null for the service path); set by the same trigger. */
  updated_by: Generated<string | null>;
}

export interface DB {
  organization_webhooks: OrganizationWebhooksTable;
}

export interface BudgetAlertsTable {
  /** 20261208040001: threshold (gateway), forecast and spike (cron /api/cron/budget-forecast). */
  kind: Generated<"threshold" | "forecast" | "spike">;
  budget_id: string | null;
  /** The spike's day, or the day a forecast alert was computed; null for threshold alerts. */
  day: ColumnType<string | null, string | null | undefined, string | null>;
  attempts: Generated<number>;
  last_error: string | null;
  next_attempt_at: TimestampNullable;
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

/** Incomplete calls per UTC day, organization, app and purpose (triggers on llm_calls keep it). */
export interface LlmCallIncompleteDailyTable {
  day: string;
  organization_id: string | null;
  app_id: string | null;
  purpose: string | null;
  calls: Generated<number>;
  updated_at: Generated<Date>;
}

/** Feedback per UTC day, organization, app, model and query pattern (triggers on production_feedback keep it). */
export interface ProductionFeedbackDailyTable {
  day: string;
  organization_id: string | null;
  app_id: string | null;
  model_code: string | null;
  query_pattern: string | null;
  feedback: Generated<number>;
  score_sum: Generated<number>;
  judged: Generated<number>;
  correct: Generated<number>;
  updated_at: Generated<Date>;
}

/*
 * Validation where admins make mistakes (migration 20261207240000): actions declared on an app,
 * actions seen in its calls, and one type and pair of bounds per setting key.
 */
export interface AppsTable {
  /** Actions the app's code sends, declared by platform admins (besides those seen in its calls). */
  declared_actions: ColumnType<string[], string[] | undefined, string[]>;
}

/** (app, action) pairs seen in llm_calls, kept by a statement trigger; readable by members. */
export interface AppSeenActionsTable {
  app_id: string;
  action_type: string;
  first_seen_at: Generated<Date>;
}

/** One type and pair of bounds per app_configuration key; written by its guard trigger only. */
export interface SettingDefinitionsTable {
  key: string;
  value_type: ConfigValueType;
  min_value: NumericNullable;
  max_value: NumericNullable;
  updated_at: Generated<Date>;
}

export interface DB {
  app_seen_actions: AppSeenActionsTable;
  setting_definitions: SettingDefinitionsTable;
}

/* Client statements (migration 20261208030001): tables in schema-statements.ts. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a declaration merge that only adds the supertype
export interface DB extends StatementTables {}

/** 20261208100001: which budget a threshold alert belongs to (kept when the budget is removed). */
export interface BudgetAlertsTable {
  scope: Generated<"organization" | "app" | "key">;
  budget_window: Generated<"month" | "day">;
  /** The app's or key's name when the alert was raised; null for organization budgets. */
  target_name: string | null;
}
