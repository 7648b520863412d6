import type { Kysely } from "kysely";
import type { ConfigSnapshotData, SnapshotBudget } from "@/lib/engine/types";
import type { DB } from "./schema";

/**
 * The engine's configuration snapshot (lib/engine/types.ts) read from the database: providers,
 * models, price history, routing rules, settings, apps, organizations and active learned
 * overrides. The gateway reads it through the service path (lib/gateway/config-cache.ts, which
 * adds the version and app keys); the route simulator reads it under RLS as the signed-in user,
 * so it only contains what they may see. `version` is 0 here; the caller sets it.
 */
export async function loadConfigSnapshotData(tx: Kysely<DB>): Promise<ConfigSnapshotData> {
  const [providers, models, prices, configurations, settings, apps, organizations, overrides, budgets] = await Promise.all([
    tx.selectFrom("llm_providers").selectAll().execute(),
    tx.selectFrom("llm_models").selectAll().execute(),
    tx.selectFrom("model_prices").selectAll().orderBy("effective_from").execute(),
    tx.selectFrom("llm_configurations").selectAll().execute(),
    tx.selectFrom("app_configuration").selectAll().execute(),
    tx.selectFrom("apps").selectAll().execute(),
    tx.selectFrom("organizations").selectAll().execute(),
    tx.selectFrom("learning_overrides").selectAll().where("active", "=", true).execute(),
    tx.selectFrom("budgets").selectAll().orderBy("id").execute(),
  ]);
  const budgetsByOrg = new Map<string, SnapshotBudget[]>();
  for (const b of budgets) {
    const list = budgetsByOrg.get(b.organization_id) ?? [];
    list.push({
      id: b.id, organizationId: b.organization_id, appId: b.app_id, apiKeyId: b.api_key_id, window: b.period,
      amount: b.amount, currency: b.currency, policy: b.policy,
    });
    budgetsByOrg.set(b.organization_id, list);
  }
  return {
    version: 0,
    providers: providers.map((p) => ({
      id: p.id, code: p.code, kind: p.kind, baseUrl: p.base_url, apiKeyEnvVar: p.api_key_env_var,
      enabled: p.enabled, timeoutMs: p.timeout_ms, maxRetries: p.max_retries,
    })),
    models: models.map((m) => ({ id: m.id, providerId: m.provider_id, modelCode: m.model_code, displayName: m.display_name, enabled: m.enabled, kind: m.kind })),
    prices: prices.map((p) => ({
      id: p.id, modelId: p.model_id, inputPerMtok: p.input_per_mtok, outputPerMtok: p.output_per_mtok,
      cachedInputPerMtok: p.cached_input_per_mtok, cacheWritePerMtok: p.cache_write_per_mtok, reasoningPerMtok: p.reasoning_per_mtok,
      cacheWrite1hPerMtok: p.cache_write_1h_per_mtok,
      currency: p.currency,
      effectiveFrom: p.effective_from.getTime(),
    })),
    configurations: configurations.map((c) => ({
      id: c.id, appId: c.app_id, organizationId: c.organization_id, actionType: c.action_type, modelId: c.model_id,
      fallbackModelIds: c.fallback_model_ids, priority: c.priority, params: c.params, enabled: c.enabled,
    })),
    settings: settings.map((s) => ({
      id: s.id, key: s.key, scope: s.scope, appId: s.app_id, organizationId: s.organization_id, valueType: s.value_type, value: s.value,
      minValue: s.min_value, maxValue: s.max_value,
    })),
    apps: apps.map((a) => ({
      id: a.id, code: a.code, name: a.name, baselineModelId: a.baseline_model_id, legacyModelId: a.legacy_model_id,
      allowExplicitModels: a.allow_explicit_models,
    })),
    organizations: organizations.map((o) => ({
      id: o.id, slug: o.slug, name: o.name, tier: o.tier, monthlyBudget: o.monthly_budget, budgetCurrency: o.budget_currency,
      budgetPolicy: o.budget_policy, budgets: budgetsByOrg.get(o.id) ?? [],
    })),
    overrides: overrides.map((o) => ({
      id: o.id, organizationId: o.organization_id, appId: o.app_id, actionType: o.action_type, queryPattern: o.query_pattern, modelId: o.model_id,
      confidence: o.confidence, samples: o.samples, active: o.active,
    })),
  };
}
