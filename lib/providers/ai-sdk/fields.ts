import { isRecord } from "@/lib/providers/json";

/**
 * Value rules shared by the kinds reached through the AI SDK (Anthropic, Gemini): a field the
 * kind takes, with a value it cannot honour, is refused with a 400 naming the field before
 * anything is sent (lib/providers/request-fields.ts), never clamped or dropped on the way.
 */
export interface ValueRefusal {
  field: string;
  why: string;
}

/** What a value rule may look at besides the request: the call's streaming and model. */
export interface FieldContext {
  /** The caller asked for a stream (the upstream request no longer carries `stream`). */
  stream: boolean;
  /** The target model's code (some rules are per model); null when unknown. */
  modelCode: string | null;
}

export const isSet = (v: unknown) => v !== undefined && v !== null;

/** The number of choices asked for (`n`, default 1). */
export function choicesOf(request: Record<string, unknown>): number {
  const n = request.n;
  return typeof n === "number" && Number.isInteger(n) && n > 1 ? n : 1;
}

/**
 * `n` > 1 is fanned out (n calls in parallel, merged into one answer) for non-streamed calls
 * only: n interleaved streams cannot be merged into one OpenAI stream faithfully here.
 */
export function fanOutRefusal(request: Record<string, unknown>, ctx: FieldContext): ValueRefusal | null {
  if (choicesOf(request) > 1 && ctx.stream) {
    return { field: "n", why: "n > 1 is served by n parallel calls, which is built for non-streamed calls only; send stream: false or n: 1" };
  }
  return null;
}

/** response_format: text, json_object and json_schema with a schema translate into the SDK's structured output. */
export function responseFormatRefusal(format: unknown, provider: string): ValueRefusal | null {
  if (!isSet(format)) return null;
  const type = isRecord(format) ? format.type : undefined;
  if (type === "text" || type === "json_object") return null;
  if (type === "json_schema") {
    const spec = (format as { json_schema?: unknown }).json_schema;
    if (isRecord(spec) && isRecord(spec.schema)) return null;
    return { field: "response_format", why: `a json_schema response format needs json_schema.schema (an object) to translate into ${provider} structured output` };
  }
  return { field: "response_format", why: `the response format type ${JSON.stringify(type)} has no ${provider} equivalent (text, json_object and json_schema translate)` };
}

/**
 * tool_choice as lib/providers/ai-sdk/messages.ts toTools maps it: auto, none, required or a
 * named function, and only beside tools (the SDK would drop it without tools, and another shape
 * such as allowed_tools, in silence).
 */
export function toolChoiceRefusal(request: Record<string, unknown>): ValueRefusal | null {
  const choice = request.tool_choice;
  if (!isSet(choice)) return null;
  const tools = Array.isArray(request.tools) ? request.tools : [];
  if (tools.length === 0) return { field: "tool_choice", why: "it applies only with tools" };
  if (choice === "auto" || choice === "none" || choice === "required") return null;
  if (isRecord(choice) && choice.type === "function" && isRecord(choice.function) && typeof choice.function.name === "string") return null;
  return { field: "tool_choice", why: 'it must be "auto", "none", "required" or {"type": "function", "function": {"name": ...}}' };
}
