import type { Usage } from "@/lib/engine/types";

/**
 * Usage from an OpenAI-shaped `usage` object. OpenAI, Mistral, OpenRouter, vLLM and xAI put
 * cached prompt tokens in `prompt_tokens_details.cached_tokens` and reasoning tokens in
 * `completion_tokens_details.reasoning_tokens`; DeepSeek-style servers report
 * `prompt_cache_hit_tokens`; Ollama reports only the two counts. Missing stays null, never 0,
 * so the cost engine can tell "not reported" from "none".
 */
function count(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : null;
}

function field(obj: unknown, key: string): unknown {
  return typeof obj === "object" && obj !== null ? (obj as Record<string, unknown>)[key] : undefined;
}

export function mapOpenAIUsage(raw: unknown): Usage | null {
  if (typeof raw !== "object" || raw === null) return null;
  const promptTokens = count(field(raw, "prompt_tokens"));
  const completionTokens = count(field(raw, "completion_tokens"));
  if (promptTokens === null && completionTokens === null) return null;
  const cachedTokens =
    count(field(field(raw, "prompt_tokens_details"), "cached_tokens")) ?? count(field(raw, "prompt_cache_hit_tokens"));
  const reasoningTokens =
    count(field(field(raw, "completion_tokens_details"), "reasoning_tokens")) ?? count(field(raw, "reasoning_tokens"));
  const totalTokens =
    count(field(raw, "total_tokens")) ??
    (promptTokens !== null && completionTokens !== null ? promptTokens + completionTokens : null);
  return { promptTokens, completionTokens, cachedTokens, reasoningTokens, totalTokens };
}
