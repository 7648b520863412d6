import { allNotFound } from "@/lib/gateway/routes";

export const dynamic = "force-dynamic";

/** Any other path under /api/llm: 404 in the OpenAI error shape, never Next's HTML page. */
export const { GET, HEAD, POST, PUT, PATCH, DELETE } = allNotFound();
