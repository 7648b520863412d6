import { getDb } from "@/lib/db/instance";
import { runPartitionJobs } from "@/lib/db/partition-jobs";
import { GatewayError, errorResponse } from "@/lib/gateway/errors";
import { cronAuthorized } from "./cron-auth";

/**
 * Vercel Cron (daily): partition upkeep and ledger retention with the service role, behind
 * `Authorization: Bearer $CRON_SECRET`. In Supabase mode on Vercel this (or pg_cron) is what
 * keeps llm_calls partitioned ahead; long-running servers also run it on a timer. It runs on the
 * direct connection (DIRECT_DATABASE_URL) when set: DETACH … CONCURRENTLY wants a real session.
 */
export async function handleCronPartitions(request: Request): Promise<Response> {
  try {
    if (!cronAuthorized(request)) throw new GatewayError(401, "authentication_error", "Missing or wrong cron secret.");
    const result = await runPartitionJobs((await getDb()).direct);
    const failed = "error" in result.upkeep || "error" in result.retention;
    return Response.json(result, { status: failed ? 500 : 200, headers: { "cache-control": "no-store" } });
  } catch (err) {
    return errorResponse(err);
  }
}
