import { createHash, randomInt } from "node:crypto";
import bcrypt from "bcryptjs";
import type { Transaction } from "kysely";
import type { DB, MembershipRoleDb } from "../schema";

/** The demo sign-ins. orgSlug null = platform-wide membership (admin there = platform admin). */
export const DEMO_USERS: readonly { email: string; displayName: string; role: MembershipRoleDb; orgSlug: string | null }[] = [
  { email: "admin@example.com", displayName: "Platform Admin", role: "admin", orgSlug: null },
  { email: "orgadmin@example.com", displayName: "Olga Orgadmin (Acme)", role: "admin", orgSlug: "acme" },
  { email: "finance@example.com", displayName: "Finn Finance (Acme)", role: "finance", orgSlug: "acme" },
  { email: "viewer@example.com", displayName: "Vera Viewer (Acme)", role: "viewer", orgSlug: "acme" },
];

export const BCRYPT_COST = 10;
// No 0/O, 1/l/I: the password is read off a terminal and typed into a login form.
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** A readable random password: four groups of four (about 79 bits), e.g. "k7mp-x3qt-9hzw-r2fd". */
export function generatePassword(): string {
  const group = () => Array.from({ length: 4 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  return [group(), group(), group(), group()].join("-");
}

/** What the database keeps of an app key: the sha-256 hex of the whole key and a display prefix. */
export function apiKeyRecord(key: string): { prefix: string; keyHash: string } {
  return { prefix: key.slice(0, 12), keyHash: createHash("sha256").update(key).digest("hex") };
}

/** One bcrypt hash per user (own salt each), computed before the transaction holds the database. */
export async function hashPasswordForUsers(password: string): Promise<string[]> {
  return Promise.all(DEMO_USERS.map(() => bcrypt.hash(password, BCRYPT_COST)));
}

export async function insertDemoUsers(trx: Transaction<DB>, hashes: readonly string[], now: Date): Promise<void> {
  const orgs = await trx.selectFrom("organizations").select(["id", "slug"]).execute();
  const orgId = new Map(orgs.map((o) => [o.slug, o.id]));
  for (const [index, user] of DEMO_USERS.entries()) {
    const hash = hashes[index];
    if (!hash) throw new Error(`no password hash for ${user.email}`);
    // The on_auth_user_saved trigger creates the profile row.
    const { id } = await trx
      .insertInto("auth.users")
      .values({
        email: user.email,
        encrypted_password: hash,
        email_confirmed_at: now,
        raw_app_meta_data: JSON.stringify({ provider: "email", providers: ["email"] }),
        raw_user_meta_data: JSON.stringify({ display_name: user.displayName }),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx.updateTable("profiles").set({ display_name: user.displayName }).where("id", "=", id).execute();
    const organizationId = user.orgSlug === null ? null : orgId.get(user.orgSlug);
    if (organizationId === undefined) throw new Error(`organization ${String(user.orgSlug)} is missing from seed.sql`);
    await trx.insertInto("memberships").values({ user_id: id, organization_id: organizationId, role: user.role, created_by: null }).execute();
  }
}

/** Requests per minute of the seeded demo key: enough to try the gateway, too few to abuse it. */
export const DEMO_KEY_RATE_LIMIT_PER_MINUTE = 60;
/** The organization the demo key is pinned to: routed to the key-less mock models (seed.sql). */
export const DEMO_KEY_ORGANIZATION = "sandbox";

/**
 * The DEMO_API_KEY as a Werkbon Checker key, pinned to the sandbox organization and rate-limited:
 * a key whose value may sit in a README or a shell history can only spend on mock models.
 */
export async function insertDemoApiKey(trx: Transaction<DB>, key: string): Promise<DemoKeyOutcome> {
  const app = await trx.selectFrom("apps").select("id").where("code", "=", "werkbon-checker").executeTakeFirst();
  const org = await trx.selectFrom("organizations").select("id").where("slug", "=", DEMO_KEY_ORGANIZATION).executeTakeFirst();
  if (!app || !org) return { kind: "no_catalog" };
  const { prefix, keyHash } = apiKeyRecord(key);
  const inserted = await trx
    .insertInto("api_keys")
    .values({
      app_id: app.id, organization_id: org.id, name: "Demo key", prefix, key_hash: keyHash, scopes: ["llm", "feedback"],
      rate_limit_per_minute: DEMO_KEY_RATE_LIMIT_PER_MINUTE, created_by: null,
    })
    .onConflict((oc) => oc.column("key_hash").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (inserted) return { kind: "added" };
  // Same hash already there: left as it is (an admin may have changed its limits, or revoked it).
  const existing = await trx.selectFrom("api_keys").select(["revoked_at", "expires_at"]).where("key_hash", "=", keyHash).executeTakeFirst();
  if (existing?.revoked_at) return { kind: "revoked", at: existing.revoked_at };
  if (existing?.expires_at && existing.expires_at <= new Date()) return { kind: "expired", at: existing.expires_at };
  return { kind: "present" };
}

/** What insertDemoApiKey found: a new key, the same key already usable, or why the key cannot work. */
export type DemoKeyOutcome =
  | { kind: "added" | "present" | "no_catalog" }
  | { kind: "revoked" | "expired"; at: Date };
