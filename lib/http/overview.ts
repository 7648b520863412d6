import type { Kysely } from "kysely";
import type { Database } from "@/lib/db/client";
import { loadOverview } from "@/lib/db/overview";
import type { JwtClaims } from "@/lib/db/rls";
import type { DB } from "@/lib/db/schema";

/**
 * GET /api/dashboard/overview (the Overview page's live refresh): claims → lib/db/overview → JSON.
 */

export interface OverviewRouteDeps {
  /** Verified claims of the request's session, or null when signed out. */
  getClaims: () => Promise<JwtClaims | null>;
  getDb: () => Promise<Database | Kysely<DB>>;
  now?: () => Date;
}

const NO_STORE = { "cache-control": "no-store" };

function errorJson(status: number, type: string, message: string): Response {
  return Response.json({ error: { type, message } }, { status, headers: NO_STORE });
}

/**
 * GET /api/dashboard/overview: the Overview page's figures for the live refresh, read under RLS
 * as the session user with the same loader the server-rendered page uses.
 */
export async function handleOverview(deps: OverviewRouteDeps): Promise<Response> {
  const claims = await deps.getClaims();
  if (!claims) return errorJson(401, "unauthorized", "Sign in to see the overview.");
  try {
    const stats = await loadOverview(await deps.getDb(), claims, deps.now?.() ?? new Date());
    return Response.json(stats, { headers: NO_STORE });
  } catch (err) {
    // The client keeps showing its last figures; the cause goes to the server log, not the response.
    console.error("[overview] refresh failed:", err instanceof Error ? err.message : err);
    return errorJson(503, "unavailable", "The overview could not be read just now.");
  }
}
