import { openApiDocument } from "@/lib/gateway/openapi";
import { notAllowed } from "@/lib/gateway/routes";

/** The other methods: 405 JSON with Allow (lib/gateway/routes.ts). */
export const { POST, PUT, PATCH, DELETE } = notAllowed(["GET", "HEAD"]);

/** The OpenAPI 3.1 document of the gateway routes. */
export function GET(): Response {
  return Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
