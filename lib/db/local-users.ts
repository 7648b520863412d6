import bcrypt from "bcryptjs";
import type { Kysely } from "kysely";
import type { DB } from "./schema";
import { BCRYPT_COST, generatePassword } from "./seed/users";
import { WriteRefusal } from "./write-refusal";

/**
 * Local sign-ins (embedded and server mode): auth.users rows with a bcrypt hash, created the way
 * the demo seed creates its users, and looked up when someone signs in (lib/auth/local-session.ts
 * checks the password). auth.users is closed to the authenticated role, so this takes the
 * service-role connection; callers of createLocalUser must have checked that the user is a
 * platform admin (the create-local-user action does, in the database) and that the app is not in
 * Supabase mode, where Supabase Auth owns auth.users.
 */

export interface CreatedLocalUser {
  id: string;
  email: string;
  /** The generated initial password, returned once; only its bcrypt hash is stored. */
  password: string;
}

export const SUPABASE_MODE_REFUSAL = "In Supabase mode users sign up through Supabase Auth; add them here once they have signed in once.";
export const USER_EXISTS = "A user with this email already exists: add them as a member instead.";

export async function createLocalUser(service: Kysely<DB>, email: string, now = new Date()): Promise<CreatedLocalUser> {
  const normalized = email.trim().toLowerCase();
  const existing = await service
    .selectFrom("auth.users")
    .select("id")
    .where((eb) => eb(eb.fn("lower", ["email"]), "=", normalized))
    .executeTakeFirst();
  if (existing) throw new WriteRefusal(USER_EXISTS, { email: [USER_EXISTS] });
  const password = generatePassword();
  const hash = await bcrypt.hash(password, BCRYPT_COST);
  try {
    // The on_auth_user_saved trigger creates the profile row.
    const row = await service
      .insertInto("auth.users")
      .values({
        email: normalized,
        encrypted_password: hash,
        email_confirmed_at: now,
        raw_app_meta_data: JSON.stringify({ provider: "email", providers: ["email"] }),
        raw_user_meta_data: JSON.stringify({}),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { id: row.id, email: normalized, password };
  } catch (err) {
    // Two admins creating the same email at once: the unique index decides.
    if ((err as { code?: unknown }).code === "23505") throw new WriteRefusal(USER_EXISTS, { email: [USER_EXISTS] });
    throw err;
  }
}

export interface LocalSignIn {
  id: string;
  email: string | null;
  encrypted_password: string | null;
  banned_until: Date | null;
}

/** The auth.users row a sign-in with this email would check, if any (emails match case-insensitively). */
export async function findLocalSignIn(service: Kysely<DB>, email: string): Promise<LocalSignIn | undefined> {
  return service
    .selectFrom("auth.users")
    .select(["id", "email", "encrypted_password", "banned_until"])
    .where((eb) => eb(eb.fn("lower", ["email"]), "=", email.trim().toLowerCase()))
    .executeTakeFirst();
}

/** Stamps a successful sign-in. */
export async function markSignedIn(service: Kysely<DB>, userId: string, at = new Date()): Promise<void> {
  await service.updateTable("auth.users").set({ last_sign_in_at: at }).where("id", "=", userId).execute();
}
