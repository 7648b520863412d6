import type { ProviderKind } from "@/lib/engine/types";
import { choicesOf, fanOutRefusal, toolChoiceRefusal, type FieldContext, type ValueRefusal } from "@/lib/providers/ai-sdk/fields";
import { anthropicValueRefusal } from "@/lib/providers/anthropic/fields";
import { googleValueRefusal } from "@/lib/providers/google/fields";

/**
 * Which request fields reach a provider. Every field is either on the target kind's allow-list
 * (it is forwarded or translated) or refused with a 400 naming it: never silently dropped, never
 * silently forwarded. Fields that make the provider bill or retain something the price table
 * does not see (a priority tier, stored completions, audio, web search, OpenRouter's model and
 * provider routing) are refused as well unless the app's or organization's typed setting
 * `gateway.allowed_billing_fields` lists them.
 */

/** Read by the gateway itself (routing, attribution, streaming); accepted for every kind. */
const GATEWAY_FIELDS = ["model", "messages", "stream", "stream_options", "metadata", "user"] as const;

/**
 * OpenAI's chat completions request (API reference and openai-node 6.x
 * ChatCompletionCreateParams), without the gateway's own fields.
 */
const OPENAI_CHAT = [
  "audio", "frequency_penalty", "function_call", "functions", "logit_bias", "logprobs", "max_completion_tokens",
  "max_tokens", "modalities", "n", "parallel_tool_calls", "prediction", "presence_penalty", "prompt_cache_key",
  "prompt_cache_retention", "reasoning_effort", "response_format", "safety_identifier", "seed", "service_tier", "stop",
  "store", "temperature", "tool_choice", "tools", "top_logprobs", "top_p", "verbosity", "web_search_options",
] as const;

/** Sampling extras that self-hosted OpenAI-compatible servers (vLLM, Ollama, llama.cpp) accept. */
const SAMPLING_EXTRAS = ["top_k", "min_p", "repetition_penalty"] as const;

/** OpenRouter's additions to the OpenAI request (its API reference, "Request"). */
const OPENROUTER_EXTRAS = [...SAMPLING_EXTRAS, "top_a", "reasoning", "usage", "models", "route", "provider", "transforms", "plugins"] as const;

/**
 * Mistral validates strictly (extra fields are a 422); lib/providers/mistral maps
 * max_completion_tokens → max_tokens and seed → random_seed, so both spellings are fine.
 */
const MISTRAL = [
  "temperature", "top_p", "max_tokens", "max_completion_tokens", "stop", "seed", "random_seed", "response_format", "tools",
  "tool_choice", "presence_penalty", "frequency_penalty", "n", "prediction", "parallel_tool_calls", "safe_prompt", "prompt_mode",
] as const;

/**
 * Anthropic and Gemini go through the AI SDK: only what lib/providers/ai-sdk/messages.ts
 * translates (toCallSettings, toTools). `n` > 1 is fanned out by the adapter (non-streamed).
 * Anthropic has no seed (the SDK would drop it with a warning), Gemini has one.
 */
const AI_SDK_COMMON = ["temperature", "top_p", "max_tokens", "max_completion_tokens", "stop", "tools", "tool_choice", "n"] as const;

/**
 * What lib/providers/anthropic translates on top (structured output, parallel_tool_calls →
 * disable_parallel_tool_use, `user` → metadata.user_id, `top_k` as Anthropic's top_k); logprobs and top_logprobs are taken so
 * that `false`/null pass and a real request for them is refused by value (VALUE_RULES).
 */
const ANTHROPIC_EXTRAS = ["response_format", "parallel_tool_calls", "logprobs", "top_logprobs", "top_k"] as const;

/**
 * What lib/providers/google translates on top: structured output (responseMimeType +
 * responseSchema), seed, presence/frequency penalties (generationConfig); parallel_tool_calls and
 * logprobs are taken so that their default values pass (google/fields.ts refuses the others).
 */
const GOOGLE_EXTRAS = ["seed", "response_format", "parallel_tool_calls", "logprobs", "top_logprobs", "presence_penalty", "frequency_penalty"] as const;

