import { validCacheControl, MAX_CACHE_BREAKPOINTS } from "@/lib/providers/anthropic/fields";
import { isRecord } from "@/lib/providers/json";
import type { ChatContentPart, ChatMessage, ChatRequest } from "@/lib/providers/types";
import { callMetadataSchema } from "@/lib/schemas/llm-request";
import { MESSAGES_FIELDS, MESSAGES_REFUSED_FIELDS, type MessagesBody } from "@/lib/schemas/messages-request";
import { GatewayError } from "../errors";

/**
 * Anthropic Messages request → the gateway's chat request (OpenAI-shaped, lib/providers/types.ts),
 * so that a Messages call is routed, limited, retried, priced and recorded by the one chat path.
 * Each field and block is translated or refused with a 400 naming its place (`messages.1.content.0`,
 * Anthropic's own path notation); nothing is dropped. What carries over:
 * - system (string or text blocks) → a system message (blocks as text parts, cache_control kept);
 * - text → text parts; image (base64 / url) → image_url parts (a data: URL for base64);
 *   document (base64 PDF, plain-text source) → OpenAI `file` parts with a data: URL;
 * - tool_use (assistant) → tool_calls; tool_result (user) → a `tool` message before the rest of the
 *   user turn (text blocks only; `is_error: true` rides on that message);
 * - cache_control on system, message blocks and tools → the same place in the chat request, which
 *   the Anthropic adapter turns back into Anthropic's block cache_control (at most 4, as Anthropic);
 * - tools → functions; tool_choice auto/any/tool/none → auto/required/function/none,
 *   disable_parallel_tool_use → parallel_tool_calls false; stop_sequences → stop;
 *   max_tokens, temperature, top_p, top_k as they are; metadata.user_id → user;
 * - top-level cache_control (Anthropic: "on the last cacheable block") → on the last block of the
 *   last message (a string content becomes one text part to carry it).
 */
export class MessagesRefusal extends GatewayError {
  constructor(at: string, why: string) {
    super(400, "invalid_request_error", `${at}: ${why}`, { param: at });
  }
}

const refuse = (at: string, why: string): never => {
  throw new MessagesRefusal(at, why);
};

/** Keys a block may have beyond those listed: refused by name, as Anthropic refuses extra inputs. */
function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], at: string): void {
  const extra = Object.keys(value).find((k) => !allowed.includes(k) && value[k] !== undefined && value[k] !== null);
  if (extra) refuse(`${at}.${extra}`, "not supported by the gateway's Messages API");
}

const text = (value: unknown, at: string): string => (typeof value === "string" ? value : refuse(at, "must be a string"));

/** Counts cache breakpoints and checks each is exactly what Anthropic takes. */
class Breakpoints {
  count = 0;
  take(holder: Record<string, unknown>, at: string, target: Record<string, unknown>): void {
    const value = holder.cache_control;
    if (value === undefined || value === null) return;
    if (!validCacheControl(value)) refuse(`${at}.cache_control`, 'must be {"type": "ephemeral"} with an optional "ttl" of "5m" or "1h"');
    this.count += 1;
    if (this.count > MAX_CACHE_BREAKPOINTS) refuse(`${at}.cache_control`, `a maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided`);
    target.cache_control = value;
  }
}

function citationsRefused(b: Record<string, unknown>, at: string): void {
  const c = b.citations;
  if (c === undefined || c === null || (Array.isArray(c) && c.length === 0) || (isRecord(c) && c.enabled === false)) return;
  refuse(`${at}.citations`, "citations are not carried through the gateway's chat translation");
}

function textPart(b: Record<string, unknown>, at: string, marks: Breakpoints): ChatContentPart {
  onlyKeys(b, ["type", "text", "cache_control", "citations"], at);
  citationsRefused(b, at);
  const part: ChatContentPart = { type: "text", text: text(b.text, `${at}.text`) };
  marks.take(b, at, part);
  return part;
}

