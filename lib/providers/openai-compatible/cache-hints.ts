import { isRecord } from "@/lib/providers/json";

/**
 * `cache_control` on a message or content part is Anthropic's prompt-caching breakpoint, which
 * clients put in OpenAI-shaped requests (OpenRouter documents it, LangChain and the AI SDK send
 * it). OpenAI and Mistral cache prompts on their own and know no such key: OpenAI answers
 * "Additional properties are not allowed" and Mistral 422 "extra_forbidden". For them it is a
 * caching hint with nothing to steer, so it is taken out; OpenRouter and OpenAI-compatible
 * servers get it as sent (OpenRouter passes it on to Anthropic and Gemini). Requests without it
 * go out untouched (no copy).
 */
function strip(value: Record<string, unknown>): Record<string, unknown> {
  const { cache_control: _hint, ...rest } = value;
  return rest;
}

function hasHint(message: unknown): boolean {
  if (!isRecord(message)) return false;
  if ("cache_control" in message) return true;
  return Array.isArray(message.content) && message.content.some((p) => isRecord(p) && "cache_control" in p);
}

export function withoutCacheHints(body: Record<string, unknown>): Record<string, unknown> {
  const messages = body.messages;
  if (!Array.isArray(messages) || !messages.some(hasHint)) return body;
  return {
    ...body,
    messages: messages.map((m) => {
      if (!hasHint(m)) return m;
      const out = strip(m as Record<string, unknown>);
      if (Array.isArray(out.content)) out.content = out.content.map((p) => (isRecord(p) && "cache_control" in p ? strip(p) : p));
      return out;
    }),
  };
}