/** `n` > 1 where the upstream answers one choice whatever `n` says: refused, not cut to 1. */
const oneChoice = (why: string) => (request: Record<string, unknown>): ValueRefusal | null =>
  choicesOf(request) > 1 ? { field: "n", why } : null;

/** Per kind: field values the provider cannot honour although it takes the field (see anthropic/fields.ts, google/fields.ts). */
const VALUE_RULES: Partial<Record<ProviderKind, (request: Record<string, unknown>, ctx: FieldContext) => ValueRefusal | null>> = {
  anthropic: (request, ctx) => anthropicValueRefusal(request) ?? toolChoiceRefusal(request) ?? fanOutRefusal(request, ctx),
  google: googleValueRefusal,
  openrouter: oneChoice("OpenRouter's API takes no n and answers one choice"),
  mock: oneChoice("the mock provider answers one choice"),
};

const ALLOWED: Record<ProviderKind, ReadonlySet<string>> = {
  openai: new Set([...GATEWAY_FIELDS, ...OPENAI_CHAT]),
  openai_compatible: new Set([...GATEWAY_FIELDS, ...OPENAI_CHAT, ...SAMPLING_EXTRAS]),
  openrouter: new Set([...GATEWAY_FIELDS, ...OPENAI_CHAT, ...OPENROUTER_EXTRAS]),
  mistral: new Set([...GATEWAY_FIELDS, ...MISTRAL]),
  anthropic: new Set([...GATEWAY_FIELDS, ...AI_SDK_COMMON, ...ANTHROPIC_EXTRAS]),
  google: new Set([...GATEWAY_FIELDS, ...AI_SDK_COMMON, ...GOOGLE_EXTRAS]),
  // The in-process mock ignores fields; with a base_url it is an OpenAI-compatible upstream.
  mock: new Set([...GATEWAY_FIELDS, ...OPENAI_CHAT]),
};

/**
 * A field that changes billing or retention when it has a value other than the default.
 * `setting` is the name to list in gateway.allowed_billing_fields. Not here, on purpose:
 * `prediction` (rejected prediction tokens are billed as completion tokens, which usage reports
 * and the price table prices), `reasoning_effort`/`reasoning` (reasoning tokens are completion
 * tokens, likewise), `prompt_cache_key` (steers cache hits, priced from cached_tokens), `n`
 * (at most 8 by the request schema; the tokens of every choice are reported and priced).
 */
interface BillingRule {
  field: string;
  setting: string;
  why: string;
  billable(value: unknown): boolean;
}

const set = (v: unknown) => v !== undefined && v !== null;
const nonEmpty = (v: unknown) => set(v) && !(Array.isArray(v) && v.length === 0);

const BILLING_RULES: readonly BillingRule[] = [
  { field: "service_tier", setting: "service_tier", why: "a processing tier priced apart from the price table", billable: (v) => set(v) && v !== "default" },
  { field: "store", setting: "store", why: "the provider stores the completion", billable: (v) => set(v) && v !== false },
  { field: "prompt_cache_retention", setting: "prompt_cache_retention", why: "the provider retains the prompt cache longer", billable: (v) => set(v) && v !== "in-memory" },
  { field: "modalities", setting: "audio", why: "audio output is billed at audio token prices", billable: (v) => Array.isArray(v) && v.includes("audio") },
  { field: "audio", setting: "audio", why: "audio output is billed at audio token prices", billable: set },
  { field: "web_search_options", setting: "web_search_options", why: "web search is billed per call", billable: set },
  { field: "models", setting: "models", why: "OpenRouter may answer (and bill) with another model", billable: nonEmpty },
  { field: "route", setting: "route", why: "OpenRouter may answer (and bill) with another model", billable: set },
  { field: "provider", setting: "provider", why: "OpenRouter provider routing changes the price and data retention", billable: set },
  { field: "transforms", setting: "transforms", why: "OpenRouter rewrites the prompt outside the recorded request", billable: nonEmpty },
  { field: "plugins", setting: "plugins", why: "OpenRouter plugins (web search, file parsing) are billed apart", billable: nonEmpty },
];

const RULES_BY_FIELD = new Map(BILLING_RULES.map((r) => [r.field, r]));

