import { key2, type ConfigSnapshot } from "@/lib/engine/snapshot";
import { settingProblem } from "@/lib/engine/setting-validity";
import type { SettingValueType, SnapshotSetting } from "@/lib/engine/types";

/**
 * Typed app settings (app_configuration) with the precedence of SQL resolve_app_config:
 * organization+app > organization > app > global > built-in default. The defaults are what the
 * code does when the database has never been reachable (snapshot null) or a row holds a value of
 * the wrong type: reading a setting never throws.
 */

/**
 * Safe defaults. "Safe" = the least surprising behaviour without configuration: routing on (it is
 * the product), learned overrides off until the database turns them on, only high-confidence
 * overrides, prompts never stored, features on (a missing flag row must not hide a page).
 */
export const SETTING_DEFAULTS = {
  "routing.enabled": true,
  "routing.global_fallback_model": null,
  "learning.enabled": false,
  "learning.min_confidence": "high",
  // learning (issue 9): organizations whose feedback an app-wide learned override needs.
  "learning.min_organizations": 3,
  "logging.store_prompts": false,
  confidence_threshold: 0.85,
  max_batch_size: 100,
  feature_quick_classification: true,
  feature_contract_generation: true,
  "budget.alert_thresholds": [80, 100],
  // Gateway safety (issue 9): request fields that change billing/retention an app or org allows.
  "gateway.allowed_billing_fields": [],
  // Gateway limits for keys whose own limit is empty (null): no key is unlimited by accident.
  "gateway.default_rate_limit_per_minute": 600,
  "gateway.default_max_concurrent_per_key": 20,
  // Budgets (issue 9 item 10): output tokens a call is assumed to use when it sets no max_tokens.
  "budget.default_output_tokens": 1024,
  // Ledger retention (lib/db/retention.ts): whole months of llm_calls to keep; null = everything.
  // Global scope only (a partition holds every organization's calls); below 2 is refused.
  "ledger.retention_months": null,
  // Response cache (issue 13): seconds an answer is served again to the same app and
  // organization for the identical request; 0 = off (lib/gateway/cache.ts).
  "cache.ttl_seconds": 0,
} as const;

type Defaults = typeof SETTING_DEFAULTS;
type KeysWhere<T> = { [K in keyof Defaults]: Defaults[K] extends T ? K : never }[keyof Defaults];
export type BoolSettingKey = KeysWhere<boolean>;
export type NumberSettingKey = KeysWhere<number>;
export type StringSettingKey = KeysWhere<string>;
export type NullableStringSettingKey = KeysWhere<string | null>;

export interface SettingContext {
  appId?: string | null;
  organizationId?: string | null;
}

/** Where an effective value came from, for the route simulator and the settings page. */
export interface SettingSource {
  scope: "organization" | "app" | "global" | "default";
  /** app_configuration.id; null for a built-in default. */
  id: string | null;
  appId: string | null;
  organizationId: string | null;
  /** Set when a stored row was ignored because its value had the wrong type. */
  ignored?: string;
}

export interface ResolvedSetting<T> {
  value: T;
  source: SettingSource;
}

const DEFAULT_SOURCE: SettingSource = { scope: "default", id: null, appId: null, organizationId: null };

/** The effective row for (key, app, organization), or null when no row applies. */
export function findSettingRow(
  snapshot: ConfigSnapshot | null,
  key: string,
  ctx: SettingContext,
): SnapshotSetting | null {
  const index = snapshot?.settingsByKey.get(key);
  if (!index) return null;
  const { appId, organizationId } = ctx;
  if (organizationId) {
    if (appId) {
      const orgApp = index.byOrganizationApp.get(key2(organizationId, appId));
      if (orgApp) return orgApp;
    }
    const org = index.byOrganization.get(organizationId);
    if (org) return org;
  }
  if (appId) {
    const app = index.byApp.get(appId);
    if (app) return app;
  }
  return index.global;
}

function sourceOf(row: SnapshotSetting): SettingSource {
  return { scope: row.scope, id: row.id, appId: row.appId, organizationId: row.organizationId };
}

/** The raw effective value (any type) and its source; `fallback` when nothing applies. */
export function getSetting(
  snapshot: ConfigSnapshot | null,
  key: string,
  ctx: SettingContext,
  fallback?: unknown,
): ResolvedSetting<unknown> & { valueType: SettingValueType | null } {
  const row = findSettingRow(snapshot, key, ctx);
  const problem = row ? settingProblem(row) : null;
  if (row && !problem) return { value: row.value, valueType: row.valueType, source: sourceOf(row) };
  const value = fallback !== undefined ? fallback : defaultFor(key);
  return { value, valueType: null, source: row ? ignoredSource(row, problem!) : DEFAULT_SOURCE };
}

function defaultFor(key: string): unknown {
  return Object.prototype.hasOwnProperty.call(SETTING_DEFAULTS, key)
    ? SETTING_DEFAULTS[key as keyof Defaults]
    : undefined;
}

/** The default's source when `row` applies but its value does not fit its definition. */
function ignoredSource(row: SnapshotSetting, problem: string): SettingSource {
  return { ...DEFAULT_SOURCE, ignored: `${row.scope} row ${row.id} ${problem}` };
}

/**
 * Reads a row, accepts it only when its value fits its type and bounds (lib/engine/setting-validity.ts)
 * and `accept` says its shape is right, else the fallback.
 */
