import { z } from "zod";
import type { SessionUser } from "@/lib/db/sessions";
import { loadLatestRepriceJob, loadRepriceJob, resumeRepriceJobs } from "@/lib/db/reprice-jobs";
import { withUser, type JwtClaims } from "@/lib/db/rls";
import { serviceDb } from "@/lib/db/service";
import { GatewayError, errorResponse } from "@/lib/gateway/errors";
import { cronAuthorized } from "./cron-auth";

/**
 * Repricing job routes: auth → zod → lib → JSON. Status reads run under RLS as the session user
 * (only platform admins can see jobs; for anyone else a job does not exist). The cron route
 * resumes a queued or stalled job with the service path, behind CRON_SECRET.
 */
export type SessionGetter = () => Promise<SessionUser | null>;

const NO_STORE = { "cache-control": "no-store" };
const idSchema = z.uuid();

async function sessionClaims(getSession: SessionGetter): Promise<JwtClaims> {
  const user = await getSession();
  if (!user) throw new GatewayError(401, "authentication_error", "Sign in to see repricing jobs.");
  return user.claims;
}

export async function handleRepriceJobStatus(id: string, getSession: SessionGetter): Promise<Response> {
  try {
    const claims = await sessionClaims(getSession);
    if (!idSchema.safeParse(id).success) throw new GatewayError(400, "invalid_request_error", "A job id is a UUID.", { param: "id" });
    const job = await withUser(await serviceDb(), claims, (tx) => loadRepriceJob(tx, id));
    if (!job) throw new GatewayError(404, "not_found_error", "No such repricing job (or you may not see it).");
    return Response.json({ job }, { headers: NO_STORE });
  } catch (err) {
    return errorResponse(err);
  }
}

export async function handleLatestRepriceJob(getSession: SessionGetter): Promise<Response> {
  try {
    const claims = await sessionClaims(getSession);
    const job = await withUser(await serviceDb(), claims, (tx) => loadLatestRepriceJob(tx));
    return Response.json({ job }, { headers: NO_STORE });
  } catch (err) {
    return errorResponse(err);
  }
}

/** Works the active job until `budgetMs` before the function's limit, then hands it back queued. */
export async function handleCronReprice(request: Request, budgetMs: number): Promise<Response> {
  try {
    if (!cronAuthorized(request)) throw new GatewayError(401, "authentication_error", "Missing or wrong cron secret.");
    const result = await resumeRepriceJobs(await serviceDb(), { deadline: Date.now() + budgetMs });
    return Response.json(result, { headers: NO_STORE });
  } catch (err) {
    return errorResponse(err);
  }
}
