import type { ProviderKind, Usage } from "@/lib/engine/types";

/**
 * The provider boundary. Requests and streamed chunks are OpenAI-shaped (the gateway's public
 * wire format); each provider folder maps them to and from its own protocol, maps usage, and
 * classifies errors into ProviderError.
 */
export type ChatRole = "system" | "developer" | "user" | "assistant" | "tool";

export interface ChatContentPart {
  type: string;
  text?: string;
  [key: string]: unknown;
}

export interface ChatMessage {
  role: ChatRole;
  content: string | ChatContentPart[] | null;
  name?: string;
  tool_calls?: unknown[];
  tool_call_id?: string;
  /** A tool message reporting a failed tool call (Anthropic's tool_result is_error, from /v1/messages). */
  is_error?: boolean;
}

/**
 * An OpenAI chat.completions request body (model is set by the gateway). The sampling fields may
 * be null as callers send them (the gateway's schema accepts null: "not set", so a routing rule's
 * params fill them in).
 */
export interface ChatRequest {
  messages: ChatMessage[];
  temperature?: number | null;
  top_p?: number | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  stop?: string | string[];
  response_format?: unknown;
  tools?: unknown[];
  tool_choice?: unknown;
  seed?: number;
  user?: string;
  [key: string]: unknown;
}

/**
 * An OpenAI embeddings request body as it goes to an adapter (model is set by the adapter):
 * `input` a string, strings, a token array or token arrays; the adapter answers in
 * `encoding_format` (default float), translating where its provider cannot.
 */
export interface EmbeddingRequest {
  input: string | string[] | number[] | number[][];
  encoding_format?: "float" | "base64";
  dimensions?: number;
  user?: string;
  [key: string]: unknown;
}

/** An embeddings answer: OpenAI's `{ object: "list", data, model, usage }` and its usage (completion 0). */
export interface EmbeddingResult {
  usage: Usage | null;
  modelVersion: string | null;
  body: Record<string, unknown>;
  /** The upstream's JSON text as received, when it already is OpenAI's answer in the asked encoding. */
  rawBody?: string;
}

export interface ProviderTarget {
  kind: ProviderKind;
  /** From llm_providers.base_url; null = the provider's public endpoint. */
  baseUrl: string | null;
  /** Read from the env var the provider names; never logged or returned. */
  apiKey: string | null;
  modelCode: string;
  /** The adapter's own deadline for the call (see ProviderAdapter). */
  timeoutMs: number;
}

export interface CompletionResult {
  text: string;
  finishReason: string | null;
  usage: Usage | null;
  /** The exact model version the provider reports (e.g. "gpt-4o-2024-08-06"). */
  modelVersion: string | null;
  /** The OpenAI-shaped chat.completion object to return to OpenAI-compatible callers. */
  body: Record<string, unknown>;
  /**
   * The upstream's JSON text exactly as received, when it already is an OpenAI chat.completion
   * (the OpenAI-compatible fast path). Forwarding it saves re-serialising `body`; absent when the
   * body was built by mapping another protocol.
   */
  rawBody?: string;
}

/**
 * A streamed answer: OpenAI chat.completion.chunk objects, then usage (at most once, absent when
 * the provider reported none), then the end. A stream that breaks throws a ProviderError from
 * the iterator instead of yielding `end` (code `stream_cut` once it had started).
 */
export type StreamEvent =
  | {
      type: "chunk";
      chunk: Record<string, unknown>;
      text: string;
      /** The SSE `data:` payload as received (fast path only), to forward without re-serialising. */
      raw?: string;
    }
  | {
      type: "usage";
      usage: Usage;
      modelVersion: string | null;
      /**
       * The OpenAI-shaped usage chunk (`choices: []`, `usage: {...}`), for callers that asked for
       * `stream_options.include_usage`; the gateway forwards it only to them.
       */
      chunk?: Record<string, unknown>;
    }
  /**
   * The usage the provider has shown so far (Anthropic: message_start, message_delta), before the
   * final `usage` event: what a stream cut short or left by its client is recorded with.
   */
  | { type: "partial_usage"; usage: Usage; modelVersion: string | null }
  | { type: "end"; finishReason: string | null };

export type ProviderErrorCode =
  | "rate_limited"
  | "timeout"
  | "upstream_5xx"
  | "overloaded"
  | "network"
  | "stream_cut"
  | "bad_request"
  | "auth"
  | "not_found"
  | "content_filter"
  | "invalid_response"
  | "missing_key"
  /** Raised by our own code because of the request (it cannot be mapped or serialised): a 400. */
  | "local_invalid_request"
  /** An unexpected exception in our own code (a bug): a 500 without internals, logged. */
  | "local_error"
  /** The caller went away or cancelled the call (an AbortError reached the gateway). */
  | "cancelled";

/**
 * Where a failure came from. `provider`: the provider answered with an error, or the network
 * or the provider's timeout failed the exchange; set only where adapters talk to the network or
 * read the upstream's answer. `local`: raised by our own code (request mapping, serialisation,
 * validation, a missing key, a cancelled call, a bug). Only provider failures may count against
 * the provider's circuit, so `local` is the default: forgetting to mark a site can never make a
 * tenant's request look like a provider outage.
 */
export type ErrorOrigin = "provider" | "local";

/** ProviderError's named options; only `retryable` is required (fallback decisions read it). */
export interface ProviderErrorOptions {
  retryable: boolean;
  /** The upstream's HTTP status, or ours for a local 400; null (default) when there was none. */
  status?: number | null;
  /** The upstream's Retry-After, in ms; null (default) when it sent none. */
  retryAfterMs?: number | null;
  /** Default "local": see ErrorOrigin. */
  origin?: ErrorOrigin;
  /** The error this one wraps (a socket error, a timeout's reason, a parse failure). */
  cause?: unknown;
  /**
   * Tokens the provider billed although the call failed (a fan-out's calls that finished before
   * another failed); `partial` when more may have been billed (a failure of unknown billing).
   */
  billed?: { usage: Usage; partial: boolean } | null;
}

/**
 * Typed provider failure, with named options and the wrapped error kept as `cause` (modelled on
 * the AI SDK's APICallError). Fallback decisions read `retryable`, never the message.
 */
export class ProviderError extends Error {
  readonly status: number | null;
  readonly retryable: boolean;
  readonly retryAfterMs: number | null;
  readonly origin: ErrorOrigin;
  readonly billed: { usage: Usage; partial: boolean } | null;

  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    options: ProviderErrorOptions,
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ProviderError";
    this.status = options.status ?? null;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.origin = options.origin ?? "local";
    this.billed = options.billed ?? null;
  }
}

/**
 * A provider protocol. Each adapter bounds its own calls by `target.timeoutMs` (a complete call
 * as a whole; a stream until its first part and between parts) and reports that as `timeout`;
 * `signal` is the caller's: when it aborts (the client left), the upstream call stops.
 */
export interface ProviderAdapter {
  complete(target: ProviderTarget, request: ChatRequest, signal: AbortSignal): Promise<CompletionResult>;
  stream(target: ProviderTarget, request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamEvent>;
  /** Embeddings; absent for kinds that have none through this gateway (Anthropic, Gemini). */
  embed?(target: ProviderTarget, request: EmbeddingRequest, signal: AbortSignal): Promise<EmbeddingResult>;
}
