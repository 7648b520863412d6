import { generateText } from "ai";
import {
  finishReasonOf,
  sdkFailure,
  usageOf,
  startSdkCall,
  type AiSdkProviderOptions,
  type SdkCallInput,
} from "@/lib/providers/ai-sdk/call";
import { streamWithSdk } from "@/lib/providers/ai-sdk/stream";
import { completionBody, newIdentity, type OpenAIToolCall } from "@/lib/providers/openai-shape";
import type { CompletionResult, ProviderAdapter } from "@/lib/providers/types";

export type { AiSdkProviderOptions };

/**
 * Providers with their own protocol (Anthropic, Gemini) go through the AI SDK's provider
 * packages: they own the wire format; this maps OpenAI-shaped requests in and results out.
 * The SDK never retries (the gateway does, with its own backoff and fallbacks).
 */

async function complete(input: SdkCallInput): Promise<CompletionResult> {
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
      body: completionBody(who, { text: result.text, finishReason, usage, toolCalls }),
    };
  } catch (err) {
    throw sdkFailure(err, deadline, signal, target);
  } finally {
    deadline.dispose();
  }
}

export function createAiSdkAdapter(options: AiSdkProviderOptions): ProviderAdapter {
  return {
    complete: (target, request, signal) => complete({ options, target, request, signal }),
    stream: (target, request, signal) => streamWithSdk({ options, target, request, signal }),
  };
}