function imagePart(b: Record<string, unknown>, at: string, marks: Breakpoints): ChatContentPart {
  onlyKeys(b, ["type", "source", "cache_control"], at);
  const source = isRecord(b.source) ? b.source : refuse(`${at}.source`, "must be an object");
  let url: string;
  if (source.type === "base64") url = `data:${text(source.media_type, `${at}.source.media_type`)};base64,${text(source.data, `${at}.source.data`)}`;
  else if (source.type === "url") url = text(source.url, `${at}.source.url`);
  else return refuse(`${at}.source.type`, `image sources "base64" and "url" are translated; ${JSON.stringify(source.type)} is not`);
  const part: ChatContentPart = { type: "image_url", image_url: { url } };
  marks.take(b, at, part);
  return part;
}

function documentPart(b: Record<string, unknown>, at: string, marks: Breakpoints): ChatContentPart {
  onlyKeys(b, ["type", "source", "cache_control", "title", "citations"], at);
  citationsRefused(b, at);
  const source = isRecord(b.source) ? b.source : refuse(`${at}.source`, "must be an object");
  const title = typeof b.title === "string" && b.title !== "" ? b.title : null;
  let file: { filename: string; file_data: string };
  if (source.type === "base64" && source.media_type === "application/pdf") {
    file = { filename: title ?? "document.pdf", file_data: `data:application/pdf;base64,${text(source.data, `${at}.source.data`)}` };
  } else if (source.type === "text" && (source.media_type === undefined || source.media_type === "text/plain")) {
    file = { filename: title ?? "document.txt", file_data: `data:text/plain;base64,${Buffer.from(text(source.data, `${at}.source.data`), "utf8").toString("base64")}` };
  } else {
    return refuse(`${at}.source`, 'documents with a base64 "application/pdf" or a "text" source are translated; this one is not');
  }
  const part: ChatContentPart = { type: "file", file };
  marks.take(b, at, part);
  return part;
}

/** A user turn's block that is not a tool result. */
function userPart(b: Record<string, unknown>, at: string, marks: Breakpoints): ChatContentPart {
  switch (b.type) {
    case "text":
      return textPart(b, at, marks);
    case "image":
      return imagePart(b, at, marks);
    case "document":
      return documentPart(b, at, marks);
    default:
      return refuse(`${at}.type`, `content blocks of type ${JSON.stringify(b.type)} are not supported in a user message by the gateway's Messages API`);
  }
}

function toolResult(b: Record<string, unknown>, at: string, marks: Breakpoints): ChatMessage {
  onlyKeys(b, ["type", "tool_use_id", "content", "is_error", "cache_control"], at);
  const message: ChatMessage = { role: "tool", tool_call_id: text(b.tool_use_id, `${at}.tool_use_id`), content: "" };
  if (typeof b.content === "string") message.content = b.content;
  else if (Array.isArray(b.content)) {
    message.content = b.content.map((inner, k) => {
      const where = `${at}.content.${k}`;
      if (!isRecord(inner) || inner.type !== "text") return refuse(`${where}.type`, "tool results with text blocks are translated; other blocks (images, documents) are not");
      onlyKeys(inner, ["type", "text", "citations"], where);
      citationsRefused(inner, where);
      return { type: "text", text: text(inner.text, `${where}.text`) };
    });
  } else if (b.content !== undefined && b.content !== null) refuse(`${at}.content`, "must be a string or a list of text blocks");
  if (b.is_error === true) message.is_error = true;
  else if (b.is_error !== undefined && b.is_error !== false) refuse(`${at}.is_error`, "must be a boolean");
  marks.take(b, at, message as unknown as Record<string, unknown>);
  return message;
}

function userMessages(content: Record<string, unknown>[], at: string, marks: Breakpoints): ChatMessage[] {
  const tools: ChatMessage[] = [];
  const parts: ChatContentPart[] = [];
  content.forEach((b, j) => {
    if (b.type === "tool_result") tools.push(toolResult(b, `${at}.content.${j}`, marks));
    else parts.push(userPart(b, `${at}.content.${j}`, marks));
  });
  return parts.length > 0 ? [...tools, { role: "user", content: parts }] : tools;
}

