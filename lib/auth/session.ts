import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getMode } from "@/lib/env";
import { getDb } from "@/lib/db/instance";
import type { JwtClaims } from "@/lib/db/rls";
import { loadSessionMemberships, type SessionUser } from "@/lib/db/sessions";
import { verifySessionToken } from "./local-session";
import { SESSION_COOKIE } from "./local-session-cookie";
import { createSupabaseServerClient } from "./supabase";

/** Verified claims of the current request, from Supabase Auth or the local session cookie. */
export const getSessionClaims = cache(async (): Promise<JwtClaims | null> => {
  if (getMode() === "supabase") {
    const supabase = await createSupabaseServerClient();
    // getClaims verifies the JWT (signature and expiry), unlike getSession.
    const { data, error } = await supabase.auth.getClaims();
    if (error || !data?.claims?.sub) return null;
    return { ...data.claims, sub: data.claims.sub, role: "authenticated", email: data.claims.email };
  }
  const store = await cookies();
  return verifySessionToken(store.get(SESSION_COOKIE)?.value);
});

/** The signed-in user with roles from `memberships`, read under RLS as that user. */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const claims = await getSessionClaims();
  if (!claims) return null;
  const list = await loadSessionMemberships(await getDb(), claims);
  return {
    id: claims.sub,
    email: claims.email ?? "",
    claims,
    memberships: list,
    isPlatformAdmin: list.some((m) => m.organizationId === null && m.role === "admin"),
  };
});

export async function requireSessionUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  return user;
}