/**
 * Audio input inside the messages (`{type: "input_audio"}` content parts) is billed at audio
 * token prices, and the price table (model_prices) has no audio prices at all: it is refused
 * unless gateway.allowed_billing_fields lists "input_audio". Only for kinds that forward content
 * parts as they are; the AI SDK kinds (Anthropic, Gemini) cannot map it and refuse it already.
 */
const INPUT_AUDIO = { setting: "input_audio", why: "billed at audio input token prices, which the price table does not have" } as const;
const FORWARDS_CONTENT_PARTS: ReadonlySet<ProviderKind> = new Set(["openai", "openai_compatible", "openrouter", "mistral", "mock"]);

/** Where the first input_audio content part is ("messages[0].content[1]"), or null. */
function inputAudioPart(messages: unknown): string | null {
  if (!Array.isArray(messages)) return null;
  for (const [i, m] of messages.entries()) {
    const content = (m as { content?: unknown } | null)?.content;
    if (!Array.isArray(content)) continue;
    for (const [j, part] of content.entries()) {
      if ((part as { type?: unknown } | null)?.type === "input_audio") return `messages[${i}].content[${j}]`;
    }
  }
  return null;
}

/**
 * A tool message marked `is_error` (Anthropic's tool_result is_error, from POST /v1/messages):
 * the AI SDK kinds translate it; OpenAI's chat API and its relatives have no such field, and
 * forwarding it would make them refuse the whole message list (or ignore it), so they refuse it
 * here. The in-process mock ignores it.
 */
const NO_TOOL_ERRORS: ReadonlySet<ProviderKind> = new Set(["openai", "openai_compatible", "openrouter", "mistral"]);

function toolErrorMessage(messages: unknown): string | null {
  if (!Array.isArray(messages)) return null;
  const i = messages.findIndex((m) => (m as { role?: unknown; is_error?: unknown } | null)?.role === "tool" && (m as { is_error?: unknown }).is_error === true);
  return i < 0 ? null : `messages[${i}]`;
}

export type FieldRefusal =
  | { field: string; reason: "unsupported"; kind: ProviderKind }
  | { field: string; reason: "billing"; setting: string; why: string }
  /** The kind takes the field but not this value (e.g. Anthropic's temperature above 1). */
  | { field: string; reason: "value"; kind: ProviderKind; why: string };

/** Whether a provider kind takes a field at all (forwarded or translated). */
export function kindAccepts(kind: ProviderKind, field: string): boolean {
  return ALLOWED[kind]?.has(field) ?? false;
}

/**
 * The first field of `request` the kind cannot take, or that changes billing and is not in
 * `allowedBilling`; null when every field may go. Fields set to undefined are ignored.
 */
export function refusedField(
  kind: ProviderKind,
  request: Record<string, unknown>,
  allowedBilling: ReadonlySet<string>,
  ctx: FieldContext = { stream: false, modelCode: null },
): FieldRefusal | null {
  for (const [field, value] of Object.entries(request)) {
    if (value === undefined) continue;
    if (!kindAccepts(kind, field)) return { field, reason: "unsupported", kind };
    const rule = RULES_BY_FIELD.get(field);
    if (rule && rule.billable(value) && !allowedBilling.has(rule.setting)) {
      return { field, reason: "billing", setting: rule.setting, why: rule.why };
    }
  }
  const byValue = VALUE_RULES[kind]?.(request, ctx);
  if (byValue) return { ...byValue, reason: "value", kind };
  const toolError = NO_TOOL_ERRORS.has(kind) ? toolErrorMessage(request.messages) : null;
  if (toolError) {
    return { field: "messages", reason: "value", kind, why: `${toolError} is a tool result marked is_error, which the ${kind} chat API has no field for; put the error in the result's text instead` };
  }
  if (FORWARDS_CONTENT_PARTS.has(kind) && !allowedBilling.has(INPUT_AUDIO.setting)) {
    const at = inputAudioPart(request.messages);
    if (at) return { field: "messages", reason: "billing", setting: INPUT_AUDIO.setting, why: `${at} is an input_audio part, ${INPUT_AUDIO.why}` };
  }
  return null;
}

/** The fields gateway.allowed_billing_fields can name. */
export const BILLING_SETTING_NAMES: readonly string[] = [...new Set([...BILLING_RULES.map((r) => r.setting), INPUT_AUDIO.setting])];
