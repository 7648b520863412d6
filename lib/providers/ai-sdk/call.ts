import type { LanguageModel, LanguageModelUsage } from "ai";
import type { Usage } from "@/lib/engine/types";
import { fromAiSdkError } from "@/lib/providers/ai-sdk/errors";
import { toCallSettings, toModelMessages, toTools, type PartOptions, type PartOptionsOf } from "@/lib/providers/ai-sdk/messages";
import { toOutput } from "@/lib/providers/ai-sdk/output";
import { callerAbortError, missingKeyError, timeoutError } from "@/lib/providers/errors";
import { Deadline } from "@/lib/providers/http/deadline";
import type { ChatRequest, ProviderError, ProviderTarget } from "@/lib/providers/types";

/** What the AI SDK adapters share: call preparation, usage and finish mapping, failures. */

// The SDK logs a console warning per call for settings a provider ignores (e.g. `seed` on
// Anthropic); in a gateway that is log spam on the hot path. An app-level logger wins.
const sdkGlobals = globalThis as { AI_SDK_LOG_WARNINGS?: unknown };
sdkGlobals.AI_SDK_LOG_WARNINGS ??= false;

export interface AiSdkProviderOptions {
  label: string;
  /** The SDK model for a target, with base_url and key applied (and, where it matters, a fetch guarding this request). */
  model: (target: ProviderTarget, request: ChatRequest) => LanguageModel;
  /**
   * The exact model version from a raw response body or stream chunk, for providers whose
   * package reports only the requested model id (Gemini's `modelVersion`).
   */
  modelVersion?: (raw: unknown) => string | null;
  /**
   * The usage known so far from a raw stream event (Anthropic's message_start/message_delta),
   * reported as the stream goes so a stream cut short is recorded with it; null = no news.
   */
  partialUsage?: (raw: unknown, known: Usage | null) => Usage | null;
  /** Error events the provider package passes through mid-stream as plain objects. */
  streamErrorEvent?: (error: unknown, apiKey: string | null) => ProviderError | null;
  /** Call-level provider options translated from the request (Anthropic: metadata.userId, disableParallelToolUse). */
  providerOptions?: (request: ChatRequest) => PartOptions | undefined;
  /** Provider options of a message or content part (Anthropic: its cache_control). */
  partOptions?: PartOptionsOf;
  /**
   * The OpenAI finish reason for a provider's raw stop reason where the SDK's unified one would
   * bend it (Anthropic's pause_turn, which the SDK reports as "stop"); undefined = the SDK's.
   */
  finishReason?: (raw: string | undefined) => string | undefined;
  /**
   * Usage details the SDK's unified usage leaves out, from the step's provider metadata
   * (Anthropic: the 1-hour part of its cache writes).
   */
  usageDetails?: (usage: Usage, providerMetadata: unknown) => Usage;
}

/** The step's usage in our terms, completed by the provider's own details. */
export function usageOf(options: AiSdkProviderOptions, u: LanguageModelUsage | undefined, providerMetadata: unknown): Usage | null {
  const usage = mapSdkUsage(u);
  return usage && options.usageDetails ? options.usageDetails(usage, providerMetadata) : usage;
}

/** The OpenAI finish reason of a step: the provider's own mapping of its raw reason first. */
export function finishReasonOf(options: AiSdkProviderOptions, unified: string | undefined, raw: string | undefined): string | null {
  return options.finishReason?.(raw) ?? openAIFinishReason(unified);
}

export function mapSdkUsage(u: LanguageModelUsage | undefined): Usage | null {
  if (!u || (u.inputTokens === undefined && u.outputTokens === undefined)) return null;
  const promptTokens = u.inputTokens ?? null;
  const completionTokens = u.outputTokens ?? null;
  return {
    promptTokens,
    completionTokens,
    cachedTokens: u.inputTokenDetails?.cacheReadTokens ?? u.cachedInputTokens ?? null,
    // Like cache reads, already counted in inputTokens (the SDK's total), so a subset of the prompt.
    cacheWriteTokens: u.inputTokenDetails?.cacheWriteTokens ?? null,
    reasoningTokens: u.outputTokenDetails?.reasoningTokens ?? u.reasoningTokens ?? null,
    totalTokens: u.totalTokens ?? (promptTokens !== null && completionTokens !== null ? promptTokens + completionTokens : null),
  };
}

/** The SDK's unified finish reasons, back in OpenAI's vocabulary. */
export function openAIFinishReason(reason: string | undefined): string | null {
  switch (reason) {
    case "stop":
      return "stop";
    case "length":
      return "length";
    case "content-filter":
      return "content_filter";
    case "tool-calls":
      return "tool_calls";
    case undefined:
      return null;
    default:
      return "stop";
  }
}

/** One adapter call as the provider interface hands it over, with the adapter's options. */
export interface SdkCallInput {
  options: AiSdkProviderOptions;
  target: ProviderTarget;
  request: ChatRequest;
  /** The caller's signal (ProviderAdapter). */
  signal: AbortSignal;
}

/** The SDK call's settings, and the deadline that bounds it by target.timeoutMs and the caller's signal. */
export function startSdkCall({ options, target, request, signal }: SdkCallInput) {
  const settings = prepareSdkCall(options, target, request);
  return { settings, deadline: new Deadline(signal, target.timeoutMs) };
}

function prepareSdkCall(options: AiSdkProviderOptions, target: ProviderTarget, request: ChatRequest) {
  if (!target.apiKey) throw missingKeyError(options.label);
  const providerOptions = options.providerOptions?.(request);
  const output = toOutput(request);
  return {
    model: options.model(target, request),
    messages: toModelMessages(request.messages, options.partOptions),
    ...toCallSettings(request),
    ...toTools(request, options.partOptions),
    ...(providerOptions ? { providerOptions } : {}),
    ...(output ? { output } : {}),
    maxRetries: 0,
    // The caller's system messages are its app's own prompt, as OpenAI's API allows; the SDK
    // would otherwise warn on every call.
    allowSystemInMessages: true,
  };
}

export function sdkFailure(err: unknown, deadline: Deadline, signal: AbortSignal, target: ProviderTarget) {
  if (deadline.timedOut) return timeoutError(target.timeoutMs, err);
  if (signal.aborted) return callerAbortError(signal, target.timeoutMs);
  return fromAiSdkError(err, target.apiKey);
}
