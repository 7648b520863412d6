import { sseFrame, startFakeUpstream, type FakeUpstream, type Wire } from "@/tests/helpers/fake-upstreams/harness";

/**
 * Anthropic Messages API (POST /v1/messages): a `message` JSON, or the event stream
 * message_start → content_block_start → ping → content_block_delta… → content_block_stop →
 * message_delta (stop_reason, output usage) → message_stop. Usage carries prompt-cache reads
 * and writes as Anthropic reports them: apart from input_tokens.
 */
export const ANTHROPIC_TEXT = "Hello from fake Claude.";
export const ANTHROPIC_PIECES = ["Hello", " from fake", " Claude."];
export const ANTHROPIC_USAGE = { input_tokens: 10, cache_creation_input_tokens: 3, cache_read_input_tokens: 5, output_tokens: 7 };
export const ANTHROPIC_MODEL_VERSION = "claude-fake-4-20250514";

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

function message(content: unknown[], stopReason: string | null, usage: Record<string, number>) {
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

export function anthropicWire(): Wire {
  return {
    isStream: (req) => req.body.stream === true,
    json: () => message([{ type: "text", text: ANTHROPIC_TEXT }], "end_turn", ANTHROPIC_USAGE),
    frames: () => {
      const { output_tokens: _out, ...input } = ANTHROPIC_USAGE;
      const frames = [
        sseFrame({ type: "message_start", message: message([], null, { ...input, output_tokens: 1 }) }, "message_start"),
        sseFrame({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }, "content_block_start"),
        sseFrame({ type: "ping" }, "ping"),
        ...ANTHROPIC_PIECES.map((text) =>
          sseFrame({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } }, "content_block_delta"),
        ),
        sseFrame({ type: "content_block_stop", index: 0 }, "content_block_stop"),
        sseFrame(
          { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: ANTHROPIC_USAGE.output_tokens } },
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
  };
}

export function startAnthropicFake(): Promise<FakeUpstream> {
  return startFakeUpstream(anthropicWire());
}
