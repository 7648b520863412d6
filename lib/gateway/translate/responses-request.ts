import type { ChatContentPart, ChatMessage, ChatRequest } from "@/lib/providers/types";
import type { ResponsesRequestBody } from "@/lib/schemas/responses-request";
import { GatewayError } from "../errors";

/**
 * OpenAI's Responses API request → the gateway's chat form (an OpenAI chat.completions body),
 * so that routing, rule params, the provider allow-lists, retries, fallbacks, budgets, pricing
 * and recording are chat's own. Pure. Every field is translated or refused with a 400 naming it
 * (`param`); nothing is dropped in silence. The gateway keeps no state between calls, so every
 * field that needs stored responses, conversations or prompts is refused.
 */

/** A 400 in OpenAI's shape naming the field at fault. */
export function refuse(param: string, message: string): GatewayError {
  return new GatewayError(400, "invalid_request_error", message, { param });
}

const STATELESS = "the gateway is stateless: it stores no responses, so send the whole conversation in `input`";

/** Fields that exist only with server-side state or features the chat form has no room for. */
const REFUSED_FIELDS: Readonly<Record<string, string>> = {
  previous_response_id: `previous_response_id is not supported: ${STATELESS}.`,
  conversation: `conversation is not supported: ${STATELESS}.`,
  prompt: "prompt (stored prompt templates) is not supported: send the prompt's text as instructions and input.",
  context_management: "context_management is not supported: the gateway does not compact conversations.",
  max_tool_calls: "max_tool_calls is not supported: the gateway runs no built-in tools.",
  top_logprobs: "top_logprobs is not supported on /v1/responses: use POST /api/llm/v1/chat/completions with logprobs.",
  prompt_cache_options: "prompt_cache_options is not supported: use prompt_cache_key.",
};

/** Fields read here, by the handler, or passed on as the chat field of the same name (checked per provider). */
const KNOWN_FIELDS = new Set([
  "model", "input", "instructions", "tools", "tool_choice", "parallel_tool_calls", "text", "reasoning", "max_output_tokens",
  "temperature", "top_p", "user", "metadata", "stream", "stream_options", "store", "include", "truncation", "background",
  "safety_identifier", "prompt_cache_key", "prompt_cache_retention", "service_tier",
]);
const SAME_NAME_IN_CHAT = ["temperature", "top_p", "user", "parallel_tool_calls", "safety_identifier", "prompt_cache_key", "prompt_cache_retention", "service_tier"] as const;

/**
 * `include` values: reasoning items are never returned (the chat form carries no reasoning), so
 * there is no encrypted reasoning to include and that value is honoured as it stands; everything
 * else asks for output the gateway does not produce.
 */
const HONOURED_INCLUDES = new Set(["reasoning.encrypted_content"]);

/** The chat request of a Responses request; throws a 400 naming the first field it cannot take. */
export function toChatRequest(body: ResponsesRequestBody): ChatRequest {
  checkTopLevel(body);
  const messages: ChatMessage[] = [];
  if (body.instructions) messages.push({ role: "system", content: body.instructions });
  messages.push(...toMessages(body.input));
  const chat: ChatRequest = { messages };
  for (const field of SAME_NAME_IN_CHAT) {
    const value: unknown = body[field];
    if (value !== undefined && value !== null) (chat as Record<string, unknown>)[field] = value;
  }
  if (body.max_output_tokens != null) chat.max_completion_tokens = body.max_output_tokens;
  if (body.tools && body.tools.length > 0) chat.tools = body.tools.map(toChatTool);
  if (body.tool_choice != null) chat.tool_choice = toChatToolChoice(body.tool_choice);
  const format = body.text?.format;
  if (format && format.type !== "text") chat.response_format = toResponseFormat(format);
  if (body.text?.verbosity != null) chat.verbosity = body.text.verbosity;
  if (body.reasoning?.effort != null) chat.reasoning_effort = body.reasoning.effort;
  return chat;
}

