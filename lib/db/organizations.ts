import { providerReadiness, readinessMark } from "@/lib/engine/provider-readiness";
import type { Kysely } from "kysely";
import type { AppFormInput, OrganizationFormInput } from "@/lib/schemas/organization";
import type { Database } from "./client";
import { withUser, type JwtClaims, type UserTx } from "./rls";
import type { DB } from "./schema";
import { WriteRefusal } from "./write-refusal";

/**
 * Client organizations and apps for the platform admins' page, read and written under RLS:
 * members read what they belong to, only platform admins insert or update (the policies in the
 * foundation migration). Nothing is deleted here: an organization's or app's call history is
 * accounting evidence.
 */

export interface OrganizationRow {
  id: string;
  slug: string;
  name: string;
  tier: string;
  members: number;
  keys: number;
  createdAt: string;
}

export interface AppRow {
  id: string;
  code: string;
  name: string;
  description: string | null;
  baselineModelId: string | null;
  legacyModelId: string | null;
  allowExplicitModels: boolean;
  /** Actions declared on the app (the routing rule form also knows those seen in its calls). */
  declaredActions: string[];
  keys: number;
  rules: number;
}

export interface ModelOption {
  id: string;
  label: string;
  enabled: boolean;
  /**
   * Why the model cannot serve a real call from this server, in the routing pickers' words
   * (lib/engine/provider-readiness.ts readinessMark: "provider disabled", "no key"; else
   * "disabled" for a disabled model); null when it can.
   */
  mark: string | null;
}

export interface OrganizationsPageData {
  organizations: OrganizationRow[];
  apps: AppRow[];
  models: ModelOption[];
}

/**
 * `env` is this server's environment, reduced here to each provider's readiness (as the Routing
 * page does); no key value leaves this function.
 */
export async function loadOrganizationsPage(db: Database | Kysely<DB>, claims: JwtClaims, env: Record<string, string | undefined> = {}): Promise<OrganizationsPageData> {
  return withUser(db, claims, async (tx) => {
    const [organizations, apps, models] = await Promise.all([
      tx
        .selectFrom("organizations as o")
        .select((eb) => [
          "o.id", "o.slug", "o.name", "o.tier", "o.created_at",
          eb.selectFrom("memberships as m").select((s) => s.fn.countAll<string>().as("n")).whereRef("m.organization_id", "=", "o.id").as("members"),
          eb.selectFrom("api_keys as k").select((s) => s.fn.countAll<string>().as("n")).whereRef("k.organization_id", "=", "o.id").where("k.revoked_at", "is", null).as("keys"),
        ])
        .orderBy("o.name")
        .execute(),
      tx
        .selectFrom("apps as a")
        .select((eb) => [
          "a.id", "a.code", "a.name", "a.description", "a.baseline_model_id", "a.legacy_model_id", "a.allow_explicit_models", "a.declared_actions",
          eb.selectFrom("api_keys as k").select((s) => s.fn.countAll<string>().as("n")).whereRef("k.app_id", "=", "a.id").where("k.revoked_at", "is", null).as("keys"),
          eb.selectFrom("llm_configurations as c").select((s) => s.fn.countAll<string>().as("n")).whereRef("c.app_id", "=", "a.id").as("rules"),
        ])
        .orderBy("a.name")
        .execute(),
      tx
        .selectFrom("llm_models as m")
        .innerJoin("llm_providers as p", "p.id", "m.provider_id")
        .select(["m.id", "m.model_code", "p.code as provider_code", "m.enabled", "p.kind as provider_kind", "p.enabled as provider_enabled", "p.api_key_env_var"])
        .orderBy("p.code")
        .orderBy("m.model_code")
        .execute(),
    ]);
    return {
      organizations: organizations.map((o) => ({
        id: o.id, slug: o.slug, name: o.name, tier: o.tier, members: Number(o.members ?? 0), keys: Number(o.keys ?? 0), createdAt: o.created_at.toISOString(),
      })),
      apps: apps.map((a) => ({
        id: a.id, code: a.code, name: a.name, description: a.description, baselineModelId: a.baseline_model_id, legacyModelId: a.legacy_model_id,
        allowExplicitModels: a.allow_explicit_models, declaredActions: a.declared_actions, keys: Number(a.keys ?? 0), rules: Number(a.rules ?? 0),
      })),
      models: models.map((m) => {
        const readiness = providerReadiness({ code: m.provider_code, kind: m.provider_kind, enabled: m.provider_enabled, apiKeyEnvVar: m.api_key_env_var }, env);
        return {
          id: m.id, label: `${m.model_code} · ${m.provider_code}`, enabled: m.enabled && m.provider_enabled,
          mark: readinessMark(readiness) ?? (m.enabled ? null : "disabled"),
        };
      }),
    };
  });
}

/** Refuses a new organization slug or app code that is taken, naming the field. */
async function ensureFree(
  tx: UserTx,
  { table, column, value, label }: { table: "organizations" | "apps"; column: "slug" | "code"; value: string; label: string },
): Promise<void> {
  const taken = await tx.selectFrom(table).select("id").where(column, "=", value).executeTakeFirst();
  if (taken) throw new WriteRefusal("Check the highlighted fields.", { [column]: [`${label} ${value} exists already.`] });
}

/** Adds (no id) or edits an organization; the slug is fixed once created. */
export async function saveOrganization(tx: UserTx, input: OrganizationFormInput): Promise<{ id: string; created: boolean }> {
  if (!input.id) {
    await ensureFree(tx, { table: "organizations", column: "slug", value: input.slug, label: "An organization called" });
    const row = await tx.insertInto("organizations").values({ slug: input.slug, name: input.name, tier: input.tier }).returning("id").executeTakeFirstOrThrow();
    return { id: row.id, created: true };
  }
  const result = await tx
    .updateTable("organizations")
    .set({ name: input.name, tier: input.tier })
    .where("id", "=", input.id)
    .where("slug", "=", input.slug)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new WriteRefusal("Organization not found, or you may not change it.");
  return { id: input.id, created: false };
}

/** Adds (no id) or edits an app; the code is fixed once created. */
export async function saveApp(tx: UserTx, input: AppFormInput): Promise<{ id: string; created: boolean }> {
  const values = {
    name: input.name,
    description: input.description,
    baseline_model_id: input.baselineModelId,
    legacy_model_id: input.legacyModelId,
    allow_explicit_models: input.allowExplicitModels,
    ...(input.declaredActions ? { declared_actions: input.declaredActions } : {}),
  };
  if (!input.id) {
    await ensureFree(tx, { table: "apps", column: "code", value: input.code, label: "An app called" });
    const row = await tx.insertInto("apps").values({ ...values, code: input.code }).returning("id").executeTakeFirstOrThrow();
    return { id: row.id, created: true };
  }
  const result = await tx.updateTable("apps").set(values).where("id", "=", input.id).where("code", "=", input.code).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new WriteRefusal("App not found, or you may not change it.");
  return { id: input.id, created: false };
}
