import { after } from "next/server";
import { handleFeedback } from "@/lib/gateway/handlers/feedback";
import { runtime } from "@/lib/gateway/runtime";

export const dynamic = "force-dynamic";

/** A 1-5 quality score (and correctness) for a request_id the gateway returned. */
export function POST(request: Request): Promise<Response> {
  // On serverless hosts the instance may freeze once the response is sent: flush records first.
  // Long-running servers batch on the recorder's timer instead (a flush per request costs throughput).
  if (process.env.VERCEL) after(() => runtime().recorder.flush());
  return handleFeedback(request);
}
