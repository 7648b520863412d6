import { handleChatCompletions } from "@/lib/gateway/handlers/chat-completions";

export const dynamic = "force-dynamic";

/** OpenAI-compatible chat completions: point the official SDKs' baseURL at /api/llm/v1. */
export function POST(request: Request): Promise<Response> {
  return handleChatCompletions(request);
}
