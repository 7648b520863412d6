import { randomInt } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { SETTING_DEFAULTS } from "@/lib/engine/settings";
import { hashKey } from "@/lib/engine/key-hash";
import { KEY_PREFIX, KEY_RANDOM_LENGTH, STORED_PREFIX_LENGTH, type CreateKeyInput, type UpdateKeyInput } from "@/lib/schemas/api-key";
import type { Database } from "./client";
import { withUser, type JwtClaims, type UserTx } from "./rls";
import type { DB } from "./schema";
import { WriteRefusal } from "./write-refusal";

/**
 * App keys under RLS: platform admins see and mint any key, org admins only their organizations'
 * pinned keys (and never admin-scoped ones). The column grants keep key_hash write-only, so
 * nothing here (or anywhere a user's session reaches) can read a hash back.
 */

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  appName: string;
  organizationName: string | null;
  scopes: string[];
  /** null = the default below. */
  rateLimitPerMinute: number | null;
  maxConcurrent: number | null;
  /** The typed defaults in force for this key's app and organization. */
  defaults: KeyLimitDefaults;
  lastUsedAt: string | null;
  revokedAt: string | null;
  expiresAt: string | null;
  /** Expired at load time (the gateway refuses it); revoked keys say so separately. */
  expired: boolean;
  createdAt: string;
}

export interface KeyLimitDefaults {
  ratePerMinute: number;
  maxConcurrent: number;
}

