import { errorFromStatus } from "@/lib/providers/errors";
import type { ProviderError } from "@/lib/providers/types";

/**
 * Anthropic's `event: error` inside a stream (e.g. `{ type: "overloaded_error", message }`)
 * reaches us as a plain object once the stream has begun (@ai-sdk/anthropic converts only an
 * error in the first event into an APICallError). Statuses follow Anthropic's documented
 * error type → HTTP status table, so the shared classification applies.
 */
const EVENT_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

export function anthropicStreamError(err: unknown, apiKey: string | null): ProviderError | null {
  if (typeof err !== "object" || err === null || err instanceof Error) return null;
  const type = (err as { type?: unknown }).type;
  if (typeof type !== "string") return null;
  return errorFromStatus(EVENT_STATUS[type] ?? 500, { error: err }, { apiKey });
}
