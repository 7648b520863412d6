import { handleGenerate } from "@/lib/gateway/handlers/generate";

export const dynamic = "force-dynamic";

/** Native generation by action: text, usage, exact cost, routing decision and request_id. */
export function POST(request: Request): Promise<Response> {
  return handleGenerate(request);
}
