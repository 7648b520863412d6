import { allNotFound } from "@/lib/gateway/routes";

export const dynamic = "force-dynamic";

/** /api/llm itself (the catch-all [...path] needs a segment): 404 JSON in the caller's dialect. */
export const { GET, HEAD, POST, PUT, PATCH, DELETE } = allNotFound();
