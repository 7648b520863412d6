import { randomUUID } from "node:crypto";
import { MESSAGES_PATH, dialectOf, dialectOfRequest, inDialect, type HeaderPresence } from "./dialect";
import { GatewayError, errorReply } from "./errors";
import { handleChatCompletions } from "./handlers/chat-completions";
import { handleEmbeddings } from "./handlers/embeddings";
import { handleFeedback } from "./handlers/feedback";
import { handleGenerate } from "./handlers/generate";
import { handleMessages } from "./handlers/messages";
import { handleModel, handleModels } from "./handlers/models";
import { handleResponses } from "./handlers/responses";
import { toResponse, type GatewayAnswer, type GatewayRequest } from "./wire";

/**
 * The gateway's route table, in one place for both servers:
 * - `npm start` (node-adapter.ts) serves GATEWAY_ROUTES straight from node:http and answers 404 /
 *   405 JSON for anything else under /api/llm except NEXT_ROUTES, which go to Next;
 * - `next dev` / Vercel serve the same handlers from app/api/llm/<path>/route.ts; the methods a
 *   route file does not implement come from notAllowed(), unknown paths from the catch-all
 *   app/api/llm/[...path]/route.ts.
 * A new route (e.g. /v1/embeddings): one line here, plus its route.ts for Next, whose answers go
 * through answerFor() so that errors come in the caller's dialect (dialect.ts) in both servers.
 * A route with a path parameter (/v1/models/{id}, ids may contain "/") is a prefix in
 * GATEWAY_PREFIX_ROUTES, and a [...param] folder for Next.
 */
export type Handler = (request: GatewayRequest) => Promise<GatewayAnswer>;
export const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];

export const GATEWAY_ROUTES: Readonly<Record<string, Partial<Record<Method, Handler>>>> = {
  "/api/llm/v1/chat/completions": { POST: handleChatCompletions },
  "/api/llm/v1/embeddings": { POST: handleEmbeddings },
  "/api/llm/v1/responses": { POST: handleResponses },
  [MESSAGES_PATH]: { POST: handleMessages },
  "/api/llm/generate": { POST: handleGenerate },
  "/api/llm/feedback": { POST: handleFeedback },
  "/api/llm/v1/models": { GET: handleModels },
};

/** Routes taking the rest of the path as a parameter: a path longer than the prefix that starts with it. */
export const GATEWAY_PREFIX_ROUTES: Readonly<Record<string, Partial<Record<Method, Handler>>>> = {
  "/api/llm/v1/models/": { GET: handleModel },
};

/** The route serving a path: an exact route, else the longest prefix route it extends. */
export function findRoute(path: string): Partial<Record<Method, Handler>> | undefined {
  const exact = GATEWAY_ROUTES[path];
  if (exact) return exact;
  let found: string | undefined;
  for (const prefix of Object.keys(GATEWAY_PREFIX_ROUTES)) {
    if (path.length > prefix.length && path.startsWith(prefix) && (!found || prefix.length > found.length)) found = prefix;
  }
  return found ? GATEWAY_PREFIX_ROUTES[found] : undefined;
}

/**
 * Endpoints of the APIs the gateway speaks that it deliberately does not serve, with what to use
 * instead. Legacy text completions: a completion model continues the prompt, a chat model answers
 * it, and `echo`, `suffix`, `best_of`, integer `logprobs` and token-array prompts have no chat
 * equivalent, so translating them through chat would change what the caller gets.
 */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  "/api/llm/v1/completions":
    "The legacy completions endpoint (/v1/completions) is not supported: send the prompt as a user message to POST /api/llm/v1/chat/completions.",
  // Counting needs the routed model's own tokenizer (an Anthropic call for Claude); none is built.
  [`${MESSAGES_PATH}/count_tokens`]:
    "Token counting (/v1/messages/count_tokens) is not served by the gateway: the usage of each answer from POST /api/llm/v1/messages reports the tokens counted.",
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

/** 404 JSON in the caller's dialect (OpenAI's shape unless `headers` say Anthropic, dialect.ts). */
export function notFound(method: string, path: string, headers: HeaderPresence = new Headers()): GatewayAnswer {
  const dialect = dialectOf(path, headers);
  const shown = path.slice(0, 200);
  let message = UNSUPPORTED[path] ?? `No route ${method.slice(0, 20)} ${shown}. The gateway's routes are listed at ${GATEWAY_PREFIX}/openapi.json.`;
  // The Anthropic SDK appends /v1/messages to its base URL, which is the gateway's /api/llm.
  if (dialect === "anthropic" && !UNSUPPORTED[path] && !path.startsWith(MESSAGES_PATH)) message += ` Anthropic clients: set the base URL to <origin>${GATEWAY_PREFIX}.`;
  return inDialect(errorReply(new GatewayError(404, "not_found_error", message), { "x-request-id": randomUUID() }), dialect);
}

/** 405 JSON in the caller's dialect, with the Allow header. */
export function methodNotAllowed(method: string, path: string, allow: readonly string[], headers: HeaderPresence = new Headers()): GatewayAnswer {
  const error = new GatewayError(405, "invalid_request_error", `Method ${method.slice(0, 20)} is not allowed on ${path.slice(0, 200)}; use ${allow.join(", ")}.`, {
    headers: { allow: allow.join(", ") },
  });
  return inDialect(errorReply(error, { "x-request-id": randomUUID() }), dialectOf(path, headers));
}

/** A handler's answer as a web Response for Next's route files, errors in the caller's dialect. */
export function answerFor(request: GatewayRequest, answer: GatewayAnswer): Response {
  return toResponse(inDialect(answer, dialectOfRequest(request)));
}

/** The methods a route does not implement, each answering 405 JSON (export them from route.ts). */
export function notAllowed(allow: readonly Method[]): Record<Method, (request: Request) => Response> {
  const handler = (request: Request) => toResponse(methodNotAllowed(request.method, new URL(request.url).pathname, allow, request.headers));
  return Object.fromEntries(METHODS.map((m) => [m, handler])) as Record<Method, (request: Request) => Response>;
}

/** Every method answering 404 JSON (the catch-all route). */
export function allNotFound(): Record<Method, (request: Request) => Response> {
  const handler = (request: Request) => toResponse(notFound(request.method, new URL(request.url).pathname, request.headers));
  return Object.fromEntries(METHODS.map((m) => [m, handler])) as Record<Method, (request: Request) => Response>;
}
