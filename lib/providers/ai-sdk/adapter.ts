import { generateText } from "ai";
import {
  finishReasonOf,
  sdkFailure,
  usageOf,
  startSdkCall,
  type AiSdkProviderOptions,
  type SdkCallInput,
} from "@/lib/providers/ai-sdk/call";
import { fanOut, sumUsage } from "@/lib/providers/ai-sdk/choices";
import { choicesOf } from "@/lib/providers/ai-sdk/fields";
import { streamWithSdk } from "@/lib/providers/ai-sdk/stream";
import { localRequestError } from "@/lib/providers/errors";
import { completionBody, newIdentity, type OpenAIToolCall } from "@/lib/providers/openai-shape";
import type { CompletionResult, ProviderAdapter } from "@/lib/providers/types";

export type { AiSdkProviderOptions };

/**
 * Providers with their own protocol (Anthropic, Gemini) go through the AI SDK's provider
 * packages: they own the wire format; this maps OpenAI-shaped requests in and results out.
 * The SDK never retries (the gateway does, with its own backoff and fallbacks). `n` > 1 is n
 * calls in parallel merged into one answer (choices.ts); streams with n > 1 are refused before
 * the call (fields.ts).
 */

async function completeOne(input: SdkCallInput): Promise<CompletionResult & { responseId: string | undefined; toolCalls: OpenAIToolCall[] }> {
  const { options, target, signal } = input;
  const { settings, deadline } = startSdkCall(input);
  try {
    const result = await generateText({ ...settings, abortSignal: deadline.signal });
    const usage = usageOf(options, result.usage, result.providerMetadata);
    const finishReason = finishReasonOf(options, result.finishReason, result.rawFinishReason);
    const toolCalls: OpenAIToolCall[] = result.toolCalls.map((c) => ({
      id: c.toolCallId,
      type: "function",
      function: { name: c.toolName, arguments: JSON.stringify(c.input ?? {}) },
    }));
    const modelVersion = options.modelVersion?.(result.response.body) ?? (result.response.modelId || null);
    const who = newIdentity(modelVersion ?? target.modelCode, result.response.id);
    return {
      text: result.text,
      finishReason,
      usage,
      modelVersion,
      responseId: result.response.id,
      toolCalls,
      body: completionBody(who, { text: result.text, finishReason, usage, toolCalls }),
    };
  } catch (err) {
    throw sdkFailure(err, deadline, signal, target);
  } finally {
    deadline.dispose();
  }
}

async function complete(input: SdkCallInput): Promise<CompletionResult> {
  const n = choicesOf(input.request);
  if (n === 1) {
    const { responseId: _id, toolCalls: _calls, ...one } = await completeOne(input);
    return one;
  }
  const answers = await fanOut(n, () => completeOne(input));
  const first = answers[0]!;
  const usage = sumUsage(answers.map((a) => a.usage));
  const who = newIdentity(first.modelVersion ?? input.target.modelCode, first.responseId);
  const body = completionBody(who, { text: first.text, finishReason: first.finishReason, usage, toolCalls: first.toolCalls });
  body.choices = answers.map((a, index) => {
    const [choice] = completionBody(who, { text: a.text, finishReason: a.finishReason, usage: null, toolCalls: a.toolCalls }).choices as Record<string, unknown>[];
    return { ...choice, index };
  });
  return { text: first.text, finishReason: first.finishReason, usage, modelVersion: first.modelVersion, body };
}

export function createAiSdkAdapter(options: AiSdkProviderOptions): ProviderAdapter {
  return {
    complete: (target, request, signal) => complete({ options, target, request, signal }),
    stream: (target, request, signal) => {
      // Refused before routing reaches here (fields.ts fanOutRefusal); never cut down to one choice.
      if (choicesOf(request) > 1) throw localRequestError("n > 1 cannot be streamed from this provider");
      return streamWithSdk({ options, target, request, signal });
    },
  };
}
