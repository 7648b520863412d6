import { instanceOf } from "@/tests/helpers/fake-upstreams/anthropic";
import { sseFrame, startFakeUpstream, type FakeUpstream, type RecordedRequest, type Wire } from "@/tests/helpers/fake-upstreams/harness";
import { OPENAI_PIECES, OPENAI_REQUEST_FIELDS, OPENAI_TEXT, OPENAI_USAGE, openaiWire } from "@/tests/helpers/fake-upstreams/openai";

/**
 * OpenAI chat completions that follow the request, as the real model does: with function tools
 * (and tool_choice not "none") and a user turn last, a tool call of the chosen tool whose
 * arguments fit its schema; with `response_format: json_schema`, JSON text fitting the schema;
 * otherwise OPENAI_TEXT. It refuses what the real API refuses: unknown fields, malformed tools or
 * response_format, content parts of unknown types, a tool message answering no earlier call.
 * Usage is OPENAI_USAGE (12 prompt incl. 4 cached, 7 completion incl. 2 reasoning).
 */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const USER_PARTS = new Set(["text", "image_url", "input_audio", "file"]);

interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** The real API's 400 for a request it would not take, or null. */
export function openaiChatRefusal(req: RecordedRequest): { status: number; message: string; errorType: string } | null {
  const bad = (message: string) => ({ status: 400, message, errorType: "invalid_request_error" });
  const body = req.body;
  const unknown = Object.keys(body).find((k) => !OPENAI_REQUEST_FIELDS.has(k));
  if (unknown) return bad(`Unrecognized request argument supplied: ${unknown}`);
  if (!Array.isArray(body.messages) || body.messages.length === 0) return bad("messages: must be a non-empty array");
  const called = new Set<string>();
  for (const [i, m] of body.messages.entries()) {
    if (!isObject(m) || !["system", "developer", "user", "assistant", "tool"].includes(String(m.role))) return bad(`messages[${i}]: invalid role`);
    if (Array.isArray(m.content)) {
      for (const part of m.content) {
        if (!isObject(part)) return bad(`messages[${i}].content: parts must be objects`);
        const allowed = m.role === "user" ? USER_PARTS : new Set(["text", "refusal"]);
        if (!allowed.has(String(part.type))) return bad(`messages[${i}].content: invalid part type ${String(part.type)}`);
        if (part.type === "file" && (!isObject(part.file) || typeof part.file.file_data !== "string")) return bad(`messages[${i}].content: file needs file_data`);
        if (part.type === "image_url" && (!isObject(part.image_url) || typeof part.image_url.url !== "string")) return bad(`messages[${i}].content: image_url needs url`);
      }
    }
    if (m.role === "assistant" && Array.isArray(m.tool_calls)) {
      for (const c of m.tool_calls) {
        if (!isObject(c) || c.type !== "function" || !isObject(c.function) || typeof c.id !== "string" || typeof c.function.arguments !== "string") {
          return bad(`messages[${i}].tool_calls: malformed tool call`);
        }
        called.add(c.id);
      }
    }
    if (m.role === "tool" && (typeof m.tool_call_id !== "string" || !called.has(m.tool_call_id))) {
      return bad(`messages[${i}]: messages with role 'tool' must be a response to a preceding message with 'tool_calls'.`);
    }
  }
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) return bad("tools: must be an array");
    for (const t of body.tools) if (!isObject(t) || t.type !== "function" || !isObject(t.function) || typeof t.function.name !== "string") return bad("tools: malformed function tool");
  }
  const format = body.response_format;
  if (format !== undefined) {
    if (!isObject(format) || !["text", "json_object", "json_schema"].includes(String(format.type))) return bad("response_format: invalid type");
    if (format.type === "json_schema" && (!isObject(format.json_schema) || typeof format.json_schema.name !== "string" || !isObject(format.json_schema.schema))) {
      return bad("response_format.json_schema: name and schema are required");
    }
  }
  return null;
}

/** What the model answers to this request. */
function answerOf(req: RecordedRequest): { text: string | null; calls: ToolCall[] } {
  const body = req.body;
  const messages = Array.isArray(body.messages) ? body.messages.filter(isObject) : [];
  const tools = Array.isArray(body.tools) ? body.tools.filter(isObject) : [];
  const choice = body.tool_choice;
  if (tools.length > 0 && choice !== "none" && messages.at(-1)?.role === "user") {
    const forced = isObject(choice) && isObject(choice.function) ? choice.function.name : null;
    const tool = tools.find((t) => isObject(t.function) && t.function.name === forced) ?? tools[0]!;
    const fn = tool.function as Record<string, unknown>;
    return { text: null, calls: [{ id: "call_fake01", name: String(fn.name), arguments: JSON.stringify(instanceOf(fn.parameters)) }] };
  }
  const format = isObject(body.response_format) ? body.response_format : null;
  if (format?.type === "json_schema" && isObject(format.json_schema)) return { text: JSON.stringify(instanceOf(format.json_schema.schema)), calls: [] };
  if (format?.type === "json_object") return { text: JSON.stringify({ answer: "fake" }), calls: [] };
  return { text: OPENAI_TEXT, calls: [] };
}

const versionOf = (req: RecordedRequest) => `${String(req.body.model)}-2024-08-06`;
const thirds = (s: string) => [s.slice(0, Math.ceil(s.length / 3)), s.slice(Math.ceil(s.length / 3), Math.ceil((2 * s.length) / 3)), s.slice(Math.ceil((2 * s.length) / 3))].filter((p) => p !== "");

export function openaiFollowWire(): Wire {
  const base = openaiWire();
  return {
    ...base,
    json: (req) => {
      const { text, calls } = answerOf(req);
      const message: Record<string, unknown> = { role: "assistant", content: text, refusal: null };
      if (calls.length) message.tool_calls = calls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } }));
      return {
        id: "chatcmpl-fake1", object: "chat.completion", created: 1_700_000_000, model: versionOf(req), system_fingerprint: "fp_fake",
        choices: [{ index: 0, message, logprobs: null, finish_reason: calls.length ? "tool_calls" : "stop" }],
        usage: OPENAI_USAGE, service_tier: "default",
      };
    },
    frames: (req) => {
      const { text, calls } = answerOf(req);
      const head = { id: "chatcmpl-fake1", object: "chat.completion.chunk", created: 1_700_000_000, model: versionOf(req), system_fingerprint: "fp_fake" };
      const chunk = (delta: Record<string, unknown>, finish: string | null = null) => sseFrame({ ...head, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
      const frames = [chunk({ role: "assistant", content: calls.length ? null : "", refusal: null })];
      if (text !== null) for (const piece of text === OPENAI_TEXT ? OPENAI_PIECES : thirds(text)) frames.push(chunk({ content: piece }));
      calls.forEach((c, index) => {
        frames.push(chunk({ tool_calls: [{ index, id: c.id, type: "function", function: { name: c.name, arguments: "" } }] }));
        for (const piece of thirds(c.arguments)) frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
      });
      frames.push(chunk({}, calls.length ? "tool_calls" : "stop"));
      const wantsUsage = isObject(req.body.stream_options) && req.body.stream_options.include_usage === true;
      if (wantsUsage) frames.push(sseFrame({ ...head, choices: [], usage: OPENAI_USAGE }));
      frames.push(sseFrame("[DONE]"));
      return { frames, terminal: wantsUsage ? 3 : 2 };
    },
    refuse: openaiChatRefusal,
  };
}

export function startOpenAIFollowFake(): Promise<FakeUpstream> {
  return startFakeUpstream(openaiFollowWire());
}
