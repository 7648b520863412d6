import { NextResponse } from "next/server";
import { notAllowed } from "@/lib/gateway/routes";
import { getHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

/** The other methods: 405 JSON with Allow (lib/gateway/routes.ts). */
export const { POST, PUT, PATCH, DELETE } = notAllowed(["GET", "HEAD"]);

/** GET /api/llm/health: database state and providers (whether each key is set, never the key). */
export async function GET() {
  const health = await getHealth();
  return NextResponse.json(health, { status: 200, headers: { "cache-control": "no-store" } });
}
