import { errorMessage } from "@/lib/errors";
import type { Usage } from "@/lib/engine/types";
import { callerAbortError, errorCode, errorFromStatus, invalidAnswerError, streamCutError } from "@/lib/providers/errors";
import { Deadline } from "@/lib/providers/http/deadline";
import { SseParser, type SseEvent } from "@/lib/providers/openai-compatible/sse";
import { mappedChoices, type FinishReasonMap } from "@/lib/providers/openai-compatible/finish-reasons";
import { mapOpenAIUsage } from "@/lib/providers/openai-compatible/usage";
import {
  callFailure,
  embeddedError,
  parseJsonObject,
  prepareCall,
  type CallScope,
  type OpenAICompatibleOptions,
  type PreparedCall,
} from "@/lib/providers/openai-compatible/request";
import { ProviderError, type ChatRequest, type ProviderTarget, type StreamEvent } from "@/lib/providers/types";

/** What the stream has shown so far; decides whether its end is complete or a cut. */
interface StreamState {
  started: boolean;
  done: boolean;
  finishReason: string | null;
  usage: Usage | null;
  usageChunk: Record<string, unknown> | null;
  modelVersion: string | null;
}

/**
 * Streams an OpenAI-compatible answer. timeoutMs bounds the wait for the response headers and
 * then every silence between body chunks, never the whole answer: a long answer that keeps
 * flowing is not cut. (Our own timer, because undici's timeouts tick coarsely, ~1 s.)
 */
export async function* streamCompletion(
  options: OpenAICompatibleOptions,
  target: ProviderTarget,
  request: ChatRequest,
  signal: AbortSignal,
): AsyncGenerator<StreamEvent> {
  const call = prepareCall(options, target, request, true);
  const deadline = new Deadline(signal, target.timeoutMs);
  let res;
  try {
    res = await call.pool.request({
      path: call.path,
      method: "POST",
      headers: call.headers,
      body: call.body,
      signal: deadline.signal,
    });
  } catch (err) {
    deadline.dispose();
    throw callFailure(err, { call, deadline, signal, timeoutMs: target.timeoutMs });
  }
  const body = res.body;
  const state: StreamState = { started: false, done: false, finishReason: null, usage: null, usageChunk: null, modelVersion: null };
  try {
    if (res.statusCode < 200 || res.statusCode >= 300) {
      throw errorFromStatus(res.statusCode, await body.text(), { headers: res.headers, apiKey: call.apiKey });
    }
    const type = res.headers["content-type"];
    if (typeof type === "string" && type.includes("application/json")) {
      // A server that ignores `stream` answers with one JSON object (or a 200 `{ error }`).
      const whole = parseJsonObject(await body.text(), "response", call.apiKey);
      const mapped = mappedChoices(whole.choices, options.finishReasons);
      const out = fromWholeAnswer(mapped ? { ...whole, choices: mapped } : whole, state, call);
      if (out) yield out;
      return yield* finish(state, call);
    }
    const parser = new SseParser();
    // The loop runs to the body's natural end, even after [DONE], so the socket goes back to the pool.
    for await (const bytes of body as AsyncIterable<Buffer>) {
      deadline.reset(target.timeoutMs);
      for (const event of parser.push(bytes)) {
        const out = handleEvent(event, state, call, options.finishReasons);
        if (out) yield out;
      }
      // Again after the consumer took our events: a slow client must not count as a silent upstream.
      deadline.reset(target.timeoutMs);
    }
    for (const event of parser.end()) {
      const out = handleEvent(event, state, call, options.finishReasons);
      if (out) yield out;
    }
  } catch (err) {
    throw streamFailure(err, state, { call, deadline, signal, timeoutMs: target.timeoutMs });
  } finally {
    deadline.dispose();
    // Reached early when the consumer stops iterating: drop the half-read answer.
    if (!body.destroyed && !body.readableEnded) body.destroy();
  }
  yield* finish(state, call);
}

