import { sseFrame, startFakeUpstream, type FakeUpstream, type RecordedRequest, type Wire } from "@/tests/helpers/fake-upstreams/harness";

/**
 * OpenAI chat completions (POST …/chat/completions), as OpenAI, OpenRouter, vLLM and friends
 * send it: JSON with usage details, or SSE chunks, a finish chunk, a `choices: []` usage chunk
 * when `stream_options.include_usage` is set, and `data: [DONE]`.
 * `mistralStyle` sends usage on the finish chunk instead (Mistral ignores stream_options);
 * `keepAlives` adds SSE comments, as OpenRouter does while a model warms up. A JSON answer has
 * `n` choices when asked (usage: the prompt once, the output n times, as OpenAI bills it).
 */
export const OPENAI_TEXT = "Hello from the fake upstream.";
export const OPENAI_PIECES = ["Hello", " from the", " fake upstream."];
export const OPENAI_USAGE = {
  prompt_tokens: 12,
  completion_tokens: 7,
  total_tokens: 19,
  prompt_tokens_details: { cached_tokens: 4, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 2, audio_tokens: 0 },
};

export interface OpenAIFakeOptions {
  mistralStyle?: boolean;
  keepAlives?: boolean;
  /** The finish reason of every answer (default "stop"), e.g. Mistral's "model_length". */
  finishReason?: string;
  /**
   * Answer 400 "Unrecognized request argument supplied: <field>" for fields OpenAI does not know,
   * and "Additional properties are not allowed" for unknown keys on messages and content parts
   * (e.g. Anthropic's cache_control), as the real API does.
   */
  refuseUnknownFields?: boolean;
}

/** The fields of OpenAI's chat completions request (openai-node 6.x ChatCompletionCreateParams). */
export const OPENAI_REQUEST_FIELDS: ReadonlySet<string> = new Set([
  "messages", "model", "audio", "frequency_penalty", "function_call", "functions", "logit_bias", "logprobs",
  "max_completion_tokens", "max_tokens", "metadata", "modalities", "n", "parallel_tool_calls", "prediction",
  "presence_penalty", "prompt_cache_key", "prompt_cache_retention", "reasoning_effort", "response_format",
  "safety_identifier", "seed", "service_tier", "stop", "store", "stream", "stream_options", "temperature", "tool_choice",
  "tools", "top_logprobs", "top_p", "user", "verbosity", "web_search_options",
]);

const versionOf = (req: RecordedRequest) => `${String(req.body.model)}-2024-08-06`;

/** The keys OpenAI takes on a message and on each content part type; others are refused. */
const MESSAGE_KEYS: ReadonlySet<string> = new Set(["role", "content", "name", "tool_calls", "tool_call_id", "refusal", "audio", "function_call"]);
const PART_KEYS: Record<string, ReadonlySet<string>> = {
  text: new Set(["type", "text"]),
  image_url: new Set(["type", "image_url"]),
  input_audio: new Set(["type", "input_audio"]),
  file: new Set(["type", "file"]),
  refusal: new Set(["type", "refusal"]),
};

/** OpenAI's schema validation of messages: "Additional properties are not allowed (…) - 'messages.0.content.1'". */
function messageRefusal(messages: unknown): string | null {
  if (!Array.isArray(messages)) return null;
  for (const [i, m] of messages.entries()) {
    if (typeof m !== "object" || m === null) continue;
    const extra = Object.keys(m).find((k) => !MESSAGE_KEYS.has(k));
    if (extra) return `Additional properties are not allowed ('${extra}' was unexpected) - 'messages.${i}'`;
    const content = (m as { content?: unknown }).content;
    if (!Array.isArray(content)) continue;
    for (const [j, part] of content.entries()) {
      const keys = PART_KEYS[String((part as { type?: unknown } | null)?.type)];
      const bad = keys ? Object.keys(part as object).find((k) => !keys.has(k)) : undefined;
      if (bad) return `Additional properties are not allowed ('${bad}' was unexpected) - 'messages.${i}.content.${j}'`;
    }
  }
  return null;
}

