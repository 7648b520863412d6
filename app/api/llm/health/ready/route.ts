import { NextResponse } from "next/server";
import { notAllowed } from "@/lib/gateway/routes";
import { getReadiness, readinessStatus } from "@/lib/health/readiness";

export const dynamic = "force-dynamic";

/** The other methods: 405 JSON with Allow (lib/gateway/routes.ts). */
export const { POST, PUT, PATCH, DELETE } = notAllowed(["GET", "HEAD"]);

/**
 * GET /api/llm/health/ready: readiness (lib/health/readiness.ts). 200 when this instance can serve and
 * account for calls; 503 with `reason` (startup_failed, starting, draining, cannot_record) otherwise.
 */
export async function GET() {
  const readiness = await getReadiness();
  return NextResponse.json(readiness, { status: readinessStatus(readiness), headers: { "cache-control": "no-store" } });
}
