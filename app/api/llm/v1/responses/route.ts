import { after } from "next/server";
import { handleResponses } from "@/lib/gateway/handlers/responses";
import { answerFor, notAllowed } from "@/lib/gateway/routes";
import { runtime } from "@/lib/gateway/runtime";

export const dynamic = "force-dynamic";

/** The other methods: 405 JSON with Allow (lib/gateway/routes.ts). */
export const { GET, HEAD, PUT, PATCH, DELETE } = notAllowed(["POST"]);

/** OpenAI's Responses API, stateless: the official SDKs' `responses.create` / `.stream` / `.parse` with baseURL /api/llm/v1. */
export async function POST(request: Request): Promise<Response> {
  // On serverless hosts the instance may freeze once the response is sent: flush records first.
  if (process.env.VERCEL) after(() => runtime().recorder.flush());
  return answerFor(request, await handleResponses(request));
}
