import { openApiDocument } from "@/lib/gateway/openapi";

/** The OpenAPI 3.1 document of the gateway routes. */
export function GET(): Response {
  return Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
