import type { JwtClaims } from "@/lib/db/rls";

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
