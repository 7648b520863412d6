import { instanceOf } from "@/tests/helpers/fake-upstreams/anthropic";
import { sseFrame, startFakeUpstream, type FakeUpstream, type RecordedRequest, type Wire } from "@/tests/helpers/fake-upstreams/harness";
import { OPENAI_USAGE, openaiWire } from "@/tests/helpers/fake-upstreams/openai";
import { embeddingsWire } from "@/tests/helpers/fake-upstreams/openai-embeddings";

/**
 * One OpenAI API origin for the client compatibility matrix: POST /v1/chat/completions (the
 * chat fake of openai.ts, refusing unknown fields) and POST /v1/embeddings (openai-embeddings.ts),
 * anything else 404 as OpenAI answers it. Like the real model, chat follows the request: a forced
 * tool (`tool_choice` "required" or a named function) → one tool call whose arguments match the
 * tool's schema; `response_format` json_schema → JSON content matching the schema (json_object →
 * `{"fake":true}`). It refuses what the real API refuses in what the matrix sends: a tool message
 * without a preceding assistant tool call of that id, an assistant tool call left unanswered,
 * content parts other than text / image_url, an image that is neither https nor a base64 data URL
 * of a supported type, `stream_options` without `stream`, json_schema without name or schema.
 */
type Refusal = { status: number; message: string; errorType?: string } | null;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const invalid = (message: string): Refusal => ({ status: 400, message, errorType: "invalid_request_error" });
const IMAGE_DATA_URL = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/;
const ROLES = new Set(["system", "developer", "user", "assistant", "tool"]);

function refuseContent(content: unknown, at: string): Refusal {
  if (typeof content === "string" || content === null || content === undefined) return null;
  if (!Array.isArray(content)) return invalid(`Invalid type for '${at}': expected a string or an array.`);
  for (const [i, part] of content.entries()) {
    if (!isObject(part)) return invalid(`Invalid type for '${at}[${i}]'.`);
    if (part.type === "text") {
      if (typeof part.text !== "string") return invalid(`Missing required parameter: '${at}[${i}].text'.`);
    } else if (part.type === "image_url") {
      const url = isObject(part.image_url) ? part.image_url.url : undefined;
      if (typeof url !== "string" || !(url.startsWith("https://") || IMAGE_DATA_URL.test(url))) {
        return invalid(`Invalid image_url in '${at}[${i}]': expected an https URL or a base64 data URL of png, jpeg, gif or webp.`);
      }
    } else {
      return invalid(`Invalid value: '${String(part.type)}'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal', 'audio' and 'file'.`);
    }
  }
  return null;
}

/** The message-order rules of the real API: tool calls answered by tool messages, and only those. */
function refuseMessages(messages: unknown): Refusal {
  if (!Array.isArray(messages) || messages.length === 0) return invalid("Invalid 'messages': empty array. Expected an array with minimum length 1.");
  let open = new Set<string>();
  for (const [i, m] of messages.entries()) {
    if (!isObject(m) || typeof m.role !== "string" || !ROLES.has(m.role)) return invalid(`Invalid value for 'messages[${i}].role'.`);
    if (m.role === "tool") {
      if (typeof m.tool_call_id !== "string" || !open.has(m.tool_call_id)) {
        return invalid(`Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.`);
      }
      open.delete(m.tool_call_id);
      continue;
    }
    if (open.size > 0) {
      return invalid(`An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...open].join(", ")}`);
    }
    const refused = refuseContent(m.content, `messages[${i}].content`);
    if (refused) return refused;
    if (m.role === "assistant" && Array.isArray(m.tool_calls)) {
      open = new Set(m.tool_calls.map((c) => (isObject(c) ? String(c.id) : "")));
    }
  }
  return open.size > 0 ? invalid("An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'.") : null;
}

function refuseChat(req: RecordedRequest): Refusal {
  const body = req.body;
  if (!String(req.headers.authorization ?? "").startsWith("Bearer ")) return { status: 401, message: "You didn't provide an API key.", errorType: "invalid_request_error" };
  if (body.stream_options !== undefined && body.stream_options !== null && body.stream !== true) {
    return invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.");
  }
  const format = body.response_format;
  if (isObject(format) && format.type === "json_schema") {
    const js = format.json_schema;
    if (!isObject(js) || typeof js.name !== "string" || !isObject(js.schema)) return invalid("Missing required parameter: 'response_format.json_schema.name' or '.schema'.");
  }
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) return invalid("Invalid type for 'tools'.");
    for (const [i, t] of body.tools.entries()) {
      const fn = isObject(t) && t.type === "function" && isObject(t.function) ? t.function : null;
      if (!fn || typeof fn.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(fn.name)) return invalid(`Invalid 'tools[${i}].function.name'.`);
    }
  }
  return refuseMessages(body.messages);
}