function assistantMessage(content: Record<string, unknown>[], at: string, marks: Breakpoints): ChatMessage {
  const parts: ChatContentPart[] = [];
  const calls: Record<string, unknown>[] = [];
  content.forEach((b, j) => {
    const where = `${at}.content.${j}`;
    if (b.type === "text") return parts.push(textPart(b, where, marks));
    if (b.type !== "tool_use") {
      return refuse(`${where}.type`, `content blocks of type ${JSON.stringify(b.type)} are not supported in an assistant message by the gateway's Messages API`);
    }
    onlyKeys(b, ["type", "id", "name", "input", "cache_control"], where);
    if (!isRecord(b.input)) refuse(`${where}.input`, "must be an object");
    const call: Record<string, unknown> = { id: text(b.id, `${where}.id`), type: "function", function: { name: text(b.name, `${where}.name`), arguments: JSON.stringify(b.input) } };
    if (b.cache_control !== undefined && b.cache_control !== null && j !== content.length - 1) {
      refuse(`${where}.cache_control`, "on a tool_use block it is translated only on the message's last block");
    }
    calls.push(call);
  });
  const message: ChatMessage = { role: "assistant", content: null };
  if (calls.length > 0) {
    message.tool_calls = calls;
    const last = content[content.length - 1];
    if (last?.type === "tool_use") marks.take(last, `${at}.content.${content.length - 1}`, message as unknown as Record<string, unknown>);
  }
  const marked = parts.some((p) => p.cache_control !== undefined);
  if (marked) message.content = parts;
  else if (parts.length > 0) message.content = parts.map((p) => p.text ?? "").join("");
  else if (calls.length === 0) message.content = "";
  return message;
}

function systemMessage(system: MessagesBody["system"], marks: Breakpoints): ChatMessage[] {
  if (system === undefined) return [];
  if (typeof system === "string") return system === "" ? [] : [{ role: "system", content: system }];
  const parts = system.map((b, i) => {
    if (b.type !== "text") return refuse(`system.${i}.type`, "system blocks must be text");
    return textPart(b, `system.${i}`, marks);
  });
  return parts.length > 0 ? [{ role: "system", content: parts }] : [];
}

/** Top-level cache_control: the last block of the last message carries it. */
function markLast(messages: ChatMessage[], value: Record<string, unknown>, marks: Breakpoints): void {
  const last = messages[messages.length - 1]!;
  if (typeof last.content === "string" && last.role !== "tool") last.content = [{ type: "text", text: last.content }];
  const parts = Array.isArray(last.content) && last.role !== "tool" && !last.tool_calls ? last.content : null;
  const holder = (parts ? parts[parts.length - 1] : last) as Record<string, unknown> | undefined;
  if (!holder || (holder.cache_control !== undefined && holder.cache_control !== null)) return;
  marks.take({ cache_control: value }, "cache_control", holder);
}

function toolsOf(tools: Record<string, unknown>[], marks: Breakpoints): Record<string, unknown>[] {
  return tools.map((t, i) => {
    const at = `tools.${i}`;
    if (t.type !== undefined && t.type !== null && t.type !== "custom") {
      refuse(`${at}.type`, `server tools (${JSON.stringify(t.type)}) run at Anthropic and are not supported; only custom tools (name, description, input_schema) are`);
    }
    onlyKeys(t, ["type", "name", "description", "input_schema", "cache_control"], at);
    const fn: Record<string, unknown> = { name: text(t.name, `${at}.name`), parameters: isRecord(t.input_schema) ? t.input_schema : refuse(`${at}.input_schema`, "must be a JSON schema object") };
    if (t.description !== undefined) fn.description = text(t.description, `${at}.description`);
    const out: Record<string, unknown> = { type: "function", function: fn };
    marks.take(t, at, out);
    return out;
  });
}

