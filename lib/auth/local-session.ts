/**
 * Local (embedded and server mode) sessions: a signed JWT with Supabase's claim shape, issued
 * after the password is checked against auth.users (lib/db/local-users.ts). The cookie's name is
 * in local-session-cookie.ts, so proxy.ts imports no database code.
 */
import bcrypt from "bcryptjs";
import { jwtVerify, SignJWT } from "jose";
import { getEnv } from "@/lib/env";
import { findLocalSignIn, markSignedIn } from "@/lib/db/local-users";
import { serviceDb } from "@/lib/db/service";
import type { JwtClaims } from "@/lib/db/rls";
import { getSigningKey } from "./secret";

const ISSUER = "llm-control-plane";
const AUDIENCE = "authenticated";

// Compared against when the email is unknown, so response time does not reveal which emails exist.
const DUMMY_HASH = "$2b$10$CwTycUXWue0Thq9StjUM0uJ8DPLKXt1FYlwYpQW12fOAp/qA3Y7bG";

export interface LocalUser {
  id: string;
  email: string;
}

export async function verifyPassword(email: string, password: string): Promise<LocalUser | null> {
  const db = await serviceDb();
  const user = await findLocalSignIn(db, email);
  const ok = await bcrypt.compare(password, user?.encrypted_password ?? DUMMY_HASH);
  if (!user || !ok || !user.email) return null;
  if (user.banned_until && user.banned_until.getTime() > Date.now()) return null;
  await markSignedIn(db, user.id);
  return { id: user.id, email: user.email };
}

export async function createSessionToken(user: LocalUser): Promise<{ token: string; expiresAt: Date }> {
  const ttlSeconds = getEnv().SESSION_TTL_HOURS * 3600;
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  const token = await new SignJWT({ role: "authenticated", email: user.email, aal: "aal1" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(user.id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(await getSigningKey());
  return { token, expiresAt };
}

/** The verified claims, or null for a missing, forged, expired or malformed token. */
export async function verifySessionToken(token: string | undefined): Promise<JwtClaims | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, await getSigningKey(), {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    if (typeof payload.sub !== "string" || payload.role !== "authenticated") return null;
    return { ...payload, sub: payload.sub, role: "authenticated", email: typeof payload.email === "string" ? payload.email : undefined };
  } catch {
    return null;
  }
}