export interface KeysPageData {
  keys: ApiKeyRow[];
  /** The global defaults (a new key's app may set its own; the key's row then shows it). */
  defaults: KeyLimitDefaults;
  apps: { id: string; name: string }[];
  organizations: { id: string; name: string }[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const RATE_KEY = "gateway.default_rate_limit_per_minute";
const CONCURRENT_KEY = "gateway.default_max_concurrent_per_key";

/** A numeric setting for (app, organization) as the gateway resolves it, else the built-in default. */
function settingNumber(key: typeof RATE_KEY | typeof CONCURRENT_KEY, appId: unknown, orgId: unknown) {
  return sql<number>`coalesce(
    (select case when jsonb_typeof(r.value) = 'number' then floor((r.value #>> '{}')::numeric)::int end
       from public.resolve_app_config(${key}, ${appId}, ${orgId}) r),
    ${SETTING_DEFAULTS[key]})`;
}

/** `organizationId` narrows the list to the keys pinned to one organization (the organization page). */
export async function loadKeysPage(
  db: Database | Kysely<DB>,
  claims: JwtClaims,
  now = new Date(),
  { organizationId }: { organizationId?: string } = {},
): Promise<KeysPageData> {
  return withUser(db, claims, async (tx) => {
    const [keys, apps, organizations] = await Promise.all([
      tx
        .selectFrom("api_keys as k")
        .innerJoin("apps as a", "a.id", "k.app_id")
        .leftJoin("organizations as o", "o.id", "k.organization_id")
        .select([
          "k.id", "k.name", "k.prefix", "a.name as app_name", "o.name as organization_name", "k.scopes", "k.rate_limit_per_minute",
          "k.max_concurrent", "k.last_used_at", "k.revoked_at", "k.expires_at", "k.created_at",
          settingNumber(RATE_KEY, sql`k.app_id`, sql`k.organization_id`).as("default_rate"),
          settingNumber(CONCURRENT_KEY, sql`k.app_id`, sql`k.organization_id`).as("default_concurrent"),
        ])
        .$if(organizationId !== undefined, (q) => q.where("k.organization_id", "=", organizationId!))
        // Active keys first, newest first within each group.
        .orderBy((eb) => eb.case().when("k.revoked_at", "is", null).then(0).else(1).end())
        .orderBy("k.created_at", "desc")
        .execute(),
      tx.selectFrom("apps").select(["id", "name"]).orderBy("name").execute(),
      tx.selectFrom("organizations").select(["id", "name"]).orderBy("name").execute(),
    ]);
    const defaults = await sql<{ rate: number; concurrent: number }>`select ${settingNumber(RATE_KEY, null, null)} as rate,
      ${settingNumber(CONCURRENT_KEY, null, null)} as concurrent`.execute(tx);
    return {
      keys: keys.map((k) => ({
        id: k.id,
        name: k.name,
        prefix: k.prefix,
        appName: k.app_name,
        organizationName: k.organization_name,
        scopes: k.scopes,
        rateLimitPerMinute: k.rate_limit_per_minute,
        maxConcurrent: k.max_concurrent,
        defaults: { ratePerMinute: Number(k.default_rate), maxConcurrent: Number(k.default_concurrent) },
        lastUsedAt: iso(k.last_used_at),
        revokedAt: iso(k.revoked_at),
        expiresAt: iso(k.expires_at),
        expired: k.expires_at !== null && k.expires_at <= now,
        createdAt: k.created_at.toISOString(),
      })),
      defaults: { ratePerMinute: Number(defaults.rows[0]!.rate), maxConcurrent: Number(defaults.rows[0]!.concurrent) },
      apps,
      organizations,
    };
  });
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `llmcp_` + 32 base62 characters from the CSPRNG (randomInt is unbiased, unlike byte % 62). */
export function generateApiKey(): string {
  let random = "";
  for (let i = 0; i < KEY_RANDOM_LENGTH; i++) random += BASE62[randomInt(BASE62.length)];
  return `${KEY_PREFIX}${random}`;
}

export interface CreatedKey {
  id: string;
  prefix: string;
  /** The only time the plaintext exists outside the caller's hands: returned once, stored nowhere. */
  key: string;
}

export async function createApiKey(tx: UserTx, input: CreateKeyInput, userId: string | null): Promise<CreatedKey> {
  const key = generateApiKey();
  const prefix = key.slice(0, STORED_PREFIX_LENGTH);
  const row = await tx
    .insertInto("api_keys")
    .values({
      app_id: input.appId,
      organization_id: input.organizationId,
      name: input.name,
      prefix,
      key_hash: hashKey(key),
      scopes: input.scopes,
      rate_limit_per_minute: input.rateLimitPerMinute ?? null,
      max_concurrent: input.maxConcurrent ?? null,
      created_by: userId,
    })
    // Only columns users may read: returning key_hash would be refused by the column grants.
    .returning("id")
    .executeTakeFirstOrThrow()
    .catch(ceilingToRefusal);
  return { id: row.id, prefix, key };
}

/**
 * Renames a key or changes its scopes or rate limit; the gateway picks the change up within a
 * second. Revoked keys stay as they were. RLS hides other organizations' keys (no row matches)
 * and its check refuses an org admin who adds the admin scope.
 */
export async function updateApiKey(tx: UserTx, input: UpdateKeyInput): Promise<{ id: string }> {
  const result = await tx
    .updateTable("api_keys")
    .set({ name: input.name, scopes: input.scopes, rate_limit_per_minute: input.rateLimitPerMinute ?? null, max_concurrent: input.maxConcurrent ?? null })
    .where("id", "=", input.id)
    .where("revoked_at", "is", null)
    .executeTakeFirst()
    .catch(ceilingToRefusal);
  if (Number(result.numUpdatedRows) === 0) throw new WriteRefusal("Key not found, revoked, or you may not change it.");
  return { id: input.id };
}

/** The database's limit ceilings (20261206010000_key_limits.sql) as a refusal on the field concerned. */
function ceilingToRefusal(err: unknown): never {
  const constraint = (err as { constraint?: unknown })?.constraint;
  const message = err instanceof Error ? err.message : "";
  if (constraint === "api_keys_rate_limit_ceiling") throw new WriteRefusal(message, { rateLimitPerMinute: [message] });
  if (constraint === "api_keys_concurrency_ceiling") throw new WriteRefusal(message, { maxConcurrent: [message] });
  throw err;
}

/** Sets revoked_at; the gateway's configuration cache drops the key within a second. */
export async function revokeApiKey(tx: UserTx, id: string): Promise<{ id: string }> {
  const result = await tx
    .updateTable("api_keys")
    .set({ revoked_at: new Date() })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new WriteRefusal("Key not found, already revoked, or you may not change it.");
  return { id };
}
