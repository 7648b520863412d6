import type { Kysely } from "kysely";
import type { ConfigSnapshotData } from "@/lib/engine/types";
import { loadConfigSnapshotData } from "./config-snapshot";
import type { DB } from "./schema";

/**
 * What the gateway's in-memory configuration (lib/gateway/config-cache.ts) reads through the
 * service role: the configuration version (bumped by the audit trigger on every change), the
 * engine's snapshot and every app key by its hash; plus the batched last_used_at write.
 */

export interface GatewayKeyRow {
  id: string;
  app_id: string;
  organization_id: string | null;
  key_hash: string;
  scopes: string[];
  rate_limit_per_minute: number | null;
  max_concurrent: number | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

/**
 * The snapshot (its version set), and the app keys. The version is read FIRST: the data read after
 * it holds every change up to that version, so a snapshot never carries a version newer than its
 * data (read side by side, an overlapping reload could store stale data under the new version,
 * and the version poll would then never reload it).
 */
export async function loadGatewayConfig(db: Kysely<DB>): Promise<{ data: ConfigSnapshotData; keys: GatewayKeyRow[] }> {
  const version = await db.selectFrom("config_version").select("version").executeTakeFirst();
  const [data, keys] = await Promise.all([
    loadConfigSnapshotData(db),
    db.selectFrom("api_keys").select(["id", "app_id", "organization_id", "key_hash", "scopes", "rate_limit_per_minute", "max_concurrent", "expires_at", "revoked_at"]).execute(),
  ]);
  data.version = version?.version ?? 0;
  return { data, keys };
}

/** The current configuration version; undefined before the first change is recorded. */
export async function readConfigVersion(db: Kysely<DB>): Promise<number | undefined> {
  const row = await db.selectFrom("config_version").select("version").executeTakeFirst();
  return row?.version;
}

/** One statement for every key used since the last flush. */
export async function markKeysUsed(db: Kysely<DB>, ids: string[]): Promise<void> {
  await db.updateTable("api_keys").set({ last_used_at: new Date() }).where("id", "in", ids).execute();
}
