import { anthropicRefusal } from "@/tests/helpers/fake-upstreams/anthropic-validate";
import { sseFrame, startFakeUpstream, type FakeUpstream, type RecordedRequest, type Wire } from "@/tests/helpers/fake-upstreams/harness";

/**
 * Anthropic Messages API (POST /v1/messages): a `message` JSON, or the event stream
 * message_start → content_block_start → ping → content_block_delta… → content_block_stop →
 * message_delta (stop_reason, output usage) → message_stop. Usage carries prompt-cache reads
 * and writes as Anthropic reports them: apart from input_tokens. It refuses what the real API
 * refuses (anthropic-validate.ts). Like the real model it follows the request: with
 * `output_config.format` it answers JSON text matching the schema (native structured output),
 * with a forced tool (`tool_choice` any/tool) a tool_use block whose input matches the tool's
 * schema. `answer` overrides the stop reason, usage or text for the next answers (tests set it).
 */
export const ANTHROPIC_TEXT = "Hello from fake Claude.";
export const ANTHROPIC_PIECES = ["Hello", " from fake", " Claude."];
export const ANTHROPIC_USAGE = { input_tokens: 10, cache_creation_input_tokens: 3, cache_read_input_tokens: 5, output_tokens: 7 };
export const ANTHROPIC_MODEL_VERSION = "claude-fake-4-20250514";

/** Anthropic's usage object, with the 5-minute / 1-hour split of cache writes when given. */
export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

export interface AnthropicAnswer {
  stopReason?: string;
  usage?: AnthropicUsage;
  text?: string;
}

export type AnthropicFake = FakeUpstream & { answer: AnthropicAnswer };

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A value that satisfies a JSON schema (first enum value, every property, one array item). */
export function instanceOf(schema: unknown): unknown {
  if (!isObject(schema)) return "fake";
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.anyOf)) return instanceOf(schema.anyOf[0]);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type) {
    case "object": {
      const props = isObject(schema.properties) ? schema.properties : {};
      const keys = Object.keys(props);
      if (keys.length === 0) return { fake: true };
      return Object.fromEntries(keys.map((k) => [k, instanceOf(props[k])]));
    }
    case "array":
      return [instanceOf(schema.items)];
    case "integer":
      return 1;
    case "number":
      return 1.5;
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return "fake";
  }
}

type Block = { type: "text"; text: string } | { type: "tool_use"; id: string; name: string; input: unknown };

/** What the model answers: forced tool → tool_use; output_config.format → JSON text; else text. */
function blocksFor(req: RecordedRequest, answer: AnthropicAnswer): Block[] {
  const body = req.body;
  const choice = isObject(body.tool_choice) ? body.tool_choice : null;
  const tools = Array.isArray(body.tools) ? body.tools.filter(isObject) : [];
  if (choice && (choice.type === "any" || choice.type === "tool") && tools.length > 0) {
    const tool = choice.type === "tool" ? (tools.find((t) => t.name === choice.name) ?? tools[0]) : tools[0];
    return [{ type: "tool_use", id: "toolu_fake01", name: String(tool?.name), input: instanceOf(tool?.input_schema) }];
  }
  const format = isObject(body.output_config) && isObject(body.output_config.format) ? body.output_config.format : null;
  if (format) return [{ type: "text", text: JSON.stringify(instanceOf(format.schema)) }];
  return [{ type: "text", text: answer.text ?? ANTHROPIC_TEXT }];
}

function stopReasonFor(blocks: Block[], answer: AnthropicAnswer): string {
  return answer.stopReason ?? (blocks.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn");
}

function message(content: unknown[], stopReason: string | null, usage: object) {
  return {
    id: "msg_fake01",
    type: "message",
    role: "assistant",
    model: ANTHROPIC_MODEL_VERSION,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { ...usage, service_tier: "standard" },
  };
}

/** Three pieces of a text, the fixed ones for the default text (tests cut between them). */
function piecesOf(text: string): string[] {
  if (text === ANTHROPIC_TEXT) return ANTHROPIC_PIECES;
  const third = Math.ceil(text.length / 3);
  return [text.slice(0, third), text.slice(third, 2 * third), text.slice(2 * third)].filter((p) => p !== "");
}

function blockFrames(block: Block, index: number): string[] {
  if (block.type === "text") {
    return [
      sseFrame({ type: "content_block_start", index, content_block: { type: "text", text: "" } }, "content_block_start"),
      ...(index === 0 ? [sseFrame({ type: "ping" }, "ping")] : []),
      ...piecesOf(block.text).map((text) => sseFrame({ type: "content_block_delta", index, delta: { type: "text_delta", text } }, "content_block_delta")),
      sseFrame({ type: "content_block_stop", index }, "content_block_stop"),
    ];
  }
  return [
    sseFrame({ type: "content_block_start", index, content_block: { ...block, input: {} } }, "content_block_start"),
    ...(index === 0 ? [sseFrame({ type: "ping" }, "ping")] : []),
    ...piecesOf(JSON.stringify(block.input)).map((partial_json) =>
      sseFrame({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json } }, "content_block_delta"),
    ),
    sseFrame({ type: "content_block_stop", index }, "content_block_stop"),
  ];
}

export function anthropicWire(answer: AnthropicAnswer = {}): Wire {
  const usageOf = (): AnthropicUsage => answer.usage ?? ANTHROPIC_USAGE;
  return {
    isStream: (req) => req.body.stream === true,
    json: (req) => {
      const blocks = blocksFor(req, answer);
      return message(blocks, stopReasonFor(blocks, answer), usageOf());
    },
    frames: (req) => {
      const blocks = blocksFor(req, answer);
      const { output_tokens: output, ...input } = usageOf();
      const frames = [
        sseFrame({ type: "message_start", message: message([], null, { ...input, output_tokens: 1 }) }, "message_start"),
        ...blocks.flatMap((b, i) => blockFrames(b, i)),
        sseFrame(
          { type: "message_delta", delta: { stop_reason: stopReasonFor(blocks, answer), stop_sequence: null }, usage: { output_tokens: output } },
          "message_delta",
        ),
        sseFrame({ type: "message_stop" }, "message_stop"),
      ];
      return { frames, terminal: 3 };
    },
    errorBody: (status, message, errorType) => ({
      type: "error",
      error: { type: errorType ?? ERROR_TYPES[status] ?? "api_error", message },
    }),
    errorFrame: (status, message, errorType) =>
      sseFrame({ type: "error", error: { type: errorType ?? ERROR_TYPES[status] ?? "api_error", message } }, "error"),
    refuse: anthropicRefusal,
  };
}

export async function startAnthropicFake(): Promise<AnthropicFake> {
  const answer: AnthropicAnswer = {};
  const fake = await startFakeUpstream(anthropicWire(answer));
  const reset = fake.reset;
  return Object.assign(fake, {
    answer,
    reset: () => {
      reset();
      for (const k of Object.keys(answer) as (keyof AnthropicAnswer)[]) delete answer[k];
    },
  });
}
