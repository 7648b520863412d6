import { handleModels } from "@/lib/gateway/handlers/models";

export const dynamic = "force-dynamic";

/** OpenAI-compatible model list: "auto", the app's actions, and explicit models where allowed. */
export function GET(request: Request): Promise<Response> {
  return handleModels(request);
}
