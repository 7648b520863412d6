import { buildSnapshot, type ConfigSnapshot } from "@/lib/engine/snapshot";
import type {
  ConfigSnapshotData,
  ProviderKind,
  SnapshotConfiguration,
  SnapshotSetting,
} from "@/lib/engine/types";

/**
 * A configuration snapshot mirroring supabase/seed.sql (the demo catalog), with readable ids so
 * tests and traces say "model:gpt-4o" instead of a UUID. Each call returns fresh data: a test
 * mutates its copy through `patch` without leaking into the next test.
 */

export const id = {
  provider: (code: string) => `provider:${code}`,
  model: (code: string) => `model:${code}`,
  app: (code: string) => `app:${code}`,
  org: (slug: string) => `org:${slug}`,
};

export const T_BASE = Date.parse("2024-01-01T00:00:00Z");
/** The seed's Mistral Small price cut ("45 days ago" in the seed; fixed here). */
export const T_PRICE_CUT = Date.parse("2025-05-01T00:00:00Z");
export const T_NOW = Date.parse("2025-06-15T12:00:00Z");

const PROVIDERS: [code: string, kind: ProviderKind][] = [
  ["anthropic", "anthropic"], ["mistral", "mistral"], ["openai", "openai"],
  ["google", "google"], ["openrouter", "openrouter"], ["mock", "mock"],
];

const MODELS: [provider: string, code: string, name: string][] = [
  ["anthropic", "claude-sonnet-4-20250514", "Claude Sonnet 4"],
  ["anthropic", "claude-3-5-haiku-20241022", "Claude Haiku 3.5"],
  ["mistral", "mistral-large-latest", "Mistral Large"],
  ["mistral", "mistral-small-latest", "Mistral Small"],
  ["openai", "gpt-4o", "GPT-4o"],
  ["openai", "gpt-4o-mini", "GPT-4o mini"],
  ["google", "gemini-2.0-flash", "Gemini 2.0 Flash"],
  ["google", "gemini-2.5-flash", "Gemini 2.5 Flash"], // no price row: fallback table
  ["openrouter", "meta-llama/llama-3.3-70b-instruct", "Llama 3.3 70B (OpenRouter)"],
  ["mock", "mock-small", "Mock small"],
  ["mock", "mock-large", "Mock large"],
];

/** Mirrors supabase/seed.sql; cacheWrite = Anthropic's 5-minute cache-write price (1.25x input). */
const PRICES: [code: string, input: string, output: string, cached: string | null, currency: string, cacheWrite?: string][] = [
  ["claude-sonnet-4-20250514", "3.00", "15.00", "0.30", "EUR", "3.75"],
  ["claude-3-5-haiku-20241022", "0.80", "4.00", "0.08", "USD", "1.00"],
  ["mistral-large-latest", "0.80", "2.40", null, "EUR"],
  ["mistral-small-latest", "0.20", "0.60", null, "USD"],
  ["gpt-4o", "2.50", "10.00", "1.25", "USD"],
  ["gpt-4o-mini", "0.15", "0.60", "0.075", "USD"],
  ["gemini-2.0-flash", "0.10", "0.40", "0.025", "USD"],
  ["meta-llama/llama-3.3-70b-instruct", "0.13", "0.40", null, "USD"],
  ["mock-small", "0.10", "0.20", null, "EUR"],
  ["mock-large", "1.00", "3.00", null, "EUR"],
];

type Rule = [app: string, org: string | null, action: string, model: string, fallbacks: string[], priority: number, params: Record<string, unknown>];

const RULES: Rule[] = [
  ["werkbon-checker", null, "werkbon_classification", "mistral-large-latest", ["claude-3-5-haiku-20241022", "gpt-4o-mini"], 100, { temperature: 0.1, max_tokens: 1024 }],
  ["werkbon-checker", null, "contract_generation", "claude-sonnet-4-20250514", ["gpt-4o"], 100, { temperature: 0.3, max_tokens: 8192 }],
  ["werkbon-checker", "wvc", "werkbon_classification", "claude-sonnet-4-20250514", ["gpt-4o"], 200, { temperature: 0.1, max_tokens: 1024 }],
  ["werkbon-checker", "sandbox", "werkbon_classification", "mock-small", [], 200, {}],
  ["werkbon-checker", "sandbox", "contract_generation", "mock-large", [], 200, {}],
  ["student-assistant", null, "*", "gpt-4o-mini", ["gemini-2.0-flash"], 100, { temperature: 0.7, max_tokens: 2048 }],
  ["student-assistant", null, "summarize_document", "mistral-small-latest", ["gpt-4o-mini"], 100, { temperature: 0.2, max_tokens: 1024 }],
  ["student-assistant", null, "grade_essay", "gpt-4o", ["claude-3-5-haiku-20241022"], 100, { temperature: 0, max_tokens: 1500 }],
  ["student-assistant", "globex", "summarize_document", "meta-llama/llama-3.3-70b-instruct", ["mistral-small-latest"], 200, { temperature: 0.2, max_tokens: 1024 }],
  ["student-assistant", "sandbox", "*", "mock-small", [], 200, {}],
];

