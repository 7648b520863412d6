import { errorDetail } from "@/lib/errors";
import { Reply, toResponse } from "./wire";

/**
 * Gateway errors: typed with an HTTP status and a stable `type`, mapped to JSON in one place.
 * The /v1 routes use OpenAI's error shape (`{ error: { message, type, param, code } }`), the
 * native routes `{ error: { type, message } }`; both carry `type` and `message`.
 */
export type GatewayErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "rate_limit_error"
  | "budget_exceeded"
  | "budget_unconvertible"
  | "request_too_large"
  | "upstream_error"
  | "service_unavailable";

/**
 * The process-wide gateway parts (rate limiter, configuration cache) live on globalThis and are
 * shared by two bundles in `npm start`: Next's (route handlers, actions) and server.ts's. An error
 * thrown by one bundle's copy of this class must still be recognised by the other's, so
 * `instanceof GatewayError` checks a brand registered under a global symbol, not the prototype.
 */
const BRAND = Symbol.for("llmcp.GatewayError");

/**
 * Why a call was refused after authentication, without any upstream attempt: the ledger's
 * llm_calls.error_type for the row recordRefusal (refusal.ts) writes for it.
 */
export type RefusalCode = "rate_limited_key" | "concurrency_limited" | "budget_exceeded" | "budget_unconvertible" | "circuit_open";

export class GatewayError extends Error {
  readonly [BRAND] = true;

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  /** The request field at fault (OpenAI's `param`), else null. */
  readonly param: string | null;
  /** Extra response headers (retry-after, www-authenticate, allow). */
  readonly headers: Record<string, string>;
  /** Set when the call was refused before reaching a provider: it gets a ledger row of its own. */
  readonly refusal: RefusalCode | null;
  /** OpenAI's `code` when it is more specific than `type` (e.g. model_not_found); else `type`. */
  readonly code: string;

  constructor(
    readonly status: number,
    readonly type: GatewayErrorType,
    message: string,
    options: { param?: string | null; headers?: Record<string, string>; refusal?: RefusalCode | null; code?: string } = {},
  ) {
    super(message);
    this.name = "GatewayError";
    this.param = options.param ?? null;
    this.headers = options.headers ?? {};
    this.refusal = options.refusal ?? null;
    this.code = options.code ?? type;
  }
}

export function errorBody(err: GatewayError): { error: { type: string; message: string; param: string | null; code: string } } {
  return { error: { type: err.type, message: err.message, param: err.param, code: err.code } };
}

/** Any thrown value as a GatewayError; unexpected ones become a 500 without internals. */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  console.error(`[gateway] unexpected error: ${errorDetail(err)}`);
  return new GatewayError(500, "service_unavailable", "The gateway failed to handle this request.");
}

/** The error answer in the OpenAI shape, as a gateway Reply (wire.ts). */
export function errorReply(err: unknown, extraHeaders: Record<string, string> = {}): Reply {
  const e = toGatewayError(err);
  return Reply.json(errorBody(e), { status: e.status, headers: { ...e.headers, ...extraHeaders }, errorMessage: e.message });
}

/** The same as a web Response, for route handlers outside the gateway's hot path. */
export function errorResponse(err: unknown, extraHeaders: Record<string, string> = {}): Response {
  return toResponse(errorReply(err, extraHeaders));
}