/** `n` choices (default 1): OpenAI bills the prompt once and every choice's output. */
function choicesOf(req: RecordedRequest): number {
  const n = req.body.n;
  return typeof n === "number" && Number.isInteger(n) && n > 1 ? n : 1;
}

function usageFor(n: number) {
  if (n === 1) return OPENAI_USAGE;
  const completion = OPENAI_USAGE.completion_tokens * n;
  return {
    ...OPENAI_USAGE,
    completion_tokens: completion,
    total_tokens: OPENAI_USAGE.prompt_tokens + completion,
    completion_tokens_details: { ...OPENAI_USAGE.completion_tokens_details, reasoning_tokens: OPENAI_USAGE.completion_tokens_details.reasoning_tokens * n },
  };
}

export function openaiWire(options: OpenAIFakeOptions = {}): Wire {
  return {
    isStream: (req) => req.body.stream === true,
    json: (req) => ({
      id: "chatcmpl-fake1",
      object: "chat.completion",
      created: 1_700_000_000,
      model: versionOf(req),
      system_fingerprint: "fp_fake",
      choices: Array.from({ length: choicesOf(req) }, (_, index) => ({
        index, message: { role: "assistant", content: OPENAI_TEXT, refusal: null }, logprobs: null, finish_reason: options.finishReason ?? "stop",
      })),
      usage: usageFor(choicesOf(req)),
      service_tier: "default",
    }),
    frames: (req) => {
      const base = { id: "chatcmpl-fake1", object: "chat.completion.chunk", created: 1_700_000_000, model: versionOf(req), system_fingerprint: "fp_fake" };
      const choice = (delta: Record<string, unknown>, finish: string | null = null) => ({
        ...base,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      });
      const frames = [sseFrame(choice({ role: "assistant", content: "", refusal: null }))];
      if (options.keepAlives) frames.unshift(": OPENROUTER PROCESSING\n\n");
      for (const piece of OPENAI_PIECES) frames.push(sseFrame(choice({ content: piece })));
      if (options.keepAlives) frames.push(": keep-alive\n\n");
      const wantsUsage = (req.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
      if (options.mistralStyle) {
        frames.push(sseFrame({ ...choice({}, options.finishReason ?? "stop"), usage: OPENAI_USAGE }));
        frames.push(sseFrame("[DONE]"));
        return { frames, terminal: 2 };
      }
      frames.push(sseFrame(choice({}, options.finishReason ?? "stop")));
      if (wantsUsage) frames.push(sseFrame({ ...base, choices: [], usage: OPENAI_USAGE }));
      frames.push(sseFrame("[DONE]"));
      return { frames, terminal: wantsUsage ? 3 : 2 };
    },
    errorBody: (status, message, errorType) => ({
      error: { message, type: errorType ?? (status === 429 ? "rate_limit_exceeded" : "server_error"), param: null, code: null },
    }),
    errorFrame: (status, message) => sseFrame({ error: { message, code: status } }),
    refuse: (req) => {
      if (!options.refuseUnknownFields) return null;
      const unknown = Object.keys(req.body).find((k) => !OPENAI_REQUEST_FIELDS.has(k));
      if (unknown) return { status: 400, message: `Unrecognized request argument supplied: ${unknown}`, errorType: "invalid_request_error" };
      const n = req.body.n;
      if (n !== undefined && n !== null && !(Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 128)) {
        return { status: 400, message: `Invalid 'n': integer ${String(n)} out of range [1, 128]`, errorType: "invalid_request_error" };
      }
      const message = messageRefusal(req.body.messages);
      return message ? { status: 400, message, errorType: "invalid_request_error" } : null;
    },
  };
}

export function startOpenAIFake(options: OpenAIFakeOptions = {}): Promise<FakeUpstream> {
  return startFakeUpstream(openaiWire(options));
}
