import type { Usage } from "@/lib/engine/types";
import { isRecord } from "@/lib/providers/json";

/**
 * The gateway's chat answer (OpenAI's chat.completion, and the attempt's Usage) → Anthropic's
 * Message. Usage: the gateway's promptTokens include prompt-cache reads and writes (OpenAI's
 * convention); Anthropic's input_tokens exclude both, so input_tokens = prompt − reads − writes,
 * and the writes are split into 5-minute and 1-hour as Anthropic reports them.
 */
export type StopReason = "end_turn" | "max_tokens" | "stop_sequence" | "tool_use" | "pause_turn" | "refusal";

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

export type AnthropicBlock = { type: "text"; text: string } | { type: "tool_use"; id: string; name: string; input: unknown };

export interface AnthropicMessage {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: AnthropicBlock[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  usage: AnthropicUsage;
}

/**
 * OpenAI's finish reason → Anthropic's stop reason. `stop` is end_turn: OpenAI-shaped answers do
 * not say whether a stop sequence ended them (stop_sequence stays null). Anthropic's own pause_turn
 * reaches here as `length` (lib/providers/anthropic/request.ts) and so reads max_tokens: both mean
 * "send the answer back to continue".
 */
export function stopReasonOf(finish: unknown): StopReason | null {
  switch (finish) {
    case "stop":
      return "end_turn";
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
      return "refusal";
    case null:
    case undefined:
      return null;
    default:
      return "end_turn";
  }
}

const n = (v: number | null | undefined): number => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0);

export function anthropicUsage(u: Usage | null): AnthropicUsage {
  const reads = n(u?.cachedTokens);
  const writes = n(u?.cacheWriteTokens);
  const oneHour = Math.min(n(u?.cacheWrite1hTokens), writes);
  return {
    input_tokens: Math.max(0, n(u?.promptTokens) - reads - writes),
    output_tokens: n(u?.completionTokens),
    cache_creation_input_tokens: writes,
    cache_read_input_tokens: reads,
    cache_creation: { ephemeral_5m_input_tokens: writes - oneHour, ephemeral_1h_input_tokens: oneHour },
  };
}

/** Anthropic message ids start with msg_; an upstream's other id keeps its characters after it. */
export function messageId(id: unknown): string {
  const raw = typeof id === "string" && id !== "" ? id : `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
  return raw.startsWith("msg_") ? raw : `msg_${raw.replace(/[^A-Za-z0-9_-]/g, "")}`;
}

/** A tool call's JSON arguments as Anthropic's input object (an upstream's non-object is kept under `value`). */
export function toolInput(args: unknown): unknown {
  if (isRecord(args)) return args;
  if (typeof args !== "string" || args.trim() === "") return {};
  try {
    const parsed: unknown = JSON.parse(args);
    return isRecord(parsed) ? parsed : { value: parsed };
  } catch {
    return { arguments: args };
  }
}

function contentOf(message: Record<string, unknown>): AnthropicBlock[] {
  const blocks: AnthropicBlock[] = [];
  const content = message.content;
  const textOf = typeof content === "string" ? content : Array.isArray(content) ? content.map((p) => (isRecord(p) && typeof p.text === "string" ? p.text : "")).join("") : "";
  if (textOf !== "") blocks.push({ type: "text", text: textOf });
  if (typeof message.refusal === "string" && message.refusal !== "") blocks.push({ type: "text", text: message.refusal });
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    if (!isRecord(call) || !isRecord(call.function)) continue;
    blocks.push({ type: "tool_use", id: typeof call.id === "string" ? call.id : "", name: String(call.function.name ?? ""), input: toolInput(call.function.arguments) });
  }
  return blocks;
}

/** The chat.completion body and the attempt's usage as Anthropic's Message. */
export function toAnthropicMessage(body: Record<string, unknown>, usage: Usage | null, model: string): AnthropicMessage {
  const choice = Array.isArray(body.choices) && isRecord(body.choices[0]) ? body.choices[0] : {};
  const message = isRecord(choice.message) ? choice.message : {};
  return {
    id: messageId(body.id),
    type: "message",
    role: "assistant",
    model: typeof body.model === "string" && body.model !== "" ? body.model : model,
    content: contentOf(message),
    stop_reason: stopReasonOf(choice.finish_reason),
    stop_sequence: null,
    usage: anthropicUsage(usage),
  };
}
