import type { Kysely } from "kysely";
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