function readTyped<T>(
  snapshot: ConfigSnapshot | null,
  key: string,
  ctx: SettingContext,
  { accept, fallback }: { accept: (row: SnapshotSetting) => T | undefined; fallback: T },
): ResolvedSetting<T> {
  const row = findSettingRow(snapshot, key, ctx);
  if (!row) return { value: fallback, source: DEFAULT_SOURCE };
  const problem = settingProblem(row);
  if (problem) return { value: fallback, source: ignoredSource(row, problem) };
  const value = accept(row);
  if (value !== undefined) return { value, source: sourceOf(row) };
  return {
    value: fallback,
    source: { ...DEFAULT_SOURCE, ignored: `${row.scope} row ${row.id} holds a ${row.valueType} of the wrong shape` },
  };
}

function boolFallback(key: string, fallback: boolean | undefined): boolean {
  if (fallback !== undefined) return fallback;
  const d = defaultFor(key);
  if (typeof d === "boolean") return d;
  // Unknown feature flags default on (a missing row must not switch a feature off); anything
  // else unknown defaults off.
  return key.startsWith("feature_");
}

export function readBool(snapshot: ConfigSnapshot | null, key: BoolSettingKey, ctx: SettingContext, fallback?: boolean): ResolvedSetting<boolean>;
export function readBool(snapshot: ConfigSnapshot | null, key: string, ctx: SettingContext, fallback?: boolean): ResolvedSetting<boolean>;
export function readBool(snapshot: ConfigSnapshot | null, key: string, ctx: SettingContext, fallback?: boolean): ResolvedSetting<boolean> {
  const accept = (r: SnapshotSetting) => (r.valueType === "bool" && typeof r.value === "boolean" ? r.value : undefined);
  return readTyped(snapshot, key, ctx, { accept, fallback: boolFallback(key, fallback) });
}

export function readNumber(snapshot: ConfigSnapshot | null, key: NumberSettingKey, ctx: SettingContext, fallback?: number): ResolvedSetting<number>;
export function readNumber(snapshot: ConfigSnapshot | null, key: string, ctx: SettingContext, fallback: number): ResolvedSetting<number>;
export function readNumber(snapshot: ConfigSnapshot | null, key: string, ctx: SettingContext, fallback?: number): ResolvedSetting<number> {
  const accept = (r: SnapshotSetting) => {
    if (typeof r.value !== "number" || !Number.isFinite(r.value)) return undefined;
    if (r.valueType === "float") return r.value;
    if (r.valueType === "int" && Number.isInteger(r.value)) return r.value;
    return undefined;
  };
  const d = defaultFor(key);
  return readTyped(snapshot, key, ctx, { accept, fallback: fallback ?? (typeof d === "number" ? d : 0) });
}

export function readString(snapshot: ConfigSnapshot | null, key: StringSettingKey, ctx: SettingContext, fallback?: string): ResolvedSetting<string>;
export function readString(snapshot: ConfigSnapshot | null, key: string, ctx: SettingContext, fallback?: string | null): ResolvedSetting<string | null>;
export function readString(snapshot: ConfigSnapshot | null, key: string, ctx: SettingContext, fallback?: string | null): ResolvedSetting<string | null> {
  const accept = (r: SnapshotSetting) => (r.valueType === "string" && typeof r.value === "string" ? r.value : undefined);
  const d = defaultFor(key);
  const fb = fallback !== undefined ? fallback : typeof d === "string" ? d : null;
  return readTyped<string | null>(snapshot, key, ctx, { accept, fallback: fb });
}

/** JSON settings are returned as stored; validate their shape where they are used (zod). */
export function readJson(snapshot: ConfigSnapshot | null, key: string, ctx: SettingContext, fallback?: unknown): ResolvedSetting<unknown> {
  const accept = (r: SnapshotSetting) => (r.valueType === "json" && r.value !== undefined ? r.value : undefined);
  return readTyped(snapshot, key, ctx, { accept, fallback: fallback !== undefined ? fallback : (defaultFor(key) ?? null) });
}

export function getBool(snapshot: ConfigSnapshot | null, key: BoolSettingKey, ctx: SettingContext, fallback?: boolean): boolean;
export function getBool(snapshot: ConfigSnapshot | null, key: string, ctx: SettingContext, fallback?: boolean): boolean;
export function getBool(snapshot: ConfigSnapshot | null, key: string, ctx: SettingContext, fallback?: boolean): boolean {
  return readBool(snapshot, key, ctx, fallback).value;
}

export function getNumber(snapshot: ConfigSnapshot | null, key: NumberSettingKey, ctx: SettingContext, fallback?: number): number;
export function getNumber(snapshot: ConfigSnapshot | null, key: string, ctx: SettingContext, fallback: number): number;
export function getNumber(snapshot: ConfigSnapshot | null, key: string, ctx: SettingContext, fallback?: number): number {
  return readNumber(snapshot, key, ctx, fallback as number).value;
}

export function getString(snapshot: ConfigSnapshot | null, key: StringSettingKey, ctx: SettingContext, fallback?: string): string;
export function getString(snapshot: ConfigSnapshot | null, key: string, ctx: SettingContext, fallback?: string | null): string | null;
export function getString(snapshot: ConfigSnapshot | null, key: string, ctx: SettingContext, fallback?: string | null): string | null {
  return readString(snapshot, key, ctx, fallback).value;
}

export function getJson(snapshot: ConfigSnapshot | null, key: string, ctx: SettingContext, fallback?: unknown): unknown {
  return readJson(snapshot, key, ctx, fallback).value;
}