/** "cfg:<app>:<org or default>:<action>:<priority>", unique like the table's unique key. */
export function cfgId(app: string, org: string | null, action: string, priority: number): string {
  return `cfg:${app}:${org ?? "default"}:${action}:${priority}`;
}

export function rule(app: string, org: string | null, action: string, model: string, fallbacks: string[], priority: number, params: Record<string, unknown> = {}): SnapshotConfiguration {
  return {
    id: cfgId(app, org, action, priority),
    appId: id.app(app),
    organizationId: org === null ? null : id.org(org),
    actionType: action,
    modelId: id.model(model),
    fallbackModelIds: fallbacks.map(id.model),
    priority,
    params,
    enabled: true,
  };
}

export function setting(key: string, scope: SnapshotSetting["scope"], valueType: SnapshotSetting["valueType"], value: unknown, where: { app?: string; org?: string } = {}): SnapshotSetting {
  const appId = where.app ? id.app(where.app) : null;
  const organizationId = where.org ? id.org(where.org) : null;
  return { id: `setting:${key}:${scope}:${where.org ?? ""}:${where.app ?? ""}`, key, scope, appId, organizationId, valueType, value };
}

export function demoSnapshotData(): ConfigSnapshotData {
  const models = MODELS.map(([provider, code, name]) => ({ id: id.model(code), providerId: id.provider(provider), modelCode: code, displayName: name, enabled: true }));
  const prices = PRICES.map(([code, input, output, cached, currency, cacheWrite]) => ({
    id: `price:${code}:2024-01-01`, modelId: id.model(code), inputPerMtok: input, outputPerMtok: output,
    cachedInputPerMtok: cached, cacheWritePerMtok: cacheWrite ?? null, reasoningPerMtok: null, currency, effectiveFrom: T_BASE,
  }));
  prices.push({ id: "price:mistral-small-latest:cut", modelId: id.model("mistral-small-latest"), inputPerMtok: "0.10", outputPerMtok: "0.30", cachedInputPerMtok: null, cacheWritePerMtok: null, reasoningPerMtok: null, currency: "USD", effectiveFrom: T_PRICE_CUT });
  return {
    version: 1,
    providers: PROVIDERS.map(([code, kind]) => ({
      id: id.provider(code), code, kind, baseUrl: null, apiKeyEnvVar: kind === "mock" ? null : `${code.toUpperCase()}_API_KEY`,
      enabled: true, timeoutMs: kind === "mock" ? 5000 : 60000, maxRetries: kind === "mock" ? 0 : 2,
    })),
    models,
    prices,
    configurations: RULES.map((r) => rule(...r)),
    settings: [
      setting("confidence_threshold", "global", "float", 0.85),
      setting("max_batch_size", "global", "int", 100),
      setting("feature_quick_classification", "global", "bool", true),
      setting("feature_contract_generation", "global", "bool", true),
      setting("routing.enabled", "global", "bool", true),
      setting("learning.enabled", "global", "bool", true),
      setting("learning.min_confidence", "global", "string", "medium"),
      setting("logging.store_prompts", "global", "bool", false),
      setting("routing.enabled", "app", "bool", true, { app: "werkbon-checker" }),
      setting("confidence_threshold", "organization", "float", 0.9, { org: "wvc" }),
    ],
    apps: [
      { id: id.app("werkbon-checker"), code: "werkbon-checker", name: "Werkbon Checker", baselineModelId: id.model("claude-sonnet-4-20250514"), legacyModelId: id.model("claude-sonnet-4-20250514"), allowExplicitModels: false },
      { id: id.app("student-assistant"), code: "student-assistant", name: "Student Assistant", baselineModelId: id.model("gpt-4o"), legacyModelId: id.model("gpt-4o"), allowExplicitModels: true },
    ],
    organizations: [
      { id: id.org("acme"), slug: "acme", name: "Acme Installations", tier: "standard", monthlyBudget: "20.00", budgetCurrency: "EUR", budgetPolicy: "alert" },
      { id: id.org("wvc"), slug: "wvc", name: "WVC", tier: "premium", monthlyBudget: "40.00", budgetCurrency: "EUR", budgetPolicy: "alert" },
      { id: id.org("globex"), slug: "globex", name: "Globex Services", tier: "standard", monthlyBudget: "4.00", budgetCurrency: "USD", budgetPolicy: "downgrade" },
      { id: id.org("sandbox"), slug: "sandbox", name: "Demo Sandbox", tier: "internal", monthlyBudget: null, budgetCurrency: "EUR", budgetPolicy: "alert" },
    ],
    overrides: [],
  };
}

/** The demo snapshot, optionally changed first (patch mutates the fresh data in place). */
export function demoSnapshot(patch?: (data: ConfigSnapshotData) => void): ConfigSnapshot {
  const data = demoSnapshotData();
  patch?.(data);
  return buildSnapshot(data);
}
