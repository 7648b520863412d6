import { randomBytes } from "node:crypto";
import type { Usage } from "@/lib/engine/types";

/**
 * Builders for OpenAI chat.completion and chat.completion.chunk objects, for adapters whose
 * upstream speaks another protocol (Anthropic, Gemini) and for the local mock. The gateway's
 * OpenAI-compatible callers then see one shape whatever answered.
 */
export interface StreamIdentity {
  id: string;
  created: number;
  model: string;
}

export function newIdentity(model: string, id?: string | null): StreamIdentity {
  return {
    id: id ?? `chatcmpl-${randomBytes(12).toString("base64url")}`,
    created: Math.floor(Date.now() / 1000),
    model,
  };
}

export function toOpenAIUsage(usage: Usage): Record<string, unknown> {
  const out: Record<string, unknown> = {
    prompt_tokens: usage.promptTokens ?? 0,
    completion_tokens: usage.completionTokens ?? 0,
    total_tokens: usage.totalTokens ?? (usage.promptTokens ?? 0) + (usage.completionTokens ?? 0),
  };
  if (usage.cachedTokens !== null) out.prompt_tokens_details = { cached_tokens: usage.cachedTokens };
  if (usage.reasoningTokens !== null) out.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return out;
}

export interface OpenAIToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export function completionBody(
  who: StreamIdentity,
  {
    text,
    finishReason,
    usage,
    toolCalls = [],
  }: { text: string; finishReason: string | null; usage: Usage | null; toolCalls?: OpenAIToolCall[] },
): Record<string, unknown> {
  const message: Record<string, unknown> = {
    role: "assistant",
    content: text === "" && toolCalls.length > 0 ? null : text,
    refusal: null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const body: Record<string, unknown> = {
    id: who.id,
    object: "chat.completion",
    created: who.created,
    model: who.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
  };
  if (usage) body.usage = toOpenAIUsage(usage);
  return body;
}

export function chunkObject(who: StreamIdentity, delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> {
  return {
    id: who.id,
    object: "chat.completion.chunk",
    created: who.created,
    model: who.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
}

export function usageChunk(who: StreamIdentity, usage: Usage): Record<string, unknown> {
  return {
    id: who.id,
    object: "chat.completion.chunk",
    created: who.created,
    model: who.model,
    choices: [],
    usage: toOpenAIUsage(usage),
  };
}