function checkTopLevel(body: ResponsesRequestBody): void {
  for (const [field, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    const why = REFUSED_FIELDS[field];
    if (why) throw refuse(field, why);
    if (!KNOWN_FIELDS.has(field)) throw refuse(field, `The request field "${field}" is not supported on /v1/responses; remove it.`);
  }
  if (body.store === true) throw refuse("store", "store: true is not supported: the gateway is stateless and stores no responses; send store: false or leave it out.");
  if (body.background === true) throw refuse("background", "background: true is not supported: responses are answered while the request is open; leave background out.");
  if (body.truncation === "auto") throw refuse("truncation", "truncation: \"auto\" is not supported: the gateway never drops input items; leave truncation out or send \"disabled\".");
  if (body.stream_options?.include_obfuscation === true) throw refuse("stream_options.include_obfuscation", "include_obfuscation: true is not supported: the gateway's stream events carry no obfuscation padding.");
  const include = (body.include ?? []).find((v) => !HONOURED_INCLUDES.has(v));
  if (include !== undefined) throw refuse("include", `include "${include}" is not supported: the gateway does not produce that output.`);
  if (body.reasoning?.summary != null || body.reasoning?.generate_summary != null) {
    throw refuse("reasoning.summary", "reasoning summaries are not supported: the chat form the gateway calls providers with returns no reasoning; leave reasoning.summary out.");
  }
}

type Item = Record<string, unknown>;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function toMessages(input: ResponsesRequestBody["input"]): ChatMessage[] {
  if (typeof input === "string") return [{ role: "user", content: input }];
  const out: ChatMessage[] = [];
  input.forEach((item, i) => {
    const at = `input[${i}]`;
    const type = item.type ?? (item.role !== undefined ? "message" : undefined);
    switch (type) {
      case "message":
        out.push(toMessage(item, at));
        return;
      case "function_call":
        addToolCall(out, item, at);
        return;
      case "function_call_output":
        out.push(toToolMessage(item, at));
        return;
      case "reasoning":
        checkReasoning(item, at);
        return;
      case "item_reference":
        throw refuse(`${at}.type`, `${at} is an item_reference: ${STATELESS}. With the AI SDK, set providerOptions.openai.store = false so it sends the items themselves.`);
      default:
        throw refuse(`${at}.type`, `${at}: input items of type "${String(type)}" are not supported (message, function_call, function_call_output and reasoning are).`);
    }
  });
  return out;
}

const ROLES = new Set(["user", "assistant", "system", "developer"]);

function toMessage(item: Item, at: string): ChatMessage {
  const role = item.role;
  if (typeof role !== "string" || !ROLES.has(role)) throw refuse(`${at}.role`, `${at}.role must be user, assistant, system or developer.`);
  const content = item.content;
  if (typeof content === "string") return { role: role as ChatMessage["role"], content };
  if (!Array.isArray(content)) throw refuse(`${at}.content`, `${at}.content must be a string or an array of content parts.`);
  const parts = content.map((part, j) => toPart(part, `${at}.content[${j}]`));
  // Assistant turns go back as one text (every provider takes that); others keep their parts.
  if (role === "assistant") {
    if (parts.some((p) => p.type !== "text")) throw refuse(`${at}.content`, `${at}: an assistant message can only hold output_text and refusal parts.`);
    return { role: "assistant", content: parts.map((p) => p.text ?? "").join("") };
  }
  return { role: role as ChatMessage["role"], content: parts };
}

/** One content part of an input message, as chat's content part. */
function toPart(part: unknown, at: string): ChatContentPart {
  if (!isRecord(part)) throw refuse(at, `${at} must be a content part object.`);
  switch (part.type) {
    case "input_text":
    case "output_text":
      if (typeof part.text !== "string") throw refuse(`${at}.text`, `${at}.text must be a string.`);
      return { type: "text", text: part.text };
    case "refusal":
      if (typeof part.refusal !== "string") throw refuse(`${at}.refusal`, `${at}.refusal must be a string.`);
      return { type: "text", text: part.refusal };
    case "input_image": {
      if (part.file_id != null) throw refuse(`${at}.file_id`, `${at}: images by file_id are not supported (the gateway has no file store); send image_url as a URL or data URL.`);
      if (typeof part.image_url !== "string" || part.image_url === "") throw refuse(`${at}.image_url`, `${at}.image_url must be a URL or a data URL.`);
      const image: Record<string, unknown> = { url: part.image_url };
      if (part.detail != null) image.detail = part.detail;
      return { type: "image_url", image_url: image };
    }
    case "input_file": {
      if (part.file_id != null) throw refuse(`${at}.file_id`, `${at}: files by file_id are not supported (the gateway has no file store); send file_data.`);
      if (part.file_url != null) throw refuse(`${at}.file_url`, `${at}: files by file_url are not supported; send file_data (a base64 data URL).`);
      if (typeof part.file_data !== "string" || part.file_data === "") throw refuse(`${at}.file_data`, `${at}.file_data must be the file as a base64 data URL.`);
      const file: Record<string, unknown> = { file_data: part.file_data };
      if (typeof part.filename === "string") file.filename = part.filename;
      return { type: "file", file };
    }
    default:
      throw refuse(`${at}.type`, `${at}: content parts of type "${String(part.type)}" are not supported (input_text, input_image, input_file, output_text and refusal are).`);
  }
}

/** A function_call item joins the assistant turn before it (chat holds a turn's calls on one message). */
function addToolCall(out: ChatMessage[], item: Item, at: string): void {
  for (const field of ["call_id", "name", "arguments"] as const) {
    if (typeof item[field] !== "string") throw refuse(`${at}.${field}`, `${at}.${field} must be a string.`);
  }
  const call = { id: item.call_id, type: "function", function: { name: item.name, arguments: item.arguments } };
  const last = out.at(-1);
  if (last?.role === "assistant") last.tool_calls = [...(last.tool_calls ?? []), call];
  else out.push({ role: "assistant", content: null, tool_calls: [call] });
}

function toToolMessage(item: Item, at: string): ChatMessage {
  if (typeof item.call_id !== "string") throw refuse(`${at}.call_id`, `${at}.call_id must be a string.`);
  const output = item.output;
  if (typeof output === "string") return { role: "tool", tool_call_id: item.call_id, content: output };
  if (!Array.isArray(output)) throw refuse(`${at}.output`, `${at}.output must be a string or an array of input_text parts.`);
  const texts = output.map((part, j) => {
    if (!isRecord(part) || part.type !== "input_text" || typeof part.text !== "string") {
      throw refuse(`${at}.output[${j}]`, `${at}.output[${j}]: tool outputs can only hold input_text parts through the gateway (chat tool messages are text).`);
    }
    return part.text;
  });
  return { role: "tool", tool_call_id: item.call_id, content: texts.join("") };
}

/**
 * Reasoning items are left out: no provider's chat form takes a previous turn's reasoning
 * (OpenAI's chat completions discard it between turns, Anthropic needs its own signed thinking
 * blocks), and the gateway never returns any. An item carrying raw reasoning text (`content`) is
 * refused instead, since the caller means the model to read it.
 */
function checkReasoning(item: Item, at: string): void {
  if (Array.isArray(item.content) && item.content.length > 0) {
    throw refuse(`${at}.content`, `${at}: reasoning items with content cannot be passed on (the chat form takes no reasoning); send it as a message if the model should read it.`);
  }
}

/** Responses tools are flat (`{type, name, parameters}`); chat nests them under `function`. */
function toChatTool(tool: Record<string, unknown>, i: number): Record<string, unknown> {
  const at = `tools[${i}]`;
  if (tool.type !== "function") {
    throw refuse(`${at}.type`, `${at}: the built-in tool "${tool.type}" is not supported: the gateway runs no hosted tools; only function tools are.`);
  }
  if (typeof tool.name !== "string" || tool.name === "") throw refuse(`${at}.name`, `${at}.name is required.`);
  const fn: Record<string, unknown> = { name: tool.name };
  if (tool.description != null) fn.description = tool.description;
  if (tool.parameters != null) fn.parameters = tool.parameters;
  if (typeof tool.strict === "boolean") fn.strict = tool.strict;
  return { type: "function", function: fn };
}

function toChatToolChoice(choice: NonNullable<ResponsesRequestBody["tool_choice"]>): unknown {
  if (typeof choice === "string") return choice;
  if (choice.type === "function" && typeof choice.name === "string") return { type: "function", function: { name: choice.name } };
  throw refuse("tool_choice", `tool_choice of type "${choice.type}" is not supported: send "none", "auto", "required" or {type: "function", name}.`);
}

function toResponseFormat(format: { type: string; [key: string]: unknown }): unknown {
  if (format.type === "json_object") return { type: "json_object" };
  if (format.type === "json_schema") {
    if (typeof format.name !== "string" || !isRecord(format.schema)) throw refuse("text.format", "text.format json_schema needs a name and a schema object.");
    const schema: Record<string, unknown> = { name: format.name, schema: format.schema };
    if (format.description != null) schema.description = format.description;
    if (typeof format.strict === "boolean") schema.strict = format.strict;
    return { type: "json_schema", json_schema: schema };
  }
  throw refuse("text.format", `text.format of type "${format.type}" is not supported: text, json_object or json_schema.`);
}

/** Chat fields as the Responses API names them, for errors raised by the chat path (provider allow-lists). */
const RESPONSES_NAMES: Readonly<Record<string, string>> = {
  messages: "input",
  max_completion_tokens: "max_output_tokens",
  response_format: "text.format",
  reasoning_effort: "reasoning.effort",
  verbosity: "text.verbosity",
};

/** A 400 from the chat path naming a chat field, re-stated with the field's Responses name. */
export function inResponsesTerms(err: unknown): unknown {
  if (!(err instanceof GatewayError) || err.param === null) return err;
  const head = err.param.split(/[.[]/, 1)[0]!;
  const name = RESPONSES_NAMES[head];
  if (!name) return err;
  const param = name + err.param.slice(head.length);
  const message = err.message.replaceAll(`"${head}"`, `"${name}"`);
  return new GatewayError(err.status, err.type, message, { param, headers: err.headers, refusal: err.refusal, code: err.code });
}
