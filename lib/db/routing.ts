import type { Kysely } from "kysely";
import { providerReadiness, type ProviderReadiness } from "@/lib/engine/provider-readiness";
import { resolveRoute } from "@/lib/engine/resolve";
import { buildSnapshot } from "@/lib/engine/snapshot";
import type { ConfigSnapshotData, RouteDecision } from "@/lib/engine/types";
import type { SimulateRouteInput } from "@/lib/schemas/llm-configuration";
import type { Database } from "./client";
import { withUser, type JwtClaims, type UserTx } from "./rls";
import { loadConfigSnapshotData } from "./config-snapshot";
import type { DB } from "./schema";

/**
 * Routing rules for the dashboard and the route simulator, read under RLS as the signed-in user:
 * they see the defaults of the apps they belong to and the overrides of their own organizations.
 */

/**
 * The engine's configuration snapshot as the user can see it (read under RLS), the same loader
 * the gateway uses, so the simulator decides with the same engine on the same shape of data. The
 * budget step is skipped: no month-to-date spend is loaded.
 */
export function loadRoutingSnapshot(tx: UserTx | Kysely<DB>): Promise<ConfigSnapshotData> {
  return loadConfigSnapshotData(tx);
}

/** Runs the gateway's engine on the user's snapshot. Budget is not evaluated (no spend is loaded). */
export async function simulateRoute(tx: UserTx | Kysely<DB>, input: SimulateRouteInput): Promise<RouteDecision> {
  return (await simulateRouteWithReadiness(tx, input, {})).decision;
}

/** What the simulator shows: the engine's decision and whether each provider it names could serve. */
export interface SimulatedRoute {
  decision: RouteDecision;
  /** The providers of the primary and fallbacks, in that order, each once (empty without a route). */
  readiness: ProviderReadiness[];
}

/**
 * The simulation plus each chosen provider's readiness on this server (enabled, key env var set),
 * so the simulator can say that a real call would fail where the engine alone would not. `env` is
 * this server's environment; only booleans and variable names come back.
 */
export async function simulateRouteWithReadiness(
  tx: UserTx | Kysely<DB>,
  input: SimulateRouteInput,
  env: Record<string, string | undefined>,
): Promise<SimulatedRoute> {
  const snapshot = buildSnapshot(await loadRoutingSnapshot(tx));
  const decision = resolveRoute(snapshot, {
    appId: input.appId,
    organizationId: input.organizationId,
    actionType: input.actionType,
    queryText: input.sampleText,
    budget: null,
  });
  if (!decision.ok) return { decision, readiness: [] };
  const providers = new Map([decision.primary, ...decision.fallbacks].map((t) => [t.provider.code, t.provider]));
  return { decision, readiness: [...providers.values()].map((p) => providerReadiness(p, env)) };
}

export interface RoutingModel {
  id: string;
  modelCode: string;
  displayName: string;
  providerCode: string;
  enabled: boolean;
  /** Whether its provider could serve a real call from this server (enabled, key set). */
  readiness: ProviderReadiness;
}

export interface RoutingApp {
  id: string;
  code: string;
  name: string;
  /** Actions declared on the app and those seen in its calls: what the rule form offers. */
  actions: { declared: string[]; seen: string[] };
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
  apps: RoutingApp[];
  organizations: { id: string; slug: string; name: string }[];
}

const numberOrNull = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

/**
 * The Routing page. `env` is this server's environment: each model's provider readiness is
 * reduced to booleans and the key variable's name here; no key value leaves this function.
 */
export async function loadRoutingPage(
  db: Database | Kysely<DB>,
  claims: JwtClaims,
  env: Record<string, string | undefined>,
): Promise<RoutingPageData> {
  return withUser(db, claims, async (tx) => {
    const [rules, models, apps, seen, organizations] = await Promise.all([
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
        .select([
          "m.id", "m.model_code", "m.display_name", "p.code as provider_code", "m.enabled", "p.enabled as provider_enabled",
          "p.kind as provider_kind", "p.api_key_env_var",
        ])
        .orderBy("p.code")
        .orderBy("m.model_code")
        .execute(),
      tx.selectFrom("apps").select(["id", "code", "name", "declared_actions"]).orderBy("name").execute(),
      tx.selectFrom("app_seen_actions").select(["app_id", "action_type"]).orderBy("action_type").execute(),
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
        readiness: providerReadiness({ code: m.provider_code, kind: m.provider_kind, enabled: m.provider_enabled, apiKeyEnvVar: m.api_key_env_var }, env),
      })),
      apps: apps.map((a) => ({
        id: a.id, code: a.code, name: a.name,
        actions: { declared: [...a.declared_actions].sort(), seen: seen.filter((x) => x.app_id === a.id).map((x) => x.action_type) },
      })),
      organizations,
    };
  });
}