function toolChoiceOf(choice: NonNullable<MessagesBody["tool_choice"]>, out: ChatRequest): void {
  onlyKeys(choice, ["type", "name", "disable_parallel_tool_use"], "tool_choice");
  if (choice.type === "auto") out.tool_choice = "auto";
  else if (choice.type === "any") out.tool_choice = "required";
  else if (choice.type === "none") out.tool_choice = "none";
  else out.tool_choice = { type: "function", function: { name: text(choice.name, "tool_choice.name") } };
  if (choice.disable_parallel_tool_use === true) out.parallel_tool_calls = false;
}

/** The first field outside what the gateway translates, refused with why. */
function refuseUnknownFields(body: Record<string, unknown>): void {
  for (const [field, value] of Object.entries(body)) {
    if (value === undefined || MESSAGES_FIELDS.has(field)) continue;
    refuse(field, MESSAGES_REFUSED_FIELDS[field] ?? "Extra inputs are not permitted (not a field of the Messages API the gateway translates)");
  }
}

/** Anthropic's metadata.user_id and the gateway's routing metadata (action, organization…). */
const METADATA_KEYS: ReadonlySet<string> = new Set(["user_id", ...Object.keys(callMetadataSchema.shape)]);

/**
 * `output_config.format` (Anthropic's structured output: `{ type: "json_schema", schema }`) →
 * `response_format` json_schema, strict as Anthropic's is; every provider then applies it its own
 * way (Anthropic natively again). `effort` has no carrier in the chat form across providers: 400.
 */
function outputFormatOf(config: Record<string, unknown>, out: ChatRequest): void {
  onlyKeys(config, ["format", "effort"], "output_config");
  if (config.effort !== undefined && config.effort !== null) refuse("output_config.effort", "effort is not carried through the gateway's chat translation");
  const format = config.format;
  if (format === undefined || format === null) return;
  if (!isRecord(format) || format.type !== "json_schema" || !isRecord(format.schema)) {
    return refuse("output_config.format", 'must be { "type": "json_schema", "schema": { … } }');
  }
  onlyKeys(format, ["type", "schema"], "output_config.format");
  out.response_format = { type: "json_schema", json_schema: { name: "output", schema: format.schema, strict: true } };
}

export function toChatRequest(body: MessagesBody): ChatRequest {
  refuseUnknownFields(body);
  const unknownMeta = Object.keys(body.metadata ?? {}).find((k) => !METADATA_KEYS.has(k));
  if (unknownMeta) refuse(`metadata.${unknownMeta}`, `not a metadata field (user_id, or the gateway's ${[...METADATA_KEYS].filter((k) => k !== "user_id").join(", ")})`);
  const marks = new Breakpoints();
  const messages: ChatMessage[] = [...systemMessage(body.system, marks)];
  body.messages.forEach((m, i) => {
    const at = `messages.${i}`;
    onlyKeys(m, ["role", "content"], at);
    if (typeof m.content === "string") return messages.push({ role: m.role, content: m.content });
    // An empty user turn would vanish in translation; Anthropic refuses it too.
    if (m.content.length === 0 && m.role === "user") refuse(`${at}.content`, "a user message must have at least one content block");
    if (m.role === "user") messages.push(...userMessages(m.content, at, marks));
    else messages.push(assistantMessage(m.content, at, marks));
  });
  if (body.cache_control !== undefined && body.cache_control !== null) markLast(messages, body.cache_control, marks);
  const out: ChatRequest = { messages, max_tokens: body.max_tokens };
  if (body.tools !== undefined && body.tools.length > 0) out.tools = toolsOf(body.tools, marks);
  if (body.tool_choice !== undefined) {
    if (!out.tools) refuse("tool_choice", "may only be specified while providing tools");
    toolChoiceOf(body.tool_choice, out);
  }
  if (body.output_config) outputFormatOf(body.output_config, out);
  if (body.stop_sequences !== undefined && body.stop_sequences.length > 0) out.stop = body.stop_sequences;
  if (body.temperature !== undefined) out.temperature = body.temperature;
  if (body.top_p !== undefined) out.top_p = body.top_p;
  if (body.top_k !== undefined) out.top_k = body.top_k;
  const user = body.metadata?.user_id;
  if (typeof user === "string" && user !== "") out.user = user;
  if (body.stream === true) out.stream = true;
  return out;
}
