import type { PartOptions } from "@/lib/providers/ai-sdk/messages";
import { validCacheControl } from "@/lib/providers/anthropic/fields";
import type { ChatRequest } from "@/lib/providers/types";

/**
 * OpenAI chat fields → @ai-sdk/anthropic provider options (what the Messages API calls them):
 * `user` → metadata.user_id; `parallel_tool_calls: false` → tool_choice.disable_parallel_tool_use;
 * `cache_control` on a message or content part → that block's cache_control (the SDK's
 * providerOptions.anthropic.cacheControl). Values Anthropic cannot take were refused before the
 * call (fields.ts); `response_format` goes through the SDK's structured output (ai-sdk/output.ts).
 */
export function anthropicProviderOptions(request: ChatRequest): PartOptions | undefined {
  const options: Record<string, { userId: string } | boolean> = {};
  if (typeof request.user === "string" && request.user !== "") options.metadata = { userId: request.user };
  if (request.parallel_tool_calls === false) options.disableParallelToolUse = true;
  return Object.keys(options).length > 0 ? { anthropic: options } : undefined;
}

export function anthropicPartOptions(holder: Record<string, unknown>): PartOptions | undefined {
  const value = holder.cache_control;
  if (!validCacheControl(value)) return undefined;
  return { anthropic: { cacheControl: value.ttl ? { type: "ephemeral", ttl: value.ttl } : { type: "ephemeral" } } };
}

/**
 * pause_turn: Anthropic paused a long turn (server tools) and expects the caller to send the
 * answer back to continue it. The SDK reports it as "stop", which tells an OpenAI client the
 * answer is complete; "length" tells it the answer is unfinished and is continued the same way
 * (send the assistant message back), and structured-output clients refuse to parse it.
 * refusal → content_filter and max_tokens → length are the SDK's mapping already.
 */
export function anthropicFinishReason(raw: string | undefined): string | undefined {
  return raw === "pause_turn" ? "length" : undefined;
}
