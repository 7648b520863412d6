import type {
  ConfigSnapshotData,
  ModelKind,
  SnapshotApp,
  SnapshotConfiguration,
  SnapshotModel,
  SnapshotOrganization,
  SnapshotOverride,
  SnapshotPrice,
  SnapshotProvider,
  SnapshotSetting,
} from "@/lib/engine/types";

/**
 * An indexed, read-only view of ConfigSnapshotData. Built once per configuration version (the
 * gateway rebuilds it when the version counter moves), then queried on every request, so all the
 * sorting and grouping happens here and resolve() only does map lookups and short scans.
 */

/** Settings of one key, split by scope so a lookup never scans other organizations' rows. */
export interface SettingIndex {
  global: SnapshotSetting | null;
  byApp: Map<string, SnapshotSetting>;
  byOrganization: Map<string, SnapshotSetting>;
  /** Key: organizationId + SEP + appId. */
  byOrganizationApp: Map<string, SnapshotSetting>;
}

export interface ConfigSnapshot {
  readonly version: number;
  readonly data: ConfigSnapshotData;
  readonly providersById: ReadonlyMap<string, SnapshotProvider>;
  readonly providersByCode: ReadonlyMap<string, SnapshotProvider>;
  readonly modelsById: ReadonlyMap<string, SnapshotModel>;
  /** model_code is unique per provider only, so one code can name several models. */
  readonly modelsByCode: ReadonlyMap<string, readonly SnapshotModel[]>;
  /** Key: providerCode + SEP + modelCode. */
  readonly modelsByProviderCode: ReadonlyMap<string, SnapshotModel>;
  /** Ascending effective_from, so the row in force is found by binary search. */
  readonly pricesByModel: ReadonlyMap<string, readonly SnapshotPrice[]>;
  /**
   * Candidate lists by appId + SEP + actionType: the ENABLED rules for that exact action merged
   * with the app's ENABLED "*" rules, already in candidate order (see compareCandidates). Key
   * appId + SEP + "*" holds the wildcard rules alone, for actions without a rule of their own.
   * Rules of every organization are in the list; resolve() skips other organizations' rows.
   */
  readonly configsByAppAction: ReadonlyMap<string, readonly SnapshotConfiguration[]>;
  /** Every ENABLED configuration of an app (for the budget downgrade's "configured models"). */
  readonly configsByApp: ReadonlyMap<string, readonly SnapshotConfiguration[]>;
  readonly settingsByKey: ReadonlyMap<string, SettingIndex>;
  /**
   * ACTIVE learned overrides: app-wide ones by appId + SEP + actionType + SEP + queryPattern
   * (key3), an organization's own by overrideKey(app, action, pattern, organization).
   */
  readonly overridesByKey: ReadonlyMap<string, SnapshotOverride>;
  readonly organizationsById: ReadonlyMap<string, SnapshotOrganization>;
  readonly organizationsBySlug: ReadonlyMap<string, SnapshotOrganization>;
  readonly appsById: ReadonlyMap<string, SnapshotApp>;
  readonly appsByCode: ReadonlyMap<string, SnapshotApp>;
}

/** A separator that cannot occur in ids, codes or action types, so composite keys never collide. */
export const SEP = "\u0000";

export function key2(a: string, b: string): string {
  return a + SEP + b;
}

export function key3(a: string, b: string, c: string): string {
  return a + SEP + b + SEP + c;
}

