import type { Usage } from "@/lib/engine/types";

/**
 * The usage an Anthropic stream has shown so far, from its raw events: `message_start` gives the
 * input tokens (input + cache reads + cache writes, as the SDK's final usage counts them) and
 * the output tokens so far; each `message_delta` gives the output tokens up to then (cumulative)
 * and, on newer API versions, the input figures again. A stream the client leaves early is
 * recorded with this (lib/gateway/stream.ts): the provider bills the prompt it already read.
 * The output count is a lower bound: Anthropic reports it only at message_start and message_delta.
 */
interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  /** The split of cache_creation_input_tokens by cache lifetime. */
  cache_creation?: { ephemeral_5m_input_tokens?: number | null; ephemeral_1h_input_tokens?: number | null } | null;
}

/** The 1-hour part of the cache writes, or null when the usage does not split them. */
function oneHourWrites(u: AnthropicUsage | null | undefined): number | null {
  return count(u?.cache_creation?.ephemeral_1h_input_tokens);
}

const count = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : null);

function fromAnthropic(u: AnthropicUsage, known: Usage | null): Usage {
  const input = count(u.input_tokens);
  const cacheRead = count(u.cache_read_input_tokens) ?? known?.cachedTokens ?? null;
  const cacheWrite = count(u.cache_creation_input_tokens) ?? known?.cacheWriteTokens ?? null;
  const cacheWrite1h = oneHourWrites(u) ?? known?.cacheWrite1hTokens ?? null;
  const promptTokens = input !== null ? input + (cacheRead ?? 0) + (cacheWrite ?? 0) : (known?.promptTokens ?? null);
  const completionTokens = count(u.output_tokens) ?? known?.completionTokens ?? null;
  return {
    promptTokens,
    completionTokens,
    cachedTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    ...(cacheWrite1h !== null ? { cacheWrite1hTokens: cacheWrite1h } : {}),
    reasoningTokens: null,
    totalTokens: promptTokens !== null && completionTokens !== null ? promptTokens + completionTokens : null,
  };
}

/** The usage known after this raw stream event, or null when the event says nothing about usage. */
export function anthropicPartialUsage(raw: unknown, known: Usage | null): Usage | null {
  if (typeof raw !== "object" || raw === null) return null;
  const event = raw as { type?: unknown; message?: { usage?: AnthropicUsage }; usage?: AnthropicUsage };
  if (event.type === "message_start" && event.message?.usage) return fromAnthropic(event.message.usage, null);
  if (event.type === "message_delta" && event.usage) return fromAnthropic(event.usage, known);
  return null;
}

/**
 * The SDK's final usage with the 1-hour part of the cache writes, which it leaves out: from the
 * raw usage it keeps in providerMetadata.anthropic.usage (message or message_start + _delta).
 */
export function anthropicUsageDetails(usage: Usage, providerMetadata: unknown): Usage {
  const raw = (providerMetadata as { anthropic?: { usage?: AnthropicUsage | null } } | null | undefined)?.anthropic?.usage;
  const oneHour = oneHourWrites(raw);
  return oneHour === null ? usage : { ...usage, cacheWrite1hTokens: oneHour };
}
