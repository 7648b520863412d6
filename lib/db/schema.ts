import type { ColumnType, Generated } from "kysely";
import type { ProviderKind } from "@/lib/engine/types";
import type { BudgetTables } from "./schema-budgets";
import type { Json, JsonNullable, Numeric, NumericNullable, TimestampNullable } from "./schema-columns";
import type { LearningTables } from "./schema-learning";
import type { LedgerTables } from "./schema-ledger";
import type { SharedStoreTables } from "./schema-shared-store";
import type { StatementTables } from "./schema-statements";

/**
 * Kysely types for the tables in supabase/migrations: here the tenancy, catalog and configuration
 * tables and the DB type joining them with the other modules' tables (call ledger and rollups in
 * schema-ledger.ts, budgets in schema-budgets.ts, learning in schema-learning.ts, client
 * statements in schema-statements.ts, the shared store in schema-shared-store.ts). Column
 * conventions (numeric → exact string, …) are in schema-columns.ts.
 */

export type * from "./schema-budgets";
export type * from "./schema-learning";
export type * from "./schema-ledger";

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
  /** Actions the app's code sends, declared by platform admins (besides those seen in its calls; 20261207240000). */
  declared_actions: ColumnType<string[], string[] | undefined, string[]>;
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

/*
 * Validation where admins make mistakes (migration 20261207240000): actions seen in an app's calls
 * and one type and pair of bounds per setting key (apps.declared_actions above).
 */
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

export interface DB extends SharedStoreTables, StatementTables, LedgerTables, BudgetTables, LearningTables {
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
  app_seen_actions: AppSeenActionsTable;
  setting_definitions: SettingDefinitionsTable;
}
