import { NextResponse } from "next/server";
import { notAllowed } from "@/lib/gateway/routes";
import { getHealth } from "@/lib/health/health";
import { getReadiness, readinessStatus } from "@/lib/health/readiness";

export const dynamic = "force-dynamic";

/** The other methods: 405 JSON with Allow (lib/gateway/routes.ts). */
export const { POST, PUT, PATCH, DELETE } = notAllowed(["GET", "HEAD"]);

/**
 * GET /api/llm/health: database state and providers (whether each key is set, never the key), with
 * the readiness verdict; the status code is readiness's (200 ready, 503 not), as /health/ready.
 */
export async function GET() {
  const [health, readiness] = await Promise.all([getHealth(), getReadiness()]);
  return NextResponse.json({ ...health, readiness }, { status: readinessStatus(readiness), headers: { "cache-control": "no-store" } });
}
