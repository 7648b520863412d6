import { isRecord } from "@/lib/providers/json";
import type { StreamFrame } from "../stream";
import { anthropicUsage, messageId, stopReasonOf, type StopReason } from "./messages-response";

/**
 * The gateway's chat stream (OpenAI chunks, then the end frame with the attempt's usage, or an
 * error frame on a cut) → Anthropic's Messages events, in Anthropic's order: message_start,
 * then per block content_block_start, content_block_delta (text_delta / input_json_delta),
 * content_block_stop, then message_delta (stop_reason and the final usage) and message_stop.
 * A cut after the start ends with an `error` event, as Anthropic's stream does. message_start
 * carries zero usage: the chat stream reports usage at its end, so message_delta carries it all
 * (Anthropic's SDK takes the input and cache figures from message_delta when present).
 */
export interface AnthropicEvent {
  event: string;
  data: Record<string, unknown>;
}

interface OpenBlock {
  index: number;
  kind: "text" | "tool_use";
  /** The OpenAI tool-call index this block streams (tool_use blocks). */
  toolIndex?: number;
}

class EventState {
  next = 0;
  open: OpenBlock | null = null;
  stop: StopReason | null = null;

  *close(): Generator<AnthropicEvent> {
    if (!this.open) return;
    yield { event: "content_block_stop", data: { type: "content_block_stop", index: this.open.index } };
    this.open = null;
  }

  *start(kind: OpenBlock["kind"], block: Record<string, unknown>, toolIndex?: number): Generator<AnthropicEvent> {
    yield* this.close();
    this.open = { index: this.next++, kind, toolIndex };
    yield { event: "content_block_start", data: { type: "content_block_start", index: this.open.index, content_block: block } };
  }

  *delta(delta: Record<string, unknown>): Generator<AnthropicEvent> {
    yield { event: "content_block_delta", data: { type: "content_block_delta", index: this.open!.index, delta } };
  }
}

function* fromChunk(chunk: Record<string, unknown>, state: EventState): Generator<AnthropicEvent> {
  const choice = Array.isArray(chunk.choices) && isRecord(chunk.choices[0]) ? chunk.choices[0] : null;
  if (!choice) return;
  const delta = isRecord(choice.delta) ? choice.delta : {};
  const text = typeof delta.content === "string" ? delta.content : typeof delta.refusal === "string" ? delta.refusal : "";
  if (text !== "") {
    if (state.open?.kind !== "text") yield* state.start("text", { type: "text", text: "" });
    yield* state.delta({ type: "text_delta", text });
  }
  for (const call of Array.isArray(delta.tool_calls) ? delta.tool_calls : []) {
    if (!isRecord(call)) continue;
    const fn = isRecord(call.function) ? call.function : {};
    const toolIndex = typeof call.index === "number" ? call.index : 0;
    if (state.open?.kind !== "tool_use" || state.open.toolIndex !== toolIndex) {
      const block = { type: "tool_use", id: typeof call.id === "string" ? call.id : "", name: typeof fn.name === "string" ? fn.name : "", input: {} };
      yield* state.start("tool_use", block, toolIndex);
    }
    if (typeof fn.arguments === "string" && fn.arguments !== "") yield* state.delta({ type: "input_json_delta", partial_json: fn.arguments });
  }
  if (choice.finish_reason !== null && choice.finish_reason !== undefined) state.stop = stopReasonOf(choice.finish_reason);
}

/**
 * message_start's usage: nothing is known yet. The cache figures are null (unknown), not 0, so a
 * client's snapshot takes message_delta's; the SDK keeps message_start's cache_creation split, so
 * it stays null rather than a wrong zero split (the JSON answer has it).
 */
const START_USAGE = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: null, cache_read_input_tokens: null, cache_creation: null };

/** The Anthropic events of a chat stream; `model` names the answering model until a chunk names it. */
export async function* toAnthropicEvents(frames: AsyncIterable<StreamFrame>, model: string): AsyncGenerator<AnthropicEvent> {
  const state = new EventState();
  let started = false;
  for await (const frame of frames) {
    if (frame.kind !== "error" && !started) {
      started = true;
      const first = frame.kind === "chunk" ? frame.data : (frame.data ?? {});
      const message = {
        id: messageId(first.id), type: "message", role: "assistant",
        model: typeof first.model === "string" && first.model !== "" ? first.model : model,
        content: [], stop_reason: null, stop_sequence: null, usage: START_USAGE,
      };
      yield { event: "message_start", data: { type: "message_start", message } };
    }
    if (frame.kind === "chunk") yield* fromChunk(frame.data, state);
    else if (frame.kind === "error") {
      const error = isRecord(frame.data.error) ? frame.data.error : {};
      yield { event: "error", data: { type: "error", error: { type: "api_error", message: typeof error.message === "string" ? error.message : "The provider's stream broke off." } } };
      return;
    } else {
      yield* state.close();
      const usage = anthropicUsage(frame.usage);
      yield { event: "message_delta", data: { type: "message_delta", delta: { stop_reason: state.stop ?? "end_turn", stop_sequence: null }, usage } };
      yield { event: "message_stop", data: { type: "message_stop" } };
    }
  }
}
