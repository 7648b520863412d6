import { after } from "next/server";
import { handleFeedback } from "@/lib/gateway/handlers/feedback";
import { answerFor, notAllowed } from "@/lib/gateway/routes";
import { runtime } from "@/lib/gateway/runtime";

export const dynamic = "force-dynamic";

/** The other methods: 405 JSON with Allow (lib/gateway/routes.ts). */
export const { GET, HEAD, PUT, PATCH, DELETE } = notAllowed(["POST"]);

/** A 1-5 quality score (and correctness) for a request_id the gateway returned. */
export async function POST(request: Request): Promise<Response> {
  // On serverless hosts the instance may freeze once the response is sent: flush records first.
  // Long-running servers batch on the recorder's timer instead (a flush per request costs throughput).
  if (process.env.VERCEL) after(() => runtime().recorder.flush());
  return answerFor(request, await handleFeedback(request));
}
