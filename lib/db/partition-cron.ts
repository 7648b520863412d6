import { timingSafeEqual } from "node:crypto";
import { getEnv } from "@/lib/env";
import { GatewayError, errorResponse } from "@/lib/gateway/errors";
import { runPartitionJobs } from "./partition-jobs";
import { getDb } from "./instance";

function cronAuthorized(request: Request): boolean {
  const secret = getEnv().CRON_SECRET;
  const given = request.headers.get("authorization") ?? "";
  const expected = `Bearer ${secret ?? ""}`;
  return !!secret && given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

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
