import { Reply, type GatewayAnswer } from "./wire";

/**
 * Which API dialect a caller speaks, so that every error under /api/llm comes in a shape its
 * client can read: the OpenAI SDKs read `{ error: { message, type, param, code } }`, the
 * Anthropic SDK `{ type: "error", error: { type, message } }`. An unknown path or a refused
 * request otherwise surfaces in an Anthropic client as an unparseable body, or worse, as a
 * silent retry.
 *
 * A request speaks Anthropic when its path is under /api/llm/v1/messages (the Messages API), or
 * it carries an `anthropic-version` header (every Anthropic SDK sends one), or it authenticates
 * with `x-api-key` and no `Authorization` (Anthropic's key header). Everything else speaks OpenAI,
 * whose error shape the native routes share.
 */
export type Dialect = "openai" | "anthropic";

export const MESSAGES_PATH = "/api/llm/v1/messages";

/** Only which headers are present decides: node's parsed headers or a web Headers both answer it. */
export type HeaderPresence = Pick<Headers, "has">;

export function dialectOf(path: string, headers: HeaderPresence): Dialect {
  if (path === MESSAGES_PATH || path.startsWith(`${MESSAGES_PATH}/`)) return "anthropic";
  if (headers.has("anthropic-version")) return "anthropic";
  if (headers.has("x-api-key") && !headers.has("authorization")) return "anthropic";
  return "openai";
}

/** The dialect of a request whose URL is a full URL or a path (with or without a query). */
export function dialectOfRequest(request: { url: string; headers: HeaderPresence }): Dialect {
  const url = request.url;
  const path = url.startsWith("/") ? url.split("?", 1)[0]! : new URL(url).pathname;
  return dialectOf(path, request.headers);
}

/**
 * Anthropic's error type for an HTTP status (docs.anthropic.com, "Errors"). 405 and 415 have no
 * type of their own there: they are invalid requests.
 */
export function anthropicErrorType(status: number): string {
  switch (status) {
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 504:
      return "timeout_error";
    case 529:
      return "overloaded_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

export interface AnthropicError {
  type: "error";
  error: { type: string; message: string };
  request_id?: string;
}

export function anthropicErrorBody(status: number, message: string, requestId?: string): AnthropicError {
  return { type: "error", error: { type: anthropicErrorType(status), message }, ...(requestId ? { request_id: requestId } : {}) };
}

/**
 * An answer in the caller's dialect: for an Anthropic caller, an error Reply in OpenAI's shape is
 * rewritten to Anthropic's (same status and headers, the request id in the body as Anthropic puts
 * it). Successful answers, streams and bodies already in Anthropic's shape pass as they are.
 */
export function inDialect(answer: GatewayAnswer, dialect: Dialect): GatewayAnswer {
  if (dialect === "openai" || !(answer instanceof Reply) || answer.errorMessage === null) return answer;
  const body = anthropicErrorBody(answer.status, answer.errorMessage, answer.headers["x-request-id"]);
  return Reply.json(body, { status: answer.status, headers: answer.headers, errorMessage: answer.errorMessage });
}
