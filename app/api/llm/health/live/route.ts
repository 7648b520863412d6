import { NextResponse } from "next/server";
import { notAllowed } from "@/lib/gateway/routes";

export const dynamic = "force-dynamic";

/** The other methods: 405 JSON with Allow (lib/gateway/routes.ts). */
export const { POST, PUT, PATCH, DELETE } = notAllowed(["GET", "HEAD"]);

/** GET /api/llm/health/live: liveness. 200 while the process serves HTTP; it touches nothing else. */
export function GET() {
  return NextResponse.json({ status: "live" }, { status: 200, headers: { "cache-control": "no-store" } });
}
