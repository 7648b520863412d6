import { streamText, type TextStreamPart, type ToolSet } from "ai";
import type { Usage } from "@/lib/engine/types";
import { finishReasonOf, sdkFailure, startSdkCall, usageOf, type AiSdkProviderOptions, type SdkCallInput } from "@/lib/providers/ai-sdk/call";
import { errorCode, streamCutError } from "@/lib/providers/errors";
import { Deadline } from "@/lib/providers/http/deadline";
import { chunkObject, newIdentity, usageChunk, type StreamIdentity } from "@/lib/providers/openai-shape";
import { ProviderError, type StreamEvent } from "@/lib/providers/types";

interface SdkStreamState {
  started: boolean;
  toolIndexes: Map<string, number>;
  finishReason: string | null;
  /** The provider's own stop reason; undefined at the end means its terminal event never came. */
  rawFinishReason: string | undefined;
  usage: Usage | null;
  /** The usage known before the final step (options.partialUsage), for a stream cut short. */
  partialUsage: Usage | null;
  modelVersion: string | null;
}

/**
 * Streams through the SDK's `fullStream`, re-emitting OpenAI chunks. timeoutMs is the time to
 * the first part and then the longest silence between parts. The SDK reports a stream that
 * ended without the provider's terminal event (Anthropic message_stop, a Gemini finishReason)
 * as a step without a raw finish reason: that is a cut.
 */
export async function* streamWithSdk(input: SdkCallInput): AsyncGenerator<StreamEvent> {
  const { options, target, signal } = input;
  const { settings, deadline } = startSdkCall(input);
  const who = newIdentity(target.modelCode);
  const state: SdkStreamState = {
    started: false,
    toolIndexes: new Map(),
    finishReason: null,
    rawFinishReason: undefined,
    usage: null,
    partialUsage: null,
    modelVersion: null,
  };
  let finished = false;
  let rawModelVersion: string | null = null;
  try {
    // onError: the SDK would otherwise console.error every failure; the caller gets it thrown.
    const result = streamText({
      ...settings,
      abortSignal: deadline.signal,
      onError: () => undefined,
      includeRawChunks: options.modelVersion !== undefined || options.partialUsage !== undefined,
    });
    for await (const part of result.fullStream) {
      deadline.reset(target.timeoutMs);
      if (part.type === "raw") {
        rawModelVersion = options.modelVersion?.(part.rawValue) ?? rawModelVersion;
        const partial = options.partialUsage?.(part.rawValue, state.partialUsage) ?? null;
        if (partial) {
          // The gateway keeps the last usage it saw: the final one replaces this at the end.
          state.partialUsage = partial;
          yield { type: "partial_usage", usage: partial, modelVersion: rawModelVersion ?? state.modelVersion };
        }
        continue;
      }
      for (const event of toEvents(part, state, who, options)) yield event;
    }
    if (rawModelVersion) state.modelVersion = rawModelVersion;
    if (deadline.timedOut || signal.aborted) throw new DOMException("aborted", "AbortError");
    if (state.rawFinishReason === undefined) throw streamCutError("the provider's stream ended before its final event", target.apiKey);
    finished = true;
  } catch (err) {
    throw streamFailure(err, state, { ...input, deadline });
  } finally {
    if (!finished) deadline.cancel();
    deadline.dispose();
  }
  if (!state.started) yield { type: "chunk", chunk: chunkObject(who, { role: "assistant", content: "" }), text: "" };
  yield { type: "chunk", chunk: chunkObject(who, {}, state.finishReason), text: "" };
  if (state.usage) {
    yield { type: "usage", usage: state.usage, modelVersion: state.modelVersion, chunk: usageChunk(who, state.usage) };
  }
  yield { type: "end", finishReason: state.finishReason };
}

function* toEvents(part: TextStreamPart<ToolSet>, state: SdkStreamState, who: StreamIdentity, options: AiSdkProviderOptions): Generator<StreamEvent> {
  switch (part.type) {
    case "text-delta":
      if (part.text === "") return;
      yield* opening(state, who);
      yield { type: "chunk", chunk: chunkObject(who, { content: part.text }), text: part.text };
      return;
    case "tool-input-start": {
      yield* opening(state, who);
      const index = state.toolIndexes.size;
      state.toolIndexes.set(part.id, index);
      const call = { index, id: part.id, type: "function", function: { name: part.toolName, arguments: "" } };
      yield { type: "chunk", chunk: chunkObject(who, { tool_calls: [call] }), text: "" };
      return;
    }
    case "tool-input-delta": {
      const call = { index: state.toolIndexes.get(part.id) ?? 0, function: { arguments: part.delta } };
      yield { type: "chunk", chunk: chunkObject(who, { tool_calls: [call] }), text: "" };
      return;
    }
    case "finish-step":
      state.finishReason = finishReasonOf(options, part.finishReason, part.rawFinishReason);
      state.rawFinishReason = part.rawFinishReason;
      state.usage = usageOf(options, part.usage, part.providerMetadata);
      state.modelVersion = part.response.modelId || null;
      return;
    case "error":
      throw part.error;
    case "abort":
      throw new DOMException("aborted", "AbortError");
    default:
      // Reasoning text, sources and step markers have no OpenAI chunk equivalent; usage and
      // the finish come from finish-step.
      return;
  }
}

function* opening(state: SdkStreamState, who: StreamIdentity): Generator<StreamEvent> {
  if (state.started) return;
  state.started = true;
  yield { type: "chunk", chunk: chunkObject(who, { role: "assistant", content: "" }), text: "" };
}

function streamFailure(
  err: unknown,
  state: SdkStreamState,
  { deadline, signal, target, options }: SdkCallInput & { deadline: Deadline },
): unknown {
  if (err instanceof ProviderError) return err;
  const event = options.streamErrorEvent?.(err, target.apiKey);
  if (event) return event;
  if (state.started && deadline.timedOut) return streamCutError(`no data for ${target.timeoutMs} ms`, target.apiKey, err);
  const mapped = sdkFailure(err, deadline, signal, target);
  // A dropped connection after output began is a cut, whatever layer reported it.
  if (state.started && mapped instanceof ProviderError && (mapped.code === "network" || errorCode(err) === "UND_ERR_SOCKET")) {
    return streamCutError(mapped.message, target.apiKey, err);
  }
  return mapped;
}
