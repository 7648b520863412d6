/**
 * What each audited table means to a reader of the Audit page: its area label, the fields worth
 * showing with their human labels, which fields hold money, ids of other entities, timestamps or
 * secrets. Pure data shared by the query (lib/db/audit.ts: area filter, search) and the formatter
 * (lib/engine/audit-format.ts); the audit triggers are in supabase/migrations (audit_config_change,
 * audit_finance_change for statements, billing terms and client prices,
 * audit_organization_webhook) and lib/db/retention.ts (partition drops).
 */

export type RefKind = "organization" | "app" | "model" | "provider" | "user";

export type FieldKind =
  | { kind: "text" }
  | { kind: "money"; currencyField?: string }
  | { kind: "price" }
  | { kind: "time" }
  | { kind: "ref"; ref: RefKind }
  | { kind: "refs"; ref: RefKind }
  | { kind: "secret" };

export interface FieldSpec {
  label: string;
  type?: FieldKind;
}

export interface AreaSpec {
  /** URL value of the area filter. */
  key: string;
  label: string;
  tables: readonly string[];
}

/** Area filter options, in the order the page lists them. */
export const AUDIT_AREAS = [
  { key: "organization", label: "Organization", tables: ["organizations"] },
  { key: "budget", label: "Budget", tables: ["organizations", "organization_webhooks", "budgets"] },
  { key: "member", label: "Member", tables: ["memberships"] },
  { key: "app", label: "App", tables: ["apps"] },
  { key: "provider", label: "Provider", tables: ["llm_providers"] },
  { key: "model", label: "Model", tables: ["llm_models"] },
  { key: "price", label: "Model price", tables: ["model_prices"] },
  { key: "routing", label: "Routing rule", tables: ["llm_configurations"] },
  { key: "setting", label: "Setting", tables: ["app_configuration"] },
  { key: "key", label: "API key", tables: ["api_keys"] },
  { key: "learned", label: "Learned route", tables: ["learning_overrides"] },
  { key: "retention", label: "Call retention", tables: ["llm_calls"] },
  { key: "statement", label: "Client statement", tables: ["statements", "billing_terms", "client_prices"] },
] as const satisfies readonly AreaSpec[];

export type AuditAreaKey = (typeof AUDIT_AREAS)[number]["key"];

export const AUDIT_AREA_KEYS = AUDIT_AREAS.map((a) => a.key) as [AuditAreaKey, ...AuditAreaKey[]];

/** The organization fields that make an organization change a budget change. */
export const BUDGET_FIELDS = ["monthly_budget", "budget_currency", "budget_policy"] as const;

/** Label of one table's rows ("Routing rule"); an organization row is "Organization". */
export const TABLE_LABELS: Record<string, string> = {
  organizations: "Organization",
  organization_webhooks: "Budget webhook",
  budgets: "Budget",
  memberships: "Member",
  apps: "App",
  llm_providers: "Provider",
  llm_models: "Model",
  model_prices: "Model price",
  llm_configurations: "Routing rule",
  app_configuration: "Setting",
  api_keys: "API key",
  learning_overrides: "Learned route",
  llm_calls: "Call partition",
  statements: "Statement",
  billing_terms: "Billing terms",
  client_prices: "Client price",
};

export function tableLabel(table: string): string {
  return TABLE_LABELS[table] ?? table.replaceAll("_", " ");
}

const ORG: FieldSpec = { label: "Organization", type: { kind: "ref", ref: "organization" } };
const APP: FieldSpec = { label: "App", type: { kind: "ref", ref: "app" } };
const MODEL: FieldSpec = { label: "Model", type: { kind: "ref", ref: "model" } };
const PRICE = (label: string): FieldSpec => ({ label, type: { kind: "price" } });
const TIME = (label: string): FieldSpec => ({ label, type: { kind: "time" } });
const USER = (label: string): FieldSpec => ({ label, type: { kind: "ref", ref: "user" } });

