import { errorMessage } from "@/lib/errors";
import type { Kysely } from "kysely";
import { buildSnapshot, type ConfigSnapshot } from "@/lib/engine/snapshot";
import { settingProblem } from "@/lib/engine/setting-validity";
import type { ConfigSnapshotData } from "@/lib/engine/types";
import { loadGatewayConfig, markKeysUsed, readConfigVersion } from "@/lib/db/gateway-config";
import type { DB } from "@/lib/db/schema";

/**
 * The gateway's in-memory view of configuration: routing rules, models, prices, settings and app
 * keys (month-to-date spend and budget reservations: budget-reservations.ts). The hot path reads it synchronously and never queries the
 * database. A poll of `config_version` (bumped by the audit trigger on every configuration
 * change) reloads it within POLL_MS, on every instance, without LISTEN (which Supabase's
 * transaction pooler does not carry). When the database is unreachable the last good state keeps
 * serving.
 */
export interface GatewayKey {
  id: string;
  appId: string;
  organizationId: string | null;
  scopes: string[];
  /** null = the typed setting gateway.default_rate_limit_per_minute (never unlimited). */
  rateLimitPerMinute: number | null;
  /** null = the typed setting gateway.default_max_concurrent_per_key. */
  maxConcurrent: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
}

export interface GatewayState {
  snapshot: ConfigSnapshot;
  /** By sha-256 hex of the full key. */
  keys: Map<string, GatewayKey>;
  version: number;
  loadedAt: number;
}

const POLL_MS = 500;
/** last_used_at is informational: written in one statement per interval, not per request. */
const KEY_USE_FLUSH_MS = 30_000;

export async function loadSnapshotData(db: Kysely<DB>): Promise<{ data: ConfigSnapshotData; keys: Map<string, GatewayKey> }> {
  const { data, keys } = await loadGatewayConfig(db);
  const keyMap = new Map<string, GatewayKey>();
  for (const k of keys) {
    keyMap.set(k.key_hash, {
      id: k.id, appId: k.app_id, organizationId: k.organization_id, scopes: k.scopes, rateLimitPerMinute: k.rate_limit_per_minute,
      maxConcurrent: k.max_concurrent, expiresAt: k.expires_at?.getTime() ?? null, revokedAt: k.revoked_at?.getTime() ?? null,
    });
  }
  return { data, keys: keyMap };
}

export class ConfigCache {
  private state: GatewayState | null = null;
  private loading: Promise<GatewayState> | null = null;
  private timers: NodeJS.Timeout[] = [];
  private lastError: string | null = null;
  private usedKeys = new Set<string>();
  /** Invalid setting rows already logged (id and value): each is logged once, not per reload. */
  private loggedSettings = new Set<string>();

  constructor(
    private readonly getDb: () => Promise<Kysely<DB>>,
    private readonly log: (line: string) => void = (l) => console.warn(`[gateway] ${l}`),
  ) {}

  /** The current state, loading it on first use. */
  async get(): Promise<GatewayState> {
    if (this.state) return this.state;
    this.loading ??= this.reload().finally(() => {
      this.loading = null;
    });
    const state = await this.loading;
    this.start();
    return state;
  }

  current(): GatewayState | null {
    return this.state;
  }

  /** Notes that a key was used; its last_used_at is written with the next batch. */
  touchKey(keyId: string): void {
    this.usedKeys.add(keyId);
  }

  async flushKeyUse(): Promise<void> {
    if (this.usedKeys.size === 0) return;
    const ids = [...this.usedKeys];
    this.usedKeys.clear();
    try {
      await markKeysUsed(await this.getDb(), ids);
    } catch {
      for (const id of ids) this.usedKeys.add(id);
    }
  }

  /** Whether the last reload or version check failed (the state may be stale). */
  stale(): boolean {
    return this.lastError !== null;
  }

  async reload(): Promise<GatewayState> {
    const db = await this.getDb();
    const { data, keys } = await loadSnapshotData(db);
    // Two reloads may overlap (the version poll and an explicit one): an older snapshot that
    // finishes last never replaces a newer one (config_version only grows).
    if (this.state && data.version < this.state.version) return this.state;
    this.logInvalidSettings(data);
    this.state = { snapshot: buildSnapshot(data), keys, version: data.version, loadedAt: Date.now() };
    return this.state;
  }

  /** A stored value that does not fit its definition is read as the default (lib/engine/settings.ts); say so once. */
  private logInvalidSettings(data: ConfigSnapshotData): void {
    for (const s of data.settings) {
      const problem = settingProblem(s);
      const id = `${s.id}:${JSON.stringify(s.value)}`;
      if (!problem || this.loggedSettings.has(id)) continue;
      this.loggedSettings.add(id);
      this.log(`setting ${s.key} (${s.scope} row ${s.id}) ${problem}: using the default until it is fixed on the Settings page`);
    }
  }

  private start(): void {
    if (this.timers.length > 0) return;
    const poll = setInterval(() => void this.checkVersion(), POLL_MS);
    const keys = setInterval(() => void this.flushKeyUse(), KEY_USE_FLUSH_MS);
    poll.unref();
    keys.unref();
    this.timers.push(poll, keys);
  }

  private async checkVersion(): Promise<void> {
    try {
      const version = await readConfigVersion(await this.getDb());
      if (version !== undefined && version !== this.state?.version) {
        await this.reload();
      }
      if (this.lastError) this.log("database reachable again; configuration is current");
      this.lastError = null;
    } catch (err) {
      const message = errorMessage(err);
      if (this.lastError === null) this.log(`configuration check failed, serving the cached configuration: ${message}`);
      this.lastError = message;
    }
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }
}
