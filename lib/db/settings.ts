import type { Kysely } from "kysely";
import { buildSnapshot } from "@/lib/engine/snapshot";
import { settingProblem } from "@/lib/engine/setting-validity";
import { getSetting, type SettingSource } from "@/lib/engine/settings";
import { parseSettingValue, type SettingInput, type SettingScope, type SettingValueTypeName } from "@/lib/schemas/app-setting";
import type { Database } from "./client";
import { withUser, type JwtClaims, type UserTx } from "./rls";
import type { DB } from "./schema";
import { WriteRefusal } from "./write-refusal";

/**
 * Typed settings (app_configuration) read and written under RLS as the signed-in user. The
 * effective value for a chosen app and organization is resolved by the engine's own precedence
 * (lib/engine/settings.ts, the gateway's), on the rows the user can see.
 */

export interface SettingRow {
  id: string;
  key: string;
  scope: SettingScope;
  appId: string | null;
  appName: string | null;
  organizationId: string | null;
  organizationName: string | null;
  valueType: SettingValueTypeName;
  value: unknown;
  minValue: string | null;
  maxValue: string | null;
  description: string | null;
}

export interface SettingKeyView {
  key: string;
  /** The effective value for the chosen context and the row (or built-in default) it comes from. */
  effective: { value: unknown; source: SettingSource };
  rows: SettingRow[];
}

export interface SettingsContext {
  appId: string | null;
  organizationId: string | null;
}

/** A key's one type and pair of bounds (setting_definitions): every scope's row follows it. */
export interface SettingDefinition {
  valueType: SettingValueTypeName;
  minValue: string | null;
  maxValue: string | null;
}

/** A stored row whose value does not fit its definition (saved before definitions existed). */
export interface SettingAttention {
  row: SettingRow;
  /** Why, in words ("holds 5, outside its bounds 0 … 1"). */
  problem: string;
}

export interface SettingsPageData {
  keys: SettingKeyView[];
  /** Rows the gateway ignores (it reads the default) until someone saves a valid value. */
  needsAttention: SettingAttention[];
  /** By key; the global row defines a key (or its first row while it has no global row). */
  definitions: Record<string, SettingDefinition>;
  apps: { id: string; name: string }[];
  organizations: { id: string; name: string }[];
}

const SCOPE_ORDER: Record<SettingScope, number> = { organization: 0, app: 1, global: 2 };

export async function loadSettingsPage(db: Database | Kysely<DB>, claims: JwtClaims, ctx: SettingsContext): Promise<SettingsPageData> {
  return withUser(db, claims, async (tx) => {
    const [rows, definitions, apps, organizations] = await Promise.all([
      tx
        .selectFrom("app_configuration as c")
        .leftJoin("apps as a", "a.id", "c.app_id")
        .leftJoin("organizations as o", "o.id", "c.organization_id")
        .select([
          "c.id", "c.key", "c.scope", "c.app_id", "a.name as app_name", "c.organization_id", "o.name as organization_name",
          "c.value_type", "c.value", "c.min_value", "c.max_value", "c.description",
        ])
        .orderBy("c.key")
        .execute(),
      tx.selectFrom("setting_definitions").select(["key", "value_type", "min_value", "max_value"]).execute(),
      tx.selectFrom("apps").select(["id", "name"]).orderBy("name").execute(),
      tx.selectFrom("organizations").select(["id", "name"]).orderBy("name").execute(),
    ]);
    const list: SettingRow[] = rows.map((r) => ({
      id: r.id, key: r.key, scope: r.scope, appId: r.app_id, appName: r.app_name, organizationId: r.organization_id,
      organizationName: r.organization_name, valueType: r.value_type, value: r.value, minValue: r.min_value,
      maxValue: r.max_value, description: r.description,
    }));
    // Only the settings matter to the lookup; the rest of the snapshot stays empty.
    const snapshot = buildSnapshot({
      version: 0, providers: [], models: [], prices: [], configurations: [], apps: [], organizations: [], overrides: [],
      settings: list.map((s) => ({
        id: s.id, key: s.key, scope: s.scope, appId: s.appId, organizationId: s.organizationId, valueType: s.valueType, value: s.value,
        minValue: s.minValue, maxValue: s.maxValue,
      })),
    });
    const byKey = new Map<string, SettingRow[]>();
    for (const row of list) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row]);
    const keys = [...byKey.entries()].map(([key, keyRows]) => {
      const resolved = getSetting(snapshot, key, ctx);
      return {
        key,
        effective: { value: resolved.value, source: resolved.source },
        rows: keyRows.sort((a, b) => SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope] || (a.organizationName ?? a.appName ?? "").localeCompare(b.organizationName ?? b.appName ?? "")),
      };
    });
    const needsAttention = list.flatMap((row) => {
      const problem = settingProblem(row);
      return problem ? [{ row, problem }] : [];
    });
    return {
      keys,
      needsAttention,
      definitions: Object.fromEntries(definitions.map((d) => [d.key, { valueType: d.value_type, minValue: d.min_value, maxValue: d.max_value }])),
      apps,
      organizations,
    };
  });
}

const NOT_FOUND = "Setting not found, or you may not change it.";

/** Creates (no id) or updates a setting; returns its id. */
export async function saveSetting(tx: UserTx, input: SettingInput): Promise<{ id: string }> {
  const parsed = parseSettingValue(input.valueType, input.value);
  if (!parsed.ok) throw new WriteRefusal("Check the highlighted fields.", { value: [parsed.message] });
  const row = {
    key: input.key,
    scope: input.scope,
    app_id: input.scope === "global" ? null : input.appId,
    organization_id: input.scope === "organization" ? input.organizationId : null,
    value_type: input.valueType,
    value: JSON.stringify(parsed.value),
    min_value: input.minValue === null ? null : String(input.minValue),
    max_value: input.maxValue === null ? null : String(input.maxValue),
    description: input.description ? input.description : null,
  };
  if (!input.id) return tx.insertInto("app_configuration").values(row).returning("id").executeTakeFirstOrThrow().catch(definitionToRefusal);
  const result = await tx.updateTable("app_configuration").set(row).where("id", "=", input.id).executeTakeFirst().catch(definitionToRefusal);
  if (Number(result.numUpdatedRows) === 0) throw new WriteRefusal(NOT_FOUND);
  return { id: input.id };
}

/**
 * The definition guard's refusals (20261207240000_admin_validation.sql: a row that changes its
 * key's type or bounds, or a value outside them) on the field concerned, in the guard's words.
 */
function definitionToRefusal(err: unknown): never {
  const constraint = (err as { constraint?: unknown })?.constraint;
  const message = err instanceof Error ? err.message : "";
  if (constraint === "app_configuration_definition_type") throw new WriteRefusal(message, { valueType: [message] });
  if (constraint === "app_configuration_definition_bounds") {
    throw new WriteRefusal(message, /must be between/.test(message) ? { value: [message] } : { minValue: [message] });
  }
  throw err;
}

export async function deleteSetting(tx: UserTx, id: string): Promise<{ id: string }> {
  const result = await tx.deleteFrom("app_configuration").where("id", "=", id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new WriteRefusal(NOT_FOUND);
  return { id };
}