/** The overridesByKey key: key3 for an app-wide override, + SEP + organization for an organization's. */
export function overrideKey(appId: string, actionType: string, queryPattern: string, organizationId: string | null): string {
  const k = key3(appId, actionType, queryPattern);
  return organizationId === null ? k : k + SEP + organizationId;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Candidate order, the one place routing precedence is decided:
 *   1. higher priority first ("highest priority wins", across exact and wildcard rules);
 *   2. on a tie, the caller's organization row before a default ("organization-specific beats
 *      default on a tie");
 *   3. on a tie, an exact action before "*" ("exact, then a wildcard").
 * Priority comes before exactness on purpose: a client's "*" rule at 200 must beat the default
 * exact rule at 100 (the seed's sandbox organization pins every action to the mock provider
 * that way), and an admin who ranks a catch-all above a specific rule said so with priority.
 */
export function compareCandidates(a: SnapshotConfiguration, b: SnapshotConfiguration): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  const aOrg = a.organizationId === null ? 1 : 0;
  const bOrg = b.organizationId === null ? 1 : 0;
  if (aOrg !== bOrg) return aOrg - bOrg;
  const aWild = a.actionType === "*" ? 1 : 0;
  const bWild = b.actionType === "*" ? 1 : 0;
  if (aWild !== bWild) return aWild - bWild;
  // Unreachable for valid data (unique per app, org, action, priority) but keeps order total.
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function indexSettings(settings: readonly SnapshotSetting[]): Map<string, SettingIndex> {
  const byKey = new Map<string, SettingIndex>();
  for (const s of settings) {
    let index = byKey.get(s.key);
    if (!index) {
      index = { global: null, byApp: new Map(), byOrganization: new Map(), byOrganizationApp: new Map() };
      byKey.set(s.key, index);
    }
    if (s.scope === "global") index.global = s;
    else if (s.scope === "app" && s.appId !== null) index.byApp.set(s.appId, s);
    else if (s.scope === "organization" && s.organizationId !== null) {
      if (s.appId === null) index.byOrganization.set(s.organizationId, s);
      else index.byOrganizationApp.set(key2(s.organizationId, s.appId), s);
    }
    // A row whose scope and ids disagree is impossible in the database (check constraint); if
    // one arrives anyway it is ignored rather than applied at the wrong scope.
  }
  return byKey;
}

export function buildSnapshot(data: ConfigSnapshotData): ConfigSnapshot {
  const providersById = new Map(data.providers.map((p) => [p.id, p]));
  const providersByCode = new Map(data.providers.map((p) => [p.code, p]));
  const modelsById = new Map(data.models.map((m) => [m.id, m]));
  const modelsByCode = new Map<string, SnapshotModel[]>();
  const modelsByProviderCode = new Map<string, SnapshotModel>();
  for (const m of data.models) {
    push(modelsByCode, m.modelCode, m);
    const provider = providersById.get(m.providerId);
    if (provider) modelsByProviderCode.set(key2(provider.code, m.modelCode), m);
  }

  const pricesByModel = new Map<string, SnapshotPrice[]>();
  for (const p of data.prices) push(pricesByModel, p.modelId, p);
  for (const list of pricesByModel.values()) list.sort((a, b) => a.effectiveFrom - b.effectiveFrom);

  const configsByAppAction = new Map<string, SnapshotConfiguration[]>();
  const configsByApp = new Map<string, SnapshotConfiguration[]>();
  for (const c of data.configurations) {
    // Disabled rules are never candidates; leaving them out keeps the hot path short.
    if (!c.enabled) continue;
    push(configsByAppAction, key2(c.appId, c.actionType), c);
    push(configsByApp, c.appId, c);
  }
  // Merge each exact list with its app's wildcard rules once here, so resolve() scans one list.
  for (const list of configsByAppAction.values()) {
    const first = list[0];
    if (first && first.actionType !== "*") list.push(...(configsByAppAction.get(key2(first.appId, "*")) ?? []));
  }
  for (const list of configsByAppAction.values()) list.sort(compareCandidates);
  for (const list of configsByApp.values()) list.sort(compareCandidates);

  const overridesByKey = new Map<string, SnapshotOverride>();
  for (const o of data.overrides) {
    if (o.active) overridesByKey.set(overrideKey(o.appId, o.actionType, o.queryPattern, o.organizationId ?? null), o);
  }

  return {
    version: data.version,
    data,
    providersById,
    providersByCode,
    modelsById,
    modelsByCode,
    modelsByProviderCode,
    pricesByModel,
    configsByAppAction,
    configsByApp,
    settingsByKey: indexSettings(data.settings),
    overridesByKey,
    organizationsById: new Map(data.organizations.map((o) => [o.id, o])),
    organizationsBySlug: new Map(data.organizations.map((o) => [o.slug, o])),
    appsById: new Map(data.apps.map((a) => [a.id, a])),
    appsByCode: new Map(data.apps.map((a) => [a.code, a])),
  };
}

/** A model and its provider, both present and enabled: something the gateway can call. */
export interface UsableModel {
  model: SnapshotModel;
  provider: SnapshotProvider;
}

/** The model if it can be called, else why not (for the trace). */
export function usableModel(snapshot: ConfigSnapshot, modelId: string, kind: ModelKind | null = null): UsableModel | string {
  const model = snapshot.modelsById.get(modelId);
  if (!model) return `model ${modelId} not found`;
  if (kind !== null && modelKindOf(model) !== kind) return `model ${model.modelCode} is ${KIND_LABEL[modelKindOf(model)]}, not ${KIND_LABEL[kind]}`;
  if (!model.enabled) return `model ${model.modelCode} is disabled`;
  const provider = snapshot.providersById.get(model.providerId);
  if (!provider) return `provider of ${model.modelCode} not found`;
  if (!provider.enabled) return `provider ${provider.code} of ${model.modelCode} is disabled`;
  return { model, provider };
}

/** A model's kind; rows loaded before the column existed (and test fixtures) are chat models. */
export function modelKindOf(model: SnapshotModel): ModelKind {
  return model.kind ?? "chat";
}

const KIND_LABEL: Record<ModelKind, string> = { chat: "a chat model", embedding: "an embedding model" };

/**
 * A model by code as callers and settings name it: an exact model_code (preferring a usable one
 * when several providers carry the same code), else "provider/model_code".
 */
export function findModelByCode(snapshot: ConfigSnapshot, code: string): SnapshotModel | null {
  const sameCode = snapshot.modelsByCode.get(code);
  if (sameCode && sameCode.length > 0) {
    for (const m of sameCode) if (typeof usableModel(snapshot, m.id) !== "string") return m;
    return sameCode[0] ?? null;
  }
  const slash = code.indexOf("/");
  if (slash > 0) {
    return snapshot.modelsByProviderCode.get(key2(code.slice(0, slash), code.slice(slash + 1))) ?? null;
  }
  return null;
}
