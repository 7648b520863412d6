import type { Kysely } from "kysely";
import type { Database } from "./client";
import { withUser, type JwtClaims } from "./rls";
import type { DB } from "./schema";

/**
 * Who the signed-in user is in the database: their memberships, read under RLS as that user, and
 * the session shape built from them (lib/auth/session.ts verifies the claims and builds it). The
 * types live here, at the floor, so read models and actions can take a SessionUser without
 * importing lib/auth.
 */

export type MembershipRole = "admin" | "finance" | "viewer";

export interface Membership {
  /** null = platform-wide membership (an `admin` here is a platform admin). */
  organizationId: string | null;
  organizationName: string | null;
  organizationSlug: string | null;
  role: MembershipRole;
}

export interface SessionUser {
  id: string;
  email: string;
  /** JWT claims in Supabase's shape; passed verbatim to `request.jwt.claims` for RLS. */
  claims: JwtClaims;
  memberships: Membership[];
  isPlatformAdmin: boolean;
}

/** The user's memberships with their organizations' names, read under RLS as that user. */
export async function loadSessionMemberships(db: Database | Kysely<DB>, claims: JwtClaims): Promise<Membership[]> {
  const memberships = await withUser(db, claims, (tx) =>
    tx
      .selectFrom("memberships as m")
      .leftJoin("organizations as o", "o.id", "m.organization_id")
      .select(["m.organization_id", "m.role", "o.name", "o.slug"])
      .where("m.user_id", "=", claims.sub)
      .orderBy("o.name")
      .execute(),
  );
  return memberships.map((m) => ({
    organizationId: m.organization_id,
    organizationName: m.name,
    organizationSlug: m.slug,
    role: m.role,
  }));
}
