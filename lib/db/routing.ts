import type { Kysely } from "kysely";
import { resolveRoute } from "@/lib/engine/resolve";
import { buildSnapshot } from "@/lib/engine/snapshot";
import type { ConfigSnapshotData, RouteDecision } from "@/lib/engine/types";
import type { SimulateRouteInput } from "@/lib/schemas/llm-configuration";
import type { Database } from "./client";
import { withUser, type JwtClaims, type UserTx } from "./rls";
import type { DB } from "./schema";

/**
 * Routing rules for the dashboard and the route simulator, read under RLS as the signed-in user:
 * they see the defaults of the apps they belong to and the overrides of their own organizations.
 */

/**
 * The engine's configuration snapshot as the user can see it, shaped like the gateway's
 * (lib/gateway/config-cache.ts loadSnapshotData) so the simulator decides with the same engine.
 * Differences: no app keys (users may not read key hashes), no config_version (not readable by
 * users; the simulator does not cache), and no month-to-date spend (the budget step is skipped).
 */
export async function loadRoutingSnapshot(tx: UserTx | Kysely<DB>): Promise<ConfigSnapshotData> {
  const [providers, models, prices, configurations, settings, apps, organizations, overrides] = await Promise.all([
    tx.selectFrom("llm_providers").selectAll().execute(),
    tx.selectFrom("llm_models").selectAll().execute(),
    tx.selectFrom("model_prices").selectAll().orderBy("effective_from").execute(),
    tx.selectFrom("llm_configurations").selectAll().execute(),
    tx.selectFrom("app_configuration").selectAll().execute(),
    tx.selectFrom("apps").selectAll().execute(),
    tx.selectFrom("organizations").selectAll().execute(),
    tx.selectFrom("learning_overrides").selectAll().where("active", "=", true).execute(),
  ]);
  return {
    version: 0,
    providers: providers.map((p) => ({
      id: p.id, code: p.code, kind: p.kind, baseUrl: p.base_url, apiKeyEnvVar: p.api_key_env_var,
      enabled: p.enabled, timeoutMs: p.timeout_ms, maxRetries: p.max_retries,
    })),
    models: models.map((m) => ({ id: m.id, providerId: m.provider_id, modelCode: m.model_code, displayName: m.display_name, enabled: m.enabled })),
    prices: prices.map((p) => ({
      id: p.id, modelId: p.model_id, inputPerMtok: p.input_per_mtok, outputPerMtok: p.output_per_mtok,
      cachedInputPerMtok: p.cached_input_per_mtok, reasoningPerMtok: p.reasoning_per_mtok, currency: p.currency,
      effectiveFrom: p.effective_from.getTime(),
    })),
    configurations: configurations.map((c) => ({
      id: c.id, appId: c.app_id, organizationId: c.organization_id, actionType: c.action_type, modelId: c.model_id,
      fallbackModelIds: c.fallback_model_ids, priority: c.priority, params: c.params, enabled: c.enabled,
    })),
    settings: settings.map((s) => ({
      id: s.id, key: s.key, scope: s.scope, appId: s.app_id, organizationId: s.organization_id, valueType: s.value_type, value: s.value,
    })),
    apps: apps.map((a) => ({
      id: a.id, code: a.code, name: a.name, baselineModelId: a.baseline_model_id, legacyModelId: a.legacy_model_id,
      allowExplicitModels: a.allow_explicit_models,
    })),
    organizations: organizations.map((o) => ({
      id: o.id, slug: o.slug, name: o.name, tier: o.tier, monthlyBudget: o.monthly_budget, budgetCurrency: o.budget_currency,
      budgetPolicy: o.budget_policy,
    })),
    overrides: overrides.map((o) => ({
      id: o.id, appId: o.app_id, actionType: o.action_type, queryPattern: o.query_pattern, modelId: o.model_id,
      confidence: o.confidence, samples: o.samples, active: o.active,
    })),
  };
}

/** Runs the gateway's engine on the user's snapshot. Budget is not evaluated (no spend is loaded). */
export async function simulateRoute(tx: UserTx | Kysely<DB>, input: SimulateRouteInput): Promise<RouteDecision> {
  const snapshot = buildSnapshot(await loadRoutingSnapshot(tx));
  return resolveRoute(snapshot, {
    appId: input.appId,
    organizationId: input.organizationId,
    actionType: input.actionType,
    queryText: input.sampleText,
    budget: null,
  });
}

export interface RoutingModel {
  id: string;
  modelCode: string;
  displayName: string;
  providerCode: string;
  enabled: boolean;
}

export interface RoutingRule {
  id: string;
  appId: string;
  appName: string;
  organizationId: string | null;
  organizationName: string | null;
  actionType: string;
  modelId: string;
  fallbackModelIds: string[];
  priority: number;
  temperature: number | null;
  maxTokens: number | null;
  enabled: boolean;
  description: string | null;
  updatedAt: string;
}

export interface RoutingPageData {
  rules: RoutingRule[];
  models: RoutingModel[];
  apps: { id: string; code: string; name: string }[];
  organizations: { id: string; slug: string; name: string }[];
}

const numberOrNull = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

export async function loadRoutingPage(db: Database | Kysely<DB>, claims: JwtClaims): Promise<RoutingPageData> {
  return withUser(db, claims, async (tx) => {
    const [rules, models, apps, organizations] = await Promise.all([
      tx
        .selectFrom("llm_configurations as c")
        .innerJoin("apps as a", "a.id", "c.app_id")
        .leftJoin("organizations as o", "o.id", "c.organization_id")
        .select([
          "c.id", "c.app_id", "a.name as app_name", "c.organization_id", "o.name as organization_name", "c.action_type",
          "c.model_id", "c.fallback_model_ids", "c.priority", "c.params", "c.enabled", "c.description", "c.updated_at",
        ])
        .orderBy("a.name")
        .orderBy("c.action_type")
        .orderBy("c.priority", "desc")
        .orderBy("o.name")
        .execute(),
      tx
        .selectFrom("llm_models as m")
        .innerJoin("llm_providers as p", "p.id", "m.provider_id")
        .select(["m.id", "m.model_code", "m.display_name", "p.code as provider_code", "m.enabled", "p.enabled as provider_enabled"])
        .orderBy("p.code")
        .orderBy("m.model_code")
        .execute(),
      tx.selectFrom("apps").select(["id", "code", "name"]).orderBy("name").execute(),
      tx.selectFrom("organizations").select(["id", "slug", "name"]).orderBy("name").execute(),
    ]);
    return {
      rules: rules.map((r) => ({
        id: r.id,
        appId: r.app_id,
        appName: r.app_name,
        organizationId: r.organization_id,
        organizationName: r.organization_name,
        actionType: r.action_type,
        modelId: r.model_id,
        fallbackModelIds: r.fallback_model_ids,
        priority: r.priority,
        temperature: numberOrNull(r.params.temperature),
        maxTokens: numberOrNull(r.params.max_tokens),
        enabled: r.enabled,
        description: r.description,
        updatedAt: r.updated_at.toISOString(),
      })),
      models: models.map((m) => ({
        id: m.id, modelCode: m.model_code, displayName: m.display_name, providerCode: m.provider_code,
        // A model of a disabled provider cannot serve a call either.
        enabled: m.enabled && m.provider_enabled,
      })),
      apps,
      organizations,
    };
  });
}
