import { NextResponse } from "next/server";
import { getHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

/** GET /api/llm/health: database state and providers (whether each key is set, never the key). */
export async function GET() {
  const health = await getHealth();
  return NextResponse.json(health, { status: 200, headers: { "cache-control": "no-store" } });
}
