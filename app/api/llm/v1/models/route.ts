import { handleModels } from "@/lib/gateway/handlers/models";
import { answerFor, notAllowed } from "@/lib/gateway/routes";

export const dynamic = "force-dynamic";

/** The other methods: 405 JSON with Allow (lib/gateway/routes.ts). HEAD is Next's, from GET. */
export const { POST, PUT, PATCH, DELETE } = notAllowed(["GET", "HEAD"]);

/** OpenAI-compatible model list: "auto", the app's actions, and explicit models where allowed. */
export async function GET(request: Request): Promise<Response> {
  return answerFor(request, await handleModels(request));
}
