import { isSet, responseFormatRefusal, type ValueRefusal } from "@/lib/providers/ai-sdk/fields";
import { isRecord } from "@/lib/providers/json";

/**
 * OpenAI chat fields whose *values* Anthropic cannot honour. The field itself is on the
 * anthropic allow-list (lib/providers/request-fields.ts) because some values translate; these
 * are the values that would otherwise be clamped, ignored or dropped on the way (by
 * @ai-sdk/anthropic, which clamps temperature to 1, ignores response formats it cannot map and
 * drops top_p beside temperature, each with only a console warning). Each is refused with a 400
 * naming the field, before anything is sent:
 *
 * - temperature above 1: OpenAI's scale is 0–2, Anthropic's 0–1; rescaling would change what the
 *   caller asked for, clamping would hide it.
 * - temperature and top_p together: Anthropic's current models take one or the other.
 * - logprobs: true / top_logprobs: Anthropic returns no log probabilities.
 * - response_format other than text, json_object or json_schema with a schema.
 * - parallel_tool_calls: false without tools (nothing to translate it onto; OpenAI refuses it too).
 * - cache_control other than `{type: "ephemeral", ttl?: "5m" | "1h"}`, or on more than 4 blocks
 *   (Anthropic's limit; the SDK would drop the extra breakpoints).
 * `n` > 1 is fanned out by the adapter (lib/providers/ai-sdk/choices.ts); with stream: true it is
 * refused (ai-sdk/fields.ts fanOutRefusal).
 */
export type { ValueRefusal };

/** Anthropic's limit on cache_control breakpoints in one request. */
export const MAX_CACHE_BREAKPOINTS = 4;

/** A caller's cache_control is valid when it is exactly what Anthropic takes. */
export function validCacheControl(value: unknown): value is { type: "ephemeral"; ttl?: "5m" | "1h" } {
  if (!isRecord(value) || value.type !== "ephemeral") return false;
  if (Object.keys(value).some((k) => k !== "type" && k !== "ttl")) return false;
  return value.ttl === undefined || value.ttl === "5m" || value.ttl === "1h";
}

/** Where cache_control sits in the messages: on a message, or on one of its content parts. */
export function cacheControlSites(messages: unknown): { at: string; value: unknown }[] {
  if (!Array.isArray(messages)) return [];
  const sites: { at: string; value: unknown }[] = [];
  messages.forEach((m, i) => {
    if (!isRecord(m)) return;
    if (isSet(m.cache_control)) sites.push({ at: `messages[${i}].cache_control`, value: m.cache_control });
    if (Array.isArray(m.content)) {
      m.content.forEach((part, j) => {
        if (isRecord(part) && isSet(part.cache_control)) sites.push({ at: `messages[${i}].content[${j}].cache_control`, value: part.cache_control });
      });
    }
  });
  return sites;
}

function cacheControlRefusal(messages: unknown): ValueRefusal | null {
  const sites = cacheControlSites(messages);
  const wrong = sites.find((s) => !validCacheControl(s.value));
  if (wrong) return { field: "messages", why: `${wrong.at} must be {"type": "ephemeral"} with an optional "ttl" of "5m" or "1h"` };
  if (sites.length > MAX_CACHE_BREAKPOINTS) {
    return { field: "messages", why: `Anthropic takes at most ${MAX_CACHE_BREAKPOINTS} cache_control breakpoints; the messages have ${sites.length}` };
  }
  return null;
}

/** The first field value Anthropic cannot honour, or null. */
export function anthropicValueRefusal(request: Record<string, unknown>): ValueRefusal | null {
  const { temperature, top_p: topP } = request;
  if (typeof temperature === "number" && temperature > 1) {
    return { field: "temperature", why: `Anthropic accepts 0 to 1 (OpenAI's scale is 0 to 2); ${temperature} is neither rescaled nor clamped` };
  }
  if (isSet(temperature) && isSet(topP)) return { field: "top_p", why: "Anthropic's current models take temperature or top_p, not both" };
  if (request.logprobs === true) return { field: "logprobs", why: "Anthropic returns no log probabilities" };
  if (isSet(request.top_logprobs)) return { field: "top_logprobs", why: "Anthropic returns no log probabilities" };
  const noTools = !Array.isArray(request.tools) || request.tools.length === 0;
  if (request.parallel_tool_calls === false && noTools) return { field: "parallel_tool_calls", why: "it applies only with tools" };
  return responseFormatRefusal(request.response_format, "Anthropic") ?? cacheControlRefusal(request.messages);
}