/** The tool the request forces, or null (tool_choice auto / none / absent answers text). */
function forcedTool(body: Record<string, unknown>): Record<string, unknown> | null {
  const tools = Array.isArray(body.tools) ? body.tools.filter(isObject).map((t) => (isObject(t.function) ? t.function : {})) : [];
  const choice = body.tool_choice;
  if (tools.length === 0) return null;
  if (choice === "required") return tools[0] ?? null;
  if (isObject(choice) && isObject(choice.function)) {
    const name = (choice.function as { name?: unknown }).name;
    return tools.find((t) => t.name === name) ?? null;
  }
  return null;
}

/** The JSON text a structured-output request gets, or null. */
function structuredText(body: Record<string, unknown>): string | null {
  const format = body.response_format;
  if (!isObject(format)) return null;
  if (format.type === "json_schema" && isObject(format.json_schema)) return JSON.stringify(instanceOf(format.json_schema.schema));
  if (format.type === "json_object") return JSON.stringify({ fake: true });
  return null;
}

export const FAKE_TOOL_CALL_ID = "call_fake01";

export function openaiCompatWire(): Wire {
  const chat = openaiWire({ refuseUnknownFields: true });
  const embeddings = embeddingsWire();
  const isEmbeddings = (req: RecordedRequest) => req.path === "/v1/embeddings";
  const base = { id: "chatcmpl-fake1", created: 1_700_000_000, system_fingerprint: "fp_fake" };
  const modelOf = (req: RecordedRequest) => `${String(req.body.model)}-2024-08-06`;
  return {
    isStream: (req) => !isEmbeddings(req) && chat.isStream(req),
    json: (req) => {
      if (isEmbeddings(req)) return embeddings.json(req);
      const tool = forcedTool(req.body);
      const text = structuredText(req.body);
      if (!tool && text === null) return chat.json(req);
      const message = tool
        ? { role: "assistant", content: null, refusal: null, tool_calls: [{ id: FAKE_TOOL_CALL_ID, type: "function", function: { name: String(tool.name), arguments: JSON.stringify(instanceOf(tool.parameters)) } }] }
        : { role: "assistant", content: text, refusal: null };
      return {
        ...base, object: "chat.completion", model: modelOf(req), service_tier: "default", usage: OPENAI_USAGE,
        choices: [{ index: 0, message, logprobs: null, finish_reason: tool ? "tool_calls" : "stop" }],
      };
    },
    frames: (req) => {
      const tool = forcedTool(req.body);
      const text = structuredText(req.body);
      if (!tool && text === null) return chat.frames(req);
      const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
        sseFrame({ ...base, object: "chat.completion.chunk", model: modelOf(req), choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
      const frames = tool
        ? [
            chunk({ role: "assistant", content: null, tool_calls: [{ index: 0, id: FAKE_TOOL_CALL_ID, type: "function", function: { name: String(tool.name), arguments: "" } }] }),
            chunk({ tool_calls: [{ index: 0, function: { arguments: JSON.stringify(instanceOf(tool.parameters)) } }] }),
            chunk({}, "tool_calls"),
          ]
        : [chunk({ role: "assistant", content: "" }), chunk({ content: text }), chunk({}, "stop")];
      const wantsUsage = isObject(req.body.stream_options) && req.body.stream_options.include_usage === true;
      if (wantsUsage) frames.push(sseFrame({ ...base, object: "chat.completion.chunk", model: modelOf(req), choices: [], usage: OPENAI_USAGE }));
      frames.push(sseFrame("[DONE]"));
      return { frames, terminal: wantsUsage ? 3 : 2 };
    },
    errorBody: (status, message, errorType) => chat.errorBody(status, message, errorType),
    errorFrame: (status, message, errorType) => chat.errorFrame(status, message, errorType),
    refuse: (req) => {
      if (req.method !== "POST") return { status: 405, message: `Invalid method for URL (${req.method} ${req.path})`, errorType: "invalid_request_error" };
      if (isEmbeddings(req)) return embeddings.refuse?.(req) ?? null;
      if (req.path !== "/v1/chat/completions") return { status: 404, message: `Invalid URL (POST ${req.path})`, errorType: "invalid_request_error" };
      return chat.refuse?.(req) ?? refuseChat(req);
    },
  };
}

export function startOpenAICompatFake(): Promise<FakeUpstream> {
  return startFakeUpstream(openaiCompatWire());
}
