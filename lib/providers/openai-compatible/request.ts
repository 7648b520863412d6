import { isRecord } from "@/lib/providers/json";
import type { FinishReasonMap } from "@/lib/providers/openai-compatible/finish-reasons";

import type { Pool } from "undici";
import {
  callerAbortError,
  errorFromStatus,
  errorFromThrown,
  invalidAnswerError,
  localRequestError,
  missingKeyError,
  scrubSecrets,
  timeoutError,
} from "@/lib/providers/errors";
import type { Deadline } from "@/lib/providers/http/deadline";
import { exchange } from "@/lib/providers/http/exchange";
import { poolFor, resolveBase } from "@/lib/providers/http/pool";
import { ProviderError, type ChatRequest, type ProviderTarget } from "@/lib/providers/types";

/** What distinguishes one OpenAI-compatible provider from another; everything else is shared. */
export interface OpenAICompatibleOptions {
  /** For error messages. */
  label: string;
  /** null = the provider has no public endpoint and needs base_url (Ollama, vLLM, LM Studio). */
  defaultBaseUrl: string | null;
  /** Appended when base_url is a bare origin such as "http://localhost:11434". */
  defaultPath: string;
  requiresKey: boolean;
  extraHeaders?: Record<string, string>;
  /** Finish reasons outside OpenAI's, mapped for OpenAI clients (finish-reasons.ts). */
  finishReasons?: FinishReasonMap;
  /** Rewrites the outgoing body for providers that reject some OpenAI fields. */
  mapRequest?: (body: Record<string, unknown>, stream: boolean) => Record<string, unknown>;
  /**
   * Embeddings (POST {base}/embeddings): rewrites the outgoing body for providers whose
   * embeddings request differs from OpenAI's; `floatsOnly` when the provider cannot answer
   * base64 (the adapter then asks for floats and encodes them itself). Absent = OpenAI's as is.
   */
  embeddings?: { mapRequest?: (body: Record<string, unknown>) => Record<string, unknown>; floatsOnly?: boolean };
}

export interface PreparedCall {
  pool: Pool;
  path: string;
  headers: Record<string, string>;
  body: string;
  apiKey: string | null;
}

/** Where a call to this provider goes and how it is authenticated, whatever the endpoint. */
export interface Endpoint {
  pool: Pool;
  /** The base path (e.g. "/v1"); the endpoint's own path follows it. */
  prefix: string;
  search: string;
  headers: Record<string, string>;
}

export function resolveEndpoint(options: OpenAICompatibleOptions, target: ProviderTarget): Endpoint {
  const baseUrl = target.baseUrl ?? options.defaultBaseUrl;
  if (!baseUrl) {
    throw new ProviderError("not_found", `the ${options.label} provider needs a base_url`, { retryable: false });
  }
  if (options.requiresKey && !target.apiKey) throw missingKeyError(options.label);
  let base;
  try {
    base = resolveBase(baseUrl, options.defaultPath);
  } catch {
    throw new ProviderError("not_found", `the ${options.label} provider's base_url is not a valid URL`, { retryable: false });
  }
  const headers: Record<string, string> = { "content-type": "application/json", ...options.extraHeaders };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  return { pool: poolFor(base.origin), prefix: base.prefix, search: base.search, headers };
}

export function prepareCall(
  options: OpenAICompatibleOptions,
  target: ProviderTarget,
  request: ChatRequest,
  stream: boolean,
): PreparedCall {
  const endpoint = resolveEndpoint(options, target);
  // One shallow copy and one stringify: the caller's body goes upstream otherwise untouched.
  let body: Record<string, unknown> = stream
    ? {
        ...request,
        model: target.modelCode,
        stream: true,
        stream_options: { ...(request.stream_options as object | undefined), include_usage: true },
      }
    : { ...request, model: target.modelCode, stream: undefined, stream_options: undefined };
  if (options.mapRequest) body = options.mapRequest(body, stream);
  const headers = endpoint.headers;
  if (stream) headers.accept = "text/event-stream";
  return {
    pool: endpoint.pool,
    path: `${endpoint.prefix}/chat/completions${endpoint.search}`,
    headers,
    body: serialise(body, options.label),
    apiKey: target.apiKey,
  };
}

/** The upstream body as JSON; a body we cannot serialise is the request's fault, not the provider's. */
export function serialise(body: Record<string, unknown>, label: string): string {
  try {
    return JSON.stringify(body);
  } catch (err) {
    const why = err instanceof RangeError ? "it is nested too deeply" : "it holds a value JSON cannot express";
    throw localRequestError(`the request cannot be sent to the ${label} provider: ${why}`, err);
  }
}

/** What a failure is judged against: the call, its deadline (null: the exchange kept its own) and the caller's signal. */
export interface CallScope {
  call: PreparedCall;
  deadline: Deadline | null;
  signal: AbortSignal;
  timeoutMs: number;
}

/** Any failure of a call as what the gateway should see. */
export function callFailure(err: unknown, { call, deadline, signal, timeoutMs }: CallScope): unknown {
  if (err instanceof ProviderError) return err;
  if (deadline?.timedOut) return timeoutError(timeoutMs, err);
  if (signal.aborted) return callerAbortError(signal, timeoutMs);
  return errorFromThrown(err, call.apiKey);
}

/** An error payload (HTTP 200 with `{ error }`, or an SSE `data: {"error":…}`) as a ProviderError. */
export function embeddedError(payload: Record<string, unknown>, apiKey: string | null): ProviderError {
  const err = payload.error as Record<string, unknown> | string;
  const code = typeof err === "object" && err !== null ? err.code : null;
  // OpenRouter puts the HTTP status it would have used in error.code; otherwise assume a 502.
  const status = typeof code === "number" && code >= 400 && code < 600 ? code : 502;
  return errorFromStatus(status, payload, { apiKey });
}


export function parseJsonObject(text: string, what: string, apiKey: string | null): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw invalidAnswerError(`malformed JSON in the ${what}: ${errorSample(text, apiKey)}`, { cause: err });
  }
  if (!isRecord(parsed)) {
    throw invalidAnswerError(`the ${what} is not a JSON object`);
  }
  return parsed;
}

function errorSample(text: string, apiKey: string | null): string {
  return JSON.stringify(scrubSecrets(text.slice(0, 120), apiKey));
}

/**
 * One non-streamed exchange of a prepared call: a 2xx answer's JSON object and its text, or the
 * typed failure (network, timeout, client gone, the provider's error status, malformed JSON).
 */
export async function exchangeJson(call: PreparedCall, timeoutMs: number, signal: AbortSignal): Promise<{ answer: Record<string, unknown>; text: string }> {
  let res;
  try {
    res = await exchange(call.pool, { path: call.path, headers: call.headers, body: call.body, timeoutMs, signal });
  } catch (err) {
    throw callFailure(err, { call, deadline: null, signal, timeoutMs });
  }
  if (res.status < 200 || res.status >= 300) throw errorFromStatus(res.status, res.text, { headers: res.headers, apiKey: call.apiKey });
  return { answer: parseJsonObject(res.text, "response", call.apiKey), text: res.text };
}
