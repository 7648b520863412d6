/**
 * The configuration snapshot the engine decides on, and the decisions it returns. Pure data:
 * lib/gateway loads it from the database (service path) and keeps it in memory; the engine
 * never does I/O. Money is a decimal string; times are epoch milliseconds.
 */
/** llm_providers.kind (the provider_kind enum); lib/db/schema.ts takes it from here. */
export type ProviderKind =
  | "openai"
  | "anthropic"
  | "mistral"
  | "google"
  | "openrouter"
  | "openai_compatible"
  | "mock";

export type QueryPattern =
  | "code"
  | "creative"
  | "analysis"
  | "extraction"
  | "classification"
  | "summarization"
  | "translation"
  | "chat";

export interface SnapshotProvider {
  id: string;
  code: string;
  kind: ProviderKind;
  baseUrl: string | null;
  apiKeyEnvVar: string | null;
  enabled: boolean;
  timeoutMs: number;
  maxRetries: number;
}

export interface SnapshotModel {
  id: string;
  providerId: string;
  modelCode: string;
  displayName: string;
  enabled: boolean;
  /** What the model does (llm_models.kind); absent = "chat". Routing never mixes the two. */
  kind?: ModelKind;
}

/** A chat model (chat completions, generate) or an embedding model (/v1/embeddings). */
export type ModelKind = "chat" | "embedding";

/** A model_prices row in the snapshot: the rates (PriceRow) of one model from `effectiveFrom` on. */
export interface SnapshotPrice extends PriceRow {
  id: string;
  modelId: string;
  effectiveFrom: number;
}

export interface SnapshotConfiguration {
  id: string;
  appId: string;
  /** null = the app's default; set = a client override (pinned). */
  organizationId: string | null;
  /** An action type, or "*" for any action. */
  actionType: string;
  modelId: string;
  fallbackModelIds: string[];
  priority: number;
  params: Record<string, unknown>;
  enabled: boolean;
}

export type SettingValueType = "float" | "int" | "bool" | "string" | "json";

export interface SnapshotSetting {
  id: string;
  key: string;
  scope: "global" | "app" | "organization";
  appId: string | null;
  organizationId: string | null;
  valueType: SettingValueType;
  value: unknown;
  /** The key's bounds (its definition's since migration 20261208020000); absent = unbounded. */
  minValue?: string | null;
  maxValue?: string | null;
}

export interface SnapshotApp {
  id: string;
  code: string;
  name: string;
  baselineModelId: string | null;
  legacyModelId: string | null;
  allowExplicitModels: boolean;
}

export interface SnapshotOrganization {
  id: string;
  slug: string;
  name: string;
  tier: string;
  monthlyBudget: string | null;
  budgetCurrency: string;
  budgetPolicy: "alert" | "block" | "downgrade";
  /** Every row of `budgets` for the organization (the gateway's snapshot; absent in older fixtures). */
  budgets?: SnapshotBudget[];
}

/** One budget (table budgets): organization-wide, per app (appId) or per API key (apiKeyId). */
export interface SnapshotBudget {
  id: string;
  organizationId: string;
  appId: string | null;
  apiKeyId: string | null;
  window: "month" | "day";
  /** Exact decimal string, > 0. */
  amount: string;
  currency: string;
  policy: "alert" | "block" | "downgrade";
}

export interface SnapshotOverride {
  id: string;
  /** null/absent = app-wide; set = applies to this organization's calls only. */
  organizationId?: string | null;
  appId: string;
  actionType: string;
  queryPattern: string;
  modelId: string;
  confidence: "high" | "medium" | "low";
  samples: number;
  active: boolean;
}

/** Everything routing and pricing need, as plain arrays (the engine indexes them). */
export interface ConfigSnapshotData {
  version: number;
  providers: SnapshotProvider[];
  models: SnapshotModel[];
  prices: SnapshotPrice[];
  configurations: SnapshotConfiguration[];
  settings: SnapshotSetting[];
  apps: SnapshotApp[];
  organizations: SnapshotOrganization[];
  overrides: SnapshotOverride[];
}

/** Where a routed model came from; stored in llm_calls.routing_source. */
export type RoutingSource =
  | "configuration" // the app's default rule
  | "client_override" // an organization's pinned rule
  | "learned" // an active learned override replaced a default
  | "budget_downgrade" // the budget policy moved to the cheapest configured model
  | "legacy" // kill switch off: the app's legacy model
  | "explicit" // the caller named a model the app allows
  | "fallback" // a configured fallback after the primary failed
  | "global_fallback"; // the global fallback model, last

