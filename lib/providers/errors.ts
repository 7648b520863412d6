import { isRecord } from "@/lib/providers/json";

import { ProviderError, type ErrorOrigin, type ProviderErrorCode } from "@/lib/providers/types";

/**
 * One classification of provider failures for every adapter. `retryable` means "the same call
 * may succeed if tried again" (transient: 429, 5xx, overload, timeouts, broken connections).
 * Non-retryable failures split in two: request-specific ones (bad_request, content_filter) that
 * any provider would likely reject too, and provider-specific ones (auth, not_found, missing_key)
 * where falling back to *another* provider is still worthwhile; see canFallBack.
 */

const MAX_MESSAGE = 500;

/** Removes anything that looks like a credential, and the known key itself, from a message. */
export function scrubSecrets(text: string, apiKey?: string | null): string {
  let out = text;
  // Keys shorter than 8 characters would over-match ordinary words; real keys never are.
  if (apiKey && apiKey.length >= 8) out = out.split(apiKey).join("[redacted]");
  return out
    .replace(/(bearer\s+)[A-Za-z0-9._~+/=-]+/gi, "$1[redacted]")
    .replace(/([?&](?:key|api_key|apikey|access_token)=)[^&\s"']+/gi, "$1[redacted]")
    .replace(/((?:x-api-key|x-goog-api-key|api-key)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, "$1[redacted]")
    .replace(/\b(sk-(?:ant-|proj-|or-)?)[A-Za-z0-9_-]{12,}/g, "$1[redacted]")
    .replace(/\bAIza[0-9A-Za-z_-]{20,}/g, "[redacted]");
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

function record(value: unknown): Record<string, unknown> | null {
  return isRecord(value) ? value : null;
}

/** The upstream's own error message and code/type, from any of the common error body shapes. */
export function upstreamDetail(body: unknown): { message: string | null; type: string | null } {
  const root = record(Array.isArray(body) ? body[0] : body);
  if (!root) return { message: typeof body === "string" && body.trim() ? body.trim() : null, type: null };
  const err = record(root.error);
  // OpenAI/Mistral/OpenRouter {error:{message,type,code}}, Anthropic {type:"error",error:{type,message}},
  // Gemini {error:{code,message,status}}, FastAPI-style servers {detail}, some proxies {message}.
  const message = err?.message ?? (typeof root.error === "string" ? root.error : null) ?? root.message ?? root.detail;
  const type = err?.type ?? err?.status ?? err?.code ?? root.code ?? null;
  return {
    message: message == null ? null : typeof message === "string" ? message : JSON.stringify(message),
    type: type == null ? null : String(type),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

type HeaderValue = string | string[] | undefined | null;

function header(headers: Record<string, HeaderValue> | Headers | undefined, name: string): string | null {
  if (!headers) return null;
  const v = headers instanceof Headers ? headers.get(name) : headers[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

/** Retry-After in ms from `retry-after-ms` (OpenAI), `retry-after` seconds or an HTTP date. */
export function retryAfterMs(headers: Record<string, HeaderValue> | Headers | undefined, now = Date.now()): number | null {
  const ms = Number(header(headers, "retry-after-ms"));
  if (header(headers, "retry-after-ms") && Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const raw = header(headers, "retry-after");
  if (!raw) return null;
  const secs = Number(raw);
  if (Number.isFinite(secs) && secs >= 0) return Math.round(secs * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

interface StatusClass {
  code: ProviderErrorCode;
  retryable: boolean;
}

function classifyStatus(status: number, type: string | null): StatusClass {
  const t = (type ?? "").toLowerCase();
  if (status === 529 || t === "overloaded_error") return { code: "overloaded", retryable: true };
  // OpenAI answers 429 for an exhausted billing quota too; waiting does not help there.
  if (status === 429) return { code: "rate_limited", retryable: t !== "insufficient_quota" };
  if (status === 408) return { code: "timeout", retryable: true };
  if (status === 401 || status === 403) return { code: "auth", retryable: false };
  if (status === 404) return { code: "not_found", retryable: false };
  if (status >= 500) return { code: "upstream_5xx", retryable: true };
  if (t.includes("content_filter") || t.includes("content_policy")) return { code: "content_filter", retryable: false };
  if (status >= 400) return { code: "bad_request", retryable: false };
  return { code: "invalid_response", retryable: false };
}

/** An HTTP error answer from a provider. `body` is the raw text or an already parsed object. */
export function errorFromStatus(
  status: number,
  body: unknown,
  {
    headers,
    apiKey,
    fallbackMessage,
  }: {
    /** The answer's headers (Retry-After), when there were any. */
    headers?: Record<string, HeaderValue> | Headers;
    /** Scrubbed from the message. */
    apiKey: string | null;
    /** The message when the body carries none. */
    fallbackMessage?: string;
  },
): ProviderError {
  const parsed = typeof body === "string" ? parseJson(body) : body;
  const detail = upstreamDetail(parsed);
  const { code, retryable } = classifyStatus(status, detail.type);
  const text = `HTTP ${status}${detail.type ? ` ${detail.type}` : ""}: ${detail.message ?? fallbackMessage ?? "no error message"}`;
  const wait = code === "rate_limited" || code === "overloaded" || status === 503 ? retryAfterMs(headers) : null;
  return new ProviderError(code, truncate(scrubSecrets(text, apiKey)), { status, retryable, retryAfterMs: wait, origin: "provider" });
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
]);
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/** The first `code` along an error's cause chain (fetch wraps socket errors in TypeError). */
export function errorCode(err: unknown): string | null {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e; depth++) {
    const r = record(e);
    if (!r) return null;
    if (typeof r.code === "string") return r.code;
    e = r.cause;
  }
  return null;
}

/** A thrown transport error (no HTTP answer) as a ProviderError. */
export function errorFromThrown(err: unknown, apiKey: string | null): ProviderError {
  if (err instanceof ProviderError) return err;
  const code = errorCode(err);
  const raw = err instanceof Error ? `${err.message}${code ? ` (${code})` : ""}` : String(err);
  const message = truncate(scrubSecrets(raw, apiKey));
  if (code && TIMEOUT_CODES.has(code)) return new ProviderError("timeout", message, { retryable: true, origin: "provider", cause: err });
  if (code && NETWORK_CODES.has(code)) return new ProviderError("network", message, { retryable: true, origin: "provider", cause: err });
  if (err instanceof TypeError && /fetch failed|terminated|network/i.test(err.message)) {
    return new ProviderError("network", message, { retryable: true, origin: "provider", cause: err });
  }
  // The upstream spoke broken HTTP (llhttp's HPE_* codes, undici's response errors).
  if (code && (code.startsWith("HPE_") || code.startsWith("UND_ERR_RES"))) {
    return new ProviderError("invalid_response", message, { retryable: false, origin: "provider", cause: err });
  }
  // Anything else was thrown by code on our side of the wire (an SDK, a mapping): not the provider.
  return new ProviderError("local_error", message, { retryable: false, origin: "local", cause: err });
}

/** `cause`: what ended the wait (an abort signal's reason), when there is one. */
export function timeoutError(ms: number, cause?: unknown): ProviderError {
  return new ProviderError("timeout", `no answer within ${ms} ms`, { retryable: true, origin: "provider", cause });
}

/**
 * The caller cancelled (client gone): surface its own reason, not a provider failure; only a
 * caller's timeout signal (AbortSignal.timeout) becomes our timeout error.
 */
export function callerAbortError(signal: AbortSignal, timeoutMs: number): unknown {
  const reason: unknown = signal.reason;
  if (reason instanceof DOMException && reason.name === "TimeoutError") return timeoutError(timeoutMs, reason);
  return reason ?? new DOMException("aborted", "AbortError");
}

export function streamCutError(detail: string, apiKey: string | null, cause?: unknown): ProviderError {
  return new ProviderError("stream_cut", truncate(scrubSecrets(`stream cut mid-answer: ${detail}`, apiKey)), { retryable: true, origin: "provider", cause });
}

/** An answer the upstream sent that we cannot read (malformed JSON, no choices): its fault. */
export function invalidAnswerError(message: string, { status = 200, cause }: { status?: number | null; cause?: unknown } = {}): ProviderError {
  return new ProviderError("invalid_response", message, { status, retryable: true, origin: "provider", cause });
}

export function missingKeyError(kind: string): ProviderError {
  return new ProviderError("missing_key", `no API key configured for this ${kind} provider`, { retryable: false });
}

/** The request cannot be sent to this provider (mapping or serialisation failed): the caller's 400. */
export function localRequestError(message: string, cause?: unknown): ProviderError {
  return new ProviderError("local_invalid_request", truncate(message), { status: 400, retryable: false, cause });
}

/**
 * Whether a failure counts against the provider's circuit: only what the provider or the
 * network did (errors, timeouts, 5xx/overload, 429, a stream cut by the upstream).
 */
const CIRCUIT_CODES: ReadonlySet<ProviderErrorCode> = new Set(["network", "timeout", "upstream_5xx", "overloaded", "rate_limited", "stream_cut"]);

export function isProviderFault(error: { code: ProviderErrorCode; origin?: ErrorOrigin }): boolean {
  return error.origin === "provider" && CIRCUIT_CODES.has(error.code);
}

/**
 * Whether trying the *next* provider in the fallback chain makes sense: every retryable
 * failure, and the provider-specific permanent ones (a wrong key or an unknown model at this
 * provider says nothing about the next one).
 */
export function canFallBack(error: ProviderError): boolean {
  return error.retryable || error.code === "auth" || error.code === "not_found" || error.code === "missing_key";
}
