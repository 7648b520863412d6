import { handleFeedback } from "@/lib/gateway/handlers/feedback";

export const dynamic = "force-dynamic";

/** A 1-5 quality score (and correctness) for a request_id the gateway returned. */
export function POST(request: Request): Promise<Response> {
  return handleFeedback(request);
}
