import type { Usage } from "@/lib/engine/types";
import type { ResponsesRequestBody } from "@/lib/schemas/responses-request";

/**
 * The gateway's chat answer (an OpenAI chat.completion, whatever provider answered) → OpenAI's
 * Responses API `response` object (openai-node 6.x `Response`), and the pieces the stream
 * translator (responses-stream.ts) shares. Pure. Ids derive from the call's request id
 * (`resp_<id>`, `msg_<id>`, `fc_<id>_<n>`), so a response names the x-request-id it was recorded
 * under; the gateway stores nothing, so no id can be fetched or continued later.
 */

export type ResponseStatus = "completed" | "incomplete" | "in_progress" | "failed";

export interface ResponseIds {
  /** The call's x-request-id (a UUID). */
  requestId: string;
  /** Unix seconds. */
  createdAt: number;
}

const hex = (requestId: string) => requestId.replaceAll("-", "");
export const responseId = (ids: ResponseIds) => `resp_${hex(ids.requestId)}`;
export const messageItemId = (ids: ResponseIds) => `msg_${hex(ids.requestId)}`;
export const functionItemId = (ids: ResponseIds, n: number) => `fc_${hex(ids.requestId)}_${n}`;

export type OutputItem = Record<string, unknown> & { type: string; id: string };

/** Chat's finish reason as the response's status and its incomplete_details. */
export function statusOf(finishReason: string | null): { status: ResponseStatus; incomplete_details: { reason: string } | null } {
  if (finishReason === "length") return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  if (finishReason === "content_filter") return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  return { status: "completed", incomplete_details: null };
}

/** The gateway's usage in the Responses API's names (input includes cached, output includes reasoning). */
export function responsesUsage(u: Usage): Record<string, unknown> {
  const input = u.promptTokens ?? 0;
  const output = u.completionTokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: u.cachedTokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: u.reasoningTokens ?? 0 },
    total_tokens: u.totalTokens ?? input + output,
  };
}

export function messageItem(ids: ResponseIds, part: Record<string, unknown> | null, status: string): OutputItem {
  return { id: messageItemId(ids), type: "message", status, role: "assistant", content: part ? [part] : [] };
}

export const textPart = (text: string) => ({ type: "output_text", text, annotations: [], logprobs: [] });
export const refusalPart = (refusal: string) => ({ type: "refusal", refusal });

export function functionCallItem(ids: ResponseIds, n: number, call: { callId: string; name: string; arguments: string }, status: string): OutputItem {
  return { id: functionItemId(ids, n), type: "function_call", status, call_id: call.callId, name: call.name, arguments: call.arguments };
}

/**
 * The response object around `output`: what the caller asked for echoed in the Responses API's
 * names and defaults (store is always false: nothing is kept).
 */
export function responseObject(
  ids: ResponseIds,
  body: ResponsesRequestBody,
  { status, model, output, usage, incomplete, error = null }: {
    status: ResponseStatus;
    model: string;
    output: OutputItem[];
    usage: Usage | null;
    incomplete: { reason: string } | null;
    error?: { code: string; message: string } | null;
  },
): Record<string, unknown> {
  const response: Record<string, unknown> = {
    id: responseId(ids),
    object: "response",
    created_at: ids.createdAt,
    status,
    background: false,
    error,
    incomplete_details: incomplete,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    max_tool_calls: null,
    model,
    output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: null },
    service_tier: body.service_tier ?? "default",
    store: false,
    temperature: body.temperature ?? null,
    text: { format: body.text?.format ?? { type: "text" }, verbosity: body.text?.verbosity ?? "medium" },
    tool_choice: body.tool_choice ?? "auto",
    tools: body.tools ?? [],
    top_p: body.top_p ?? null,
    truncation: "disabled",
    usage: usage ? responsesUsage(usage) : null,
    user: body.user ?? null,
    metadata: body.metadata ?? {},
  };
  if (status === "completed" || status === "incomplete") response.completed_at = Math.floor(Date.now() / 1000);
  return response;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === "string" ? v : "");

/** A chat.completion (CompletionResult.body) and its usage → the Responses API's response object. */
export function toResponseObject(ids: ResponseIds, body: ResponsesRequestBody, completion: Record<string, unknown>, usage: Usage | null, fallbackModel: string): Record<string, unknown> {
  const choice = Array.isArray(completion.choices) && isRecord(completion.choices[0]) ? completion.choices[0] : {};
  const message = isRecord(choice.message) ? choice.message : {};
  const finish = typeof choice.finish_reason === "string" ? choice.finish_reason : null;
  const { status, incomplete_details } = statusOf(finish);
  const itemStatus = status === "incomplete" ? "incomplete" : "completed";
  const output: OutputItem[] = [];
  const text = str(message.content);
  const refusal = str(message.refusal);
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls.filter(isRecord) : [];
  if (refusal) output.push(messageItem(ids, refusalPart(refusal), itemStatus));
  else if (text || calls.length === 0) output.push(messageItem(ids, textPart(text), itemStatus));
  calls.forEach((call, n) => {
    const fn = isRecord(call.function) ? call.function : {};
    output.push(functionCallItem(ids, n, { callId: str(call.id), name: str(fn.name), arguments: str(fn.arguments) }, "completed"));
  });
  const model = typeof completion.model === "string" && completion.model ? completion.model : fallbackModel;
  return responseObject(ids, body, { status, model, output, usage, incomplete: incomplete_details });
}
