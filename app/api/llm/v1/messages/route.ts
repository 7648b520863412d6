import { after } from "next/server";
import { handleMessages } from "@/lib/gateway/handlers/messages";
import { answerFor, notAllowed } from "@/lib/gateway/routes";
import { runtime } from "@/lib/gateway/runtime";

export const dynamic = "force-dynamic";

/** The other methods: 405 JSON with Allow (lib/gateway/routes.ts), in Anthropic's shape (the path). */
export const { GET, HEAD, PUT, PATCH, DELETE } = notAllowed(["POST"]);

/** Anthropic's Messages API: @anthropic-ai/sdk's `messages.create` / `messages.stream` with baseURL /api/llm. */
export async function POST(request: Request): Promise<Response> {
  // On serverless hosts the instance may freeze once the response is sent: flush records first.
  if (process.env.VERCEL) after(() => runtime().recorder.flush());
  return answerFor(request, await handleMessages(request));
}
