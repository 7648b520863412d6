import { randomInt } from "node:crypto";
import type { Kysely } from "kysely";
import { hashKey } from "@/lib/gateway/keys";
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
  rateLimitPerMinute: number | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  expiresAt: string | null;
  /** Expired at load time (the gateway refuses it); revoked keys say so separately. */
  expired: boolean;
  createdAt: string;
}

export interface KeysPageData {
  keys: ApiKeyRow[];
  apps: { id: string; name: string }[];
  organizations: { id: string; name: string }[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function loadKeysPage(db: Database | Kysely<DB>, claims: JwtClaims, now = new Date()): Promise<KeysPageData> {
  return withUser(db, claims, async (tx) => {
    const [keys, apps, organizations] = await Promise.all([
      tx
        .selectFrom("api_keys as k")
        .innerJoin("apps as a", "a.id", "k.app_id")
        .leftJoin("organizations as o", "o.id", "k.organization_id")
        .select([
          "k.id", "k.name", "k.prefix", "a.name as app_name", "o.name as organization_name", "k.scopes", "k.rate_limit_per_minute",
          "k.last_used_at", "k.revoked_at", "k.expires_at", "k.created_at",
        ])
        // Active keys first, newest first within each group.
        .orderBy((eb) => eb.case().when("k.revoked_at", "is", null).then(0).else(1).end())
        .orderBy("k.created_at", "desc")
        .execute(),
      tx.selectFrom("apps").select(["id", "name"]).orderBy("name").execute(),
      tx.selectFrom("organizations").select(["id", "name"]).orderBy("name").execute(),
    ]);
    return {
      keys: keys.map((k) => ({
        id: k.id,
        name: k.name,
        prefix: k.prefix,
        appName: k.app_name,
        organizationName: k.organization_name,
        scopes: k.scopes,
        rateLimitPerMinute: k.rate_limit_per_minute,
        lastUsedAt: iso(k.last_used_at),
        revokedAt: iso(k.revoked_at),
        expiresAt: iso(k.expires_at),
        expired: k.expires_at !== null && k.expires_at <= now,
        createdAt: k.created_at.toISOString(),
      })),
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
      created_by: userId,
    })
    // Only columns users may read: returning key_hash would be refused by the column grants.
    .returning("id")
    .executeTakeFirstOrThrow();
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
    .set({ name: input.name, scopes: input.scopes, rate_limit_per_minute: input.rateLimitPerMinute ?? null })
    .where("id", "=", input.id)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new WriteRefusal("Key not found, revoked, or you may not change it.");
  return { id: input.id };
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