function* finish(state: StreamState, call: PreparedCall): Generator<StreamEvent> {
  // Some servers omit [DONE] but do send a finish_reason; the answer is complete either way.
  if (!state.done && state.finishReason === null) {
    throw streamCutError(state.started ? "the stream ended before its last chunk" : "the stream ended before any chunk", call.apiKey);
  }
  if (state.usage) {
    yield { type: "usage", usage: state.usage, modelVersion: state.modelVersion, chunk: state.usageChunk ?? undefined };
  }
  yield { type: "end", finishReason: state.finishReason };
}

/** A whole chat.completion as the one chunk it would have streamed as. */
function fromWholeAnswer(answer: Record<string, unknown>, state: StreamState, call: PreparedCall): StreamEvent | null {
  if (answer.error !== undefined && answer.error !== null) throw embeddedError(answer, call.apiKey);
  const first = (Array.isArray(answer.choices) ? answer.choices[0] : undefined) as
    | { message?: { content?: unknown }; finish_reason?: unknown }
    | undefined;
  if (!first) throw invalidAnswerError("the response has no choices");
  const text = typeof first.message?.content === "string" ? first.message.content : "";
  const { choices: _choices, usage: rawUsage, ...meta } = answer;
  state.done = true;
  state.started = true;
  state.finishReason = typeof first.finish_reason === "string" ? first.finish_reason : "stop";
  state.modelVersion = typeof answer.model === "string" ? answer.model : null;
  state.usage = mapOpenAIUsage(rawUsage);
  state.usageChunk = state.usage ? { ...meta, object: "chat.completion.chunk", choices: [], usage: rawUsage } : null;
  const delta = { role: "assistant", content: text };
  const chunk = { ...meta, object: "chat.completion.chunk", choices: [{ index: 0, delta, logprobs: null, finish_reason: state.finishReason }] };
  return { type: "chunk", chunk, text };
}

function handleEvent(event: SseEvent, state: StreamState, call: PreparedCall, finishReasons: FinishReasonMap | undefined): StreamEvent | null {
  if (event.data === "[DONE]") {
    state.done = true;
    return null;
  }
  if (state.done) return null;
  const chunk = parseJsonObject(event.data, "stream", call.apiKey);
  if (chunk.error !== undefined && chunk.error !== null) throw embeddedError(chunk, call.apiKey);
  if (typeof chunk.model === "string") state.modelVersion = chunk.model;
  const choices = chunk.choices;
  const hasChoices = Array.isArray(choices) && choices.length > 0;
  if (chunk.usage) {
    const usage = mapOpenAIUsage(chunk.usage);
    if (usage) {
      state.usage = usage;
      // Mistral/Ollama-style servers put usage on the last content chunk; clients that asked for
      // include_usage expect OpenAI's separate `choices: []` chunk, so build one for them.
      state.usageChunk = hasChoices ? { ...chunk, choices: [] } : chunk;
    }
  }
  if (!hasChoices) return null;
  const mapped = mappedChoices(choices, finishReasons);
  let text = "";
  for (const choice of (mapped ?? choices) as { delta?: { content?: unknown }; finish_reason?: unknown }[]) {
    const content = choice.delta?.content;
    if (typeof content === "string") text += content;
    if (typeof choice.finish_reason === "string") state.finishReason = choice.finish_reason;
  }
  state.started = true;
  // A mapped finish reason: the chunk is re-serialised instead of forwarded as received.
  return mapped ? { type: "chunk", chunk: { ...chunk, choices: mapped }, text } : { type: "chunk", chunk, text, raw: event.data };
}

function streamFailure(err: unknown, state: StreamState, scope: CallScope & { deadline: Deadline }): unknown {
  const { call, deadline, signal, timeoutMs } = scope;
  if (err instanceof ProviderError) return err;
  if (signal.aborted) return callerAbortError(signal, timeoutMs);
  if (state.started) {
    const code = errorCode(err);
    const why = deadline.timedOut ? `no data for ${timeoutMs} ms` : `${errorMessage(err)}${code ? ` (${code})` : ""}`;
    return streamCutError(why, call.apiKey, err);
  }
  return callFailure(err, scope);
}
