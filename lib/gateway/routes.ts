import { randomUUID } from "node:crypto";
import { GatewayError, errorReply } from "./errors";
import { handleChatCompletions } from "./handlers/chat-completions";
import { handleEmbeddings } from "./handlers/embeddings";
import { handleFeedback } from "./handlers/feedback";
import { handleGenerate } from "./handlers/generate";
import { handleModels } from "./handlers/models";
import { toResponse, type GatewayAnswer, type GatewayRequest, type Reply } from "./wire";

/**
 * The gateway's route table, in one place for both servers:
 * - `npm start` (node-adapter.ts) serves GATEWAY_ROUTES straight from node:http and answers 404 /
 *   405 JSON for anything else under /api/llm except NEXT_ROUTES, which go to Next;
 * - `next dev` / Vercel serve the same handlers from app/api/llm/<path>/route.ts; the methods a
 *   route file does not implement come from notAllowed(), unknown paths from the catch-all
 *   app/api/llm/[...path]/route.ts.
 * A new route (e.g. /v1/embeddings): one line here, plus its route.ts for Next.
 */
export type Handler = (request: GatewayRequest) => Promise<GatewayAnswer>;
export const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];

export const GATEWAY_ROUTES: Readonly<Record<string, Partial<Record<Method, Handler>>>> = {
  "/api/llm/v1/chat/completions": { POST: handleChatCompletions },
  "/api/llm/v1/embeddings": { POST: handleEmbeddings },
  "/api/llm/generate": { POST: handleGenerate },
  "/api/llm/feedback": { POST: handleFeedback },
  "/api/llm/v1/models": { GET: handleModels },
};

/** Routes under /api/llm that only Next serves (not on the hot path), with their methods. */
export const NEXT_ROUTES: Readonly<Record<string, readonly Method[]>> = {
  "/api/llm/health": ["GET", "HEAD"],
  "/api/llm/health/live": ["GET", "HEAD"],
  "/api/llm/health/ready": ["GET", "HEAD"],
  "/api/llm/openapi.json": ["GET", "HEAD"],
};

export const GATEWAY_PREFIX = "/api/llm";

export function isGatewayPath(path: string): boolean {
  return path === GATEWAY_PREFIX || path.startsWith(`${GATEWAY_PREFIX}/`);
}

/** 404 in the OpenAI error shape. */
export function notFound(method: string, path: string): Reply {
  return errorReply(
    new GatewayError(404, "not_found_error", `No route ${method} ${path.slice(0, 200)}. The gateway's routes are listed at ${GATEWAY_PREFIX}/openapi.json.`),
    { "x-request-id": randomUUID() },
  );
}

/** 405 in the OpenAI error shape, with the Allow header. */
export function methodNotAllowed(method: string, path: string, allow: readonly string[]): Reply {
  return errorReply(
    new GatewayError(405, "invalid_request_error", `Method ${method.slice(0, 20)} is not allowed on ${path.slice(0, 200)}; use ${allow.join(", ")}.`, {
      headers: { allow: allow.join(", ") },
    }),
    { "x-request-id": randomUUID() },
  );
}

/** The methods a route does not implement, each answering 405 JSON (export them from route.ts). */
export function notAllowed(allow: readonly Method[]): Record<Method, (request: Request) => Response> {
  const handler = (request: Request) => toResponse(methodNotAllowed(request.method, new URL(request.url).pathname, allow));
  return Object.fromEntries(METHODS.map((m) => [m, handler])) as Record<Method, (request: Request) => Response>;
}

/** Every method answering 404 JSON (the catch-all route). */
export function allNotFound(): Record<Method, (request: Request) => Response> {
  const handler = (request: Request) => toResponse(notFound(request.method, new URL(request.url).pathname));
  return Object.fromEntries(METHODS.map((m) => [m, handler])) as Record<Method, (request: Request) => Response>;
}
