import { handleModel } from "@/lib/gateway/handlers/models";
import { answerFor, notAllowed } from "@/lib/gateway/routes";

export const dynamic = "force-dynamic";

/** The other methods: 405 JSON with Allow (lib/gateway/routes.ts). HEAD is Next's, from GET. */
export const { POST, PUT, PATCH, DELETE } = notAllowed(["GET", "HEAD"]);

/**
 * One model the key may use, as OpenAI's model object, else 404 model_not_found. A catch-all
 * segment, since ids may contain "/"; the handler reads the id from the URL itself (raw or
 * percent-encoded), the same way in both servers.
 */
export async function GET(request: Request): Promise<Response> {
  return answerFor(request, await handleModel(request));
}
