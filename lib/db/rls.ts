import { sql, type Kysely, type Transaction } from "kysely";
import type { Database } from "./client";
import type { DB } from "./schema";

/** Claims in Supabase's shape. `role` must be "authenticated" for a signed-in user. */
export interface JwtClaims {
  sub: string;
  role: "authenticated" | "anon";
  email?: string;
  [claim: string]: unknown;
}

export type UserTx = Transaction<DB>;

/**
 * Runs `fn` in a transaction as the given user, exactly as Supabase's PostgREST does:
 * the claims go into `request.jwt.claims` and the role becomes `authenticated` (or `anon`),
 * so every statement inside is filtered and checked by the tables' RLS policies. Every
 * dashboard read and admin write goes through here; nothing filters by organization in code.
 */
export async function withUser<T>(db: Database | Kysely<DB>, claims: JwtClaims | null, fn: (tx: UserTx) => Promise<T>): Promise<T> {
  const kysely = "kysely" in db ? db.kysely : db;
  const role = claims ? claims.role : "anon";
  if (role !== "authenticated" && role !== "anon") throw new Error(`refusing to run as role ${String(role)}`);
  return kysely.transaction().execute(async (tx) => {
    await sql`select set_config('request.jwt.claims', ${JSON.stringify(claims ?? { role: "anon" })}, true)`.execute(tx);
    // Identifiers cannot be bound; `role` is one of two literals checked above.
    await sql.raw(`set local role ${role}`).execute(tx);
    return fn(tx);
  });
}

export function withAnon<T>(db: Database | Kysely<DB>, fn: (tx: UserTx) => Promise<T>): Promise<T> {
  return withUser(db, null, fn);
}
