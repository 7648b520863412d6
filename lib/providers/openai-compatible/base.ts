import { invalidAnswerError } from "@/lib/providers/errors";
import { mappedChoices } from "@/lib/providers/openai-compatible/finish-reasons";
import { mapOpenAIUsage } from "@/lib/providers/openai-compatible/usage";
import {
  embeddedError,
  exchangeJson,
  prepareCall,
  type OpenAICompatibleOptions,
} from "@/lib/providers/openai-compatible/request";
import { embedCompatible } from "@/lib/providers/openai-compatible/embeddings";
import { streamCompletion } from "@/lib/providers/openai-compatible/stream";
import type { ChatRequest, CompletionResult, ProviderAdapter, ProviderTarget } from "@/lib/providers/types";

export type { OpenAICompatibleOptions };

/**
 * The fast path for every provider that speaks OpenAI chat completions: the caller's body is
 * forwarded with `model` set, over a keep-alive undici pool, and the answer is parsed once.
 * Provider folders spread this with their endpoint, auth needs and request quirks.
 */
export function createOpenAICompatibleAdapter(options: OpenAICompatibleOptions): ProviderAdapter {
  return {
    complete: (target, request, signal) => complete(options, target, request, signal),
    stream: (target, request, signal) => streamCompletion(options, target, request, signal),
    embed: (target, request, signal) => embedCompatible(options, target, request, signal),
  };
}

async function complete(
  options: OpenAICompatibleOptions,
  target: ProviderTarget,
  request: ChatRequest,
  signal: AbortSignal,
): Promise<CompletionResult> {
  const call = prepareCall(options, target, request, false);
  const { answer, text } = await exchangeJson(call, target.timeoutMs, signal);
  const mapped = mappedChoices(answer.choices, options.finishReasons);
  // A mapped finish reason: the body is re-serialised instead of forwarded as received.
  return mapped ? toResult({ ...answer, choices: mapped }, null, call.apiKey) : toResult(answer, text, call.apiKey);
}

function toResult(body: Record<string, unknown>, rawBody: string | null, apiKey: string | null): CompletionResult {
  const choices = body.choices;
  if (!Array.isArray(choices)) {
    if (body.error) throw embeddedError(body, apiKey);
    throw invalidAnswerError("the response has no choices");
  }
  const first = choices[0] as { message?: { content?: unknown }; finish_reason?: unknown } | undefined;
  const content = first?.message?.content;
  return {
    text: typeof content === "string" ? content : "",
    finishReason: typeof first?.finish_reason === "string" ? first.finish_reason : null,
    usage: mapOpenAIUsage(body.usage),
    modelVersion: typeof body.model === "string" ? body.model : null,
    body,
    ...(rawBody === null ? {} : { rawBody }),
  };
}
