import { getSessionClaims } from "@/lib/auth/session";
import { handleOverview } from "@/lib/http/overview";
import { getDb } from "@/lib/db/instance";

export const dynamic = "force-dynamic";

/** The Overview's figures as JSON for its live refresh; 401 when signed out; read under RLS. */
export function GET(): Promise<Response> {
  return handleOverview({ getClaims: getSessionClaims, getDb });
}
