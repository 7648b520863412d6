import type { Usage } from "@/lib/engine/types";
import type { ResponsesRequestBody } from "@/lib/schemas/responses-request";
import type { StreamFrame } from "../stream";
import {
  functionCallItem,
  messageItem,
  refusalPart,
  responseObject,
  statusOf,
  textPart,
  type OutputItem,
  type ResponseIds,
  type ResponseStatus,
} from "./responses-response";

/**
 * The gateway's chat stream (OpenAI chat.completion.chunk frames, then an end frame with usage,
 * or an error frame) → the Responses API's typed events, numbered by `sequence_number`:
 * response.created, response.in_progress, then per output item output_item.added,
 * (content_part.added, output_text.delta…, output_text.done, content_part.done |
 * function_call_arguments.delta…, function_call_arguments.done), output_item.done, and
 * response.completed / response.incomplete with usage. A stream that breaks after it started ends
 * with an `error` event. Pure: the translator turns each frame into its events.
 */
export interface ResponsesEvent {
  event: string;
  data: Record<string, unknown>;
}

interface OpenText {
  kind: "text" | "refusal";
  index: number;
  text: string;
}

interface OpenCall {
  kind: "call";
  index: number;
  n: number;
  callId: string;
  name: string;
  arguments: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export class ResponsesStreamTranslator {
  private sequence = 0;
  private readonly output: OutputItem[] = [];
  private open: OpenText | null = null;
  /** Tool calls by their chat index, in the order they opened. */
  private readonly calls = new Map<number, OpenCall>();
  private finishReason: string | null = null;
  private model: string;

  constructor(
    private readonly ids: ResponseIds,
    private readonly body: ResponsesRequestBody,
    model: string,
  ) {
    this.model = model;
  }

  private emit(type: string, fields: Record<string, unknown>): ResponsesEvent {
    return { event: type, data: { type, ...fields, sequence_number: this.sequence++ } };
  }

  private snapshot(status: ResponseStatus, usage: Usage | null, incomplete: { reason: string } | null) {
    return responseObject(this.ids, this.body, { status, model: this.model, output: [...this.output], usage, incomplete });
  }

  start(): ResponsesEvent[] {
    const response = this.snapshot("in_progress", null, null);
    return [this.emit("response.created", { response }), this.emit("response.in_progress", { response })];
  }

  chunk(data: Record<string, unknown>): ResponsesEvent[] {
    if (typeof data.model === "string" && data.model) this.model = data.model;
    const choice = Array.isArray(data.choices) && isRecord(data.choices[0]) ? data.choices[0] : null;
    if (!choice) return [];
    const events: ResponsesEvent[] = [];
    const delta = isRecord(choice.delta) ? choice.delta : {};
    if (typeof delta.content === "string" && delta.content !== "") events.push(...this.text("text", delta.content));
    if (typeof delta.refusal === "string" && delta.refusal !== "") events.push(...this.text("refusal", delta.refusal));
    if (Array.isArray(delta.tool_calls)) for (const call of delta.tool_calls) if (isRecord(call)) events.push(...this.toolCall(call));
    if (typeof choice.finish_reason === "string") this.finishReason = choice.finish_reason;
    return events;
  }

  private text(kind: "text" | "refusal", piece: string): ResponsesEvent[] {
    const events: ResponsesEvent[] = [];
    if (this.open && this.open.kind !== kind) events.push(...this.closeText("completed"));
    if (!this.open) {
      const index = this.output.length;
      this.open = { kind, index, text: "" };
      const item = messageItem(this.ids, null, "in_progress");
      this.output.push(item);
      events.push(this.emit("response.output_item.added", { output_index: index, item }));
      const part = kind === "text" ? textPart("") : refusalPart("");
      events.push(this.emit("response.content_part.added", { item_id: item.id, output_index: index, content_index: 0, part }));
    }
    this.open.text += piece;
    const item_id = this.output[this.open.index]!.id;
    const where = { item_id, output_index: this.open.index, content_index: 0 };
    events.push(kind === "text" ? this.emit("response.output_text.delta", { ...where, delta: piece, logprobs: [] }) : this.emit("response.refusal.delta", { ...where, delta: piece }));
    return events;
  }

  private closeText(status: string): ResponsesEvent[] {
    const open = this.open;
    if (!open) return [];
    this.open = null;
    const part = open.kind === "text" ? textPart(open.text) : refusalPart(open.text);
    const item = messageItem(this.ids, part, status);
    this.output[open.index] = item;
    const where = { item_id: item.id, output_index: open.index, content_index: 0 };
    return [
      open.kind === "text"
        ? this.emit("response.output_text.done", { ...where, text: open.text, logprobs: [] })
        : this.emit("response.refusal.done", { ...where, refusal: open.text }),
      this.emit("response.content_part.done", { ...where, part }),
      this.emit("response.output_item.done", { output_index: open.index, item }),
    ];
  }

  private toolCall(call: Record<string, unknown>): ResponsesEvent[] {
    const events: ResponsesEvent[] = [...this.closeText("completed")];
    const key = typeof call.index === "number" ? call.index : this.calls.size;
    const fn = isRecord(call.function) ? call.function : {};
    let open = this.calls.get(key);
    if (!open) {
      open = { kind: "call", index: this.output.length, n: this.calls.size, callId: typeof call.id === "string" ? call.id : "", name: typeof fn.name === "string" ? fn.name : "", arguments: "" };
      this.calls.set(key, open);
      const item = functionCallItem(this.ids, open.n, { callId: open.callId, name: open.name, arguments: "" }, "in_progress");
      this.output.push(item);
      events.push(this.emit("response.output_item.added", { output_index: open.index, item }));
    }
    if (typeof fn.arguments === "string" && fn.arguments !== "") {
      open.arguments += fn.arguments;
      const item_id = this.output[open.index]!.id;
      events.push(this.emit("response.function_call_arguments.delta", { item_id, output_index: open.index, delta: fn.arguments }));
    }
    return events;
  }

  /** The stream's end: every open item done, then response.completed (or .incomplete) with usage. */
  end(usage: Usage | null): ResponsesEvent[] {
    const { status, incomplete_details } = statusOf(this.finishReason);
    const itemStatus = status === "incomplete" ? "incomplete" : "completed";
    const events = this.closeText(itemStatus);
    for (const call of this.calls.values()) {
      const item = functionCallItem(this.ids, call.n, call, "completed");
      this.output[call.index] = item;
      events.push(this.emit("response.function_call_arguments.done", { item_id: item.id, output_index: call.index, name: call.name, arguments: call.arguments }));
      events.push(this.emit("response.output_item.done", { output_index: call.index, item }));
    }
    this.calls.clear();
    // A stream that produced nothing still answers one (empty) message, as the JSON answer does.
    if (this.output.length === 0) {
      this.open = { kind: "text", index: 0, text: "" };
      const item = messageItem(this.ids, null, "in_progress");
      this.output.push(item);
      events.push(this.emit("response.output_item.added", { output_index: 0, item }));
      events.push(this.emit("response.content_part.added", { item_id: item.id, output_index: 0, content_index: 0, part: textPart("") }));
      events.push(...this.closeText(itemStatus));
    }
    const response = this.snapshot(status, usage, incomplete_details);
    events.push(this.emit(status === "completed" ? "response.completed" : "response.incomplete", { response }));
    return events;
  }

  /** A break after the stream started: the `error` event (OpenAI's stream error shape). */
  error(data: Record<string, unknown>): ResponsesEvent[] {
    const e = isRecord(data.error) ? data.error : {};
    return [this.emit("error", { code: typeof e.code === "string" ? e.code : "stream_cut", message: typeof e.message === "string" ? e.message : "The stream broke off.", param: null })];
  }
}

/** The events of a whole chat stream. */
export async function* responsesEvents(frames: AsyncIterable<StreamFrame>, translator: ResponsesStreamTranslator): AsyncGenerator<ResponsesEvent> {
  yield* translator.start();
  for await (const frame of frames) {
    if (frame.kind === "chunk") yield* translator.chunk(frame.data);
    else if (frame.kind === "error") return yield* translator.error(frame.data);
    else yield* translator.end(frame.usage);
  }
}