export interface TraceStep {
  rule: "kill_switch" | "explicit_model" | "candidates" | "learned_override" | "budget" | "fallbacks" | "global_fallback";
  outcome: "applied" | "skipped" | "chosen" | "info";
  detail: string;
  configId?: string;
  modelId?: string;
}

export interface RouteTarget {
  model: SnapshotModel;
  provider: SnapshotProvider;
  source: RoutingSource;
}

/** Month-to-date spend of the caller's organization, computed by the gateway from rollups. */
export interface BudgetState {
  /** Spend this month in the budget's currency (decimal string). */
  spent: string;
  /** Estimated cost of this call in the budget's currency, if it could be estimated. */
  estimate: string | null;
  /** Estimated cost of the calls in flight (reserved, not yet settled), in the budget's currency. */
  reserved?: string | null;
}

export interface RouteRequest {
  appId: string;
  organizationId: string | null;
  actionType: string;
  queryText: string;
  /** A model code the caller asked for (OpenAI `model` other than "auto" or an action name). */
  explicitModel?: string | null;
  budget?: BudgetState | null;
  /** Time of the call, epoch ms, for prices in force (budget downgrade). Default: Date.now(). */
  at?: number;
  /** The kind of model the call needs (default "chat"); models of the other kind are skipped. */
  modelKind?: ModelKind;
  /**
   * An already known query pattern, used instead of classifying `queryText` (the organization
   * page asks "what wins for pattern X" without inventing a text that classifies as X).
   */
  queryPattern?: QueryPattern;
}

export type RouteDecision =
  | {
      ok: true;
      primary: RouteTarget;
      fallbacks: RouteTarget[];
      /** The configuration row that produced the primary (null for legacy/explicit/global). */
      configId: string | null;
      params: Record<string, unknown>;
      queryPattern: QueryPattern;
      /** Budget alert thresholds crossed by this call (80, 100), for alert records. */
      budgetAlerts: number[];
      trace: TraceStep[];
    }
  | {
      ok: false;
      error: "unknown_app" | "no_route" | "budget_exceeded" | "routing_disabled_no_legacy";
      message: string;
      trace: TraceStep[];
    };

/** Token usage of one attempt, as the provider reported it (null = not reported). */
export interface Usage {
  promptTokens: number | null;
  completionTokens: number | null;
  /** Prompt tokens served from the provider's cache (a subset of promptTokens). */
  cachedTokens: number | null;
  /**
   * Prompt tokens written to the provider's cache (Anthropic cache_creation_input_tokens): a
   * subset of promptTokens, disjoint from cachedTokens. Absent/null = none reported.
   */
  cacheWriteTokens?: number | null;
  /**
   * The part of cacheWriteTokens written to a 1-hour cache (Anthropic
   * cache_creation.ephemeral_1h_input_tokens), priced at the 1-hour write price; the rest are
   * 5-minute writes. Absent/null = none reported.
   */
  cacheWrite1hTokens?: number | null;
  /** Reasoning tokens (a subset of completionTokens where the provider reports them). */
  reasoningTokens: number | null;
  totalTokens: number | null;
}

export interface PriceRow {
  inputPerMtok: string;
  outputPerMtok: string;
  cachedInputPerMtok: string | null;
  /** Prompt-cache write price per Mtok; null = cache writes billed at the input price. */
  cacheWritePerMtok: string | null;
  /** 1-hour prompt-cache write price per Mtok; null/absent = 2x the input price (Anthropic's rate). */
  cacheWrite1hPerMtok?: string | null;
  reasoningPerMtok: string | null;
  currency: string;
}

export interface Pricing {
  /** null when the model has no known price: the record is then incomplete, never 0. */
  cost: string | null;
  currency: string | null;
  source: "database" | "fallback" | null;
  priceId: string | null;
  /**
   * Unit prices per million tokens. `reasoning` (added): null = reasoning billed as output.
   * `cacheWrite` (added): null = cache writes billed as input.
   */
  unit: {
    input: string;
    output: string;
    cachedInput: string | null;
    cacheWrite?: string | null;
    /** The 1-hour write price applied (the row's, or 2x input when it has none). */
    cacheWrite1h?: string | null;
    reasoning?: string | null;
  } | null;
}