/** Per table, the fields shown in a diff (others, like ids and timestamps, are left out). */
export const TABLE_FIELDS: Record<string, Record<string, FieldSpec>> = {
  organizations: {
    name: { label: "Name" },
    slug: { label: "Slug" },
    tier: { label: "Tier" },
    monthly_budget: { label: "Monthly budget", type: { kind: "money", currencyField: "budget_currency" } },
    budget_currency: { label: "Budget currency" },
    budget_policy: { label: "Budget policy" },
  },
  organization_webhooks: {
    organization_id: ORG,
    url_scheme: { label: "URL scheme" },
    url_host: { label: "URL host" },
    updated_by: USER("Set by"),
  },
  budgets: {
    organization_id: ORG,
    app_id: APP,
    api_key_id: { label: "API key" },
    period: { label: "Window" },
    amount: { label: "Amount", type: { kind: "money", currencyField: "currency" } },
    currency: { label: "Currency" },
    policy: { label: "Policy" },
  },
  memberships: { user_id: USER("User"), organization_id: ORG, role: { label: "Role" }, created_by: USER("Added by") },
  apps: {
    name: { label: "Name" },
    code: { label: "Code" },
    description: { label: "Description" },
    allow_explicit_models: { label: "Allows explicit models" },
    baseline_model_id: { label: "Baseline model", type: { kind: "ref", ref: "model" } },
    legacy_model_id: { label: "Legacy model", type: { kind: "ref", ref: "model" } },
  },
  llm_providers: {
    name: { label: "Name" },
    code: { label: "Code" },
    kind: { label: "Kind" },
    base_url: { label: "Base URL" },
    api_key_env_var: { label: "API key variable" },
    enabled: { label: "Enabled" },
    timeout_ms: { label: "Timeout (ms)" },
    max_retries: { label: "Retries" },
  },
  llm_models: {
    display_name: { label: "Name" },
    model_code: { label: "Model code" },
    provider_id: { label: "Provider", type: { kind: "ref", ref: "provider" } },
    kind: { label: "Kind" },
    context_window: { label: "Context window" },
    max_output_tokens: { label: "Max output tokens" },
    enabled: { label: "Enabled" },
  },
  model_prices: {
    model_id: MODEL,
    currency: { label: "Currency" },
    input_per_mtok: PRICE("Input / 1M tokens"),
    output_per_mtok: PRICE("Output / 1M tokens"),
    cached_input_per_mtok: PRICE("Cached input / 1M tokens"),
    reasoning_per_mtok: PRICE("Reasoning / 1M tokens"),
    cache_write_per_mtok: PRICE("Cache write / 1M tokens"),
    cache_write_1h_per_mtok: PRICE("1-hour cache write / 1M tokens"),
    effective_from: TIME("In force from"),
    source: { label: "Source" },
    note: { label: "Note" },
    created_by: USER("Added by"),
  },
  llm_configurations: {
    app_id: APP,
    organization_id: ORG,
    action_type: { label: "Action" },
    model_id: MODEL,
    fallback_model_ids: { label: "Fallback models", type: { kind: "refs", ref: "model" } },
    priority: { label: "Priority" },
    params: { label: "Parameters" },
    enabled: { label: "Enabled" },
    description: { label: "Description" },
  },
  app_configuration: {
    key: { label: "Key" },
    scope: { label: "Scope" },
    app_id: APP,
    organization_id: ORG,
    value_type: { label: "Type" },
    value: { label: "Value" },
    min_value: { label: "Minimum" },
    max_value: { label: "Maximum" },
    description: { label: "Description" },
  },
  api_keys: {
    name: { label: "Name" },
    app_id: APP,
    organization_id: ORG,
    prefix: { label: "Prefix" },
    key_hash: { label: "Key", type: { kind: "secret" } },
    scopes: { label: "Scopes" },
    rate_limit_per_minute: { label: "Rate limit / minute" },
    max_concurrent: { label: "Concurrent calls" },
    expires_at: TIME("Expires"),
    revoked_at: TIME("Revoked"),
    created_by: USER("Created by"),
  },
  learning_overrides: {
    app_id: APP,
    organization_id: ORG,
    action_type: { label: "Action" },
    query_pattern: { label: "Query pattern" },
    model_id: MODEL,
    confidence: { label: "Confidence" },
    samples: { label: "Samples" },
    avg_score: { label: "Average score" },
    correctness_rate: { label: "Correctness rate" },
    active: { label: "Active" },
  },
  statements: {
    organization_id: ORG,
    month: { label: "Month" },
    status: { label: "Status" },
    billing_currency: { label: "Billing currency" },
    markup_pct: { label: "Markup (%)" },
    fx_rates: { label: "Rates" },
    closed_by: USER("Closed by"),
    reopened_by: USER("Reopened by"),
    reopen_reason: { label: "Reopen reason" },
  },
  billing_terms: { organization_id: ORG, billing_currency: { label: "Billing currency" }, markup_pct: { label: "Markup (%)" } },
  client_prices: {
    organization_id: ORG,
    model_id: MODEL,
    currency: { label: "Currency" },
    input_per_mtok: PRICE("Input / 1M tokens"),
    output_per_mtok: PRICE("Output / 1M tokens"),
    cached_input_per_mtok: PRICE("Cached input / 1M tokens"),
    cache_write_per_mtok: PRICE("Cache write / 1M tokens"),
    cache_write_1h_per_mtok: PRICE("1-hour cache write / 1M tokens"),
    effective_from: { label: "In force from" },
  },
  llm_calls: {
    partition: { label: "Partition" },
    month: { label: "Month" },
    rows: { label: "Calls dropped" },
    retention_months: { label: "Retention (months)" },
    detach: { label: "Detached" },
  },
};

/** Field names that hold secrets in any table: only "changed" is ever shown. */
export const SECRET_FIELD = /(^|_)(hash|secret|token|password)($|_)/;

/** Who wrote a row without a signed-in user (actor_role 'service'), told apart by what was written. */
export const SERVICE_ACTORS = [
  { key: "learning-job", label: "learning job", tables: ["learning_overrides"] },
  { key: "retention-job", label: "retention job", tables: ["llm_calls"] },
] as const;

/** Every other service write: the seed, start-up (DEMO_API_KEY), scripts and migrations. */
export const SYSTEM_ACTOR = { key: "system", label: "system" } as const;

/**
 * A service writer that named itself (audit_log.actor_kind, set through `app.actor`, see
 * lib/db/service-actor.ts): "gateway" or "job:<name>". These are also the filter's values.
 */
export const GATEWAY_ACTOR = "gateway";
const NAMED_ACTOR = /^(gateway|job:[a-z][a-z0-9_.-]{0,59})$/;

export function isNamedServiceActor(value: string): boolean {
  return NAMED_ACTOR.test(value);
}

/** "gateway" → "gateway", "job:retrain" → "job: retrain". */
export function namedActorLabel(kind: string): string {
  return kind.startsWith("job:") ? `job: ${kind.slice(4)}` : kind;
}

export function serviceActor(table: string): { key: string; label: string } {
  return SERVICE_ACTORS.find((a) => (a.tables as readonly string[]).includes(table)) ?? SYSTEM_ACTOR;
}

/** Tables whose area label contains the search text (searching "routing" finds routing rules). */
export function tablesMatchingLabel(text: string): string[] {
  const t = text.trim().toLowerCase();
  if (!t) return [];
  return Object.entries(TABLE_LABELS).filter(([, label]) => label.toLowerCase().includes(t)).map(([table]) => table);
}
