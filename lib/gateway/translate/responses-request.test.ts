import { describe, expect, it } from "vitest";
import { responsesRequestSchema, type ResponsesRequestBody } from "@/lib/schemas/responses-request";
import { GatewayError } from "../errors";
import { inResponsesTerms, toChatRequest } from "./responses-request";

const body = (fields: Record<string, unknown>): ResponsesRequestBody => responsesRequestSchema.parse({ model: "auto", input: "hi", ...fields });

function refusal(fields: Record<string, unknown>): GatewayError {
  try {
    toChatRequest(body(fields));
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error("expected a refusal");
}

describe("toChatRequest", () => {
  it("turns instructions and a string input into system and user messages, and renames the limits", () => {
    expect(toChatRequest(body({ instructions: "Be brief.", max_output_tokens: 9, temperature: 0.5, top_p: 0.9, user: "u", store: false, truncation: "disabled" }))).toEqual({
      messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "hi" }],
      max_completion_tokens: 9, temperature: 0.5, top_p: 0.9, user: "u",
    });
  });

  it("merges function_call items into the assistant turn before them and answers them with tool messages", () => {
    const chat = toChatRequest(body({
      input: [
        { role: "user", content: "weather?" },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "Let me look." }] },
        { type: "function_call", call_id: "c1", name: "w", arguments: "{}" },
        { type: "function_call", call_id: "c2", name: "w", arguments: "{\"a\":1}" },
        { type: "reasoning", id: "rs_1", summary: [{ type: "summary_text", text: "thinking" }] },
        { type: "function_call_output", call_id: "c1", output: "sunny" },
        { type: "function_call_output", call_id: "c2", output: [{ type: "input_text", text: "rain" }] },
      ],
    }));
    expect(chat.messages).toEqual([
      { role: "user", content: "weather?" },
      { role: "assistant", content: "Let me look.", tool_calls: [
        { id: "c1", type: "function", function: { name: "w", arguments: "{}" } },
        { id: "c2", type: "function", function: { name: "w", arguments: "{\"a\":1}" } },
      ] },
      { role: "tool", tool_call_id: "c1", content: "sunny" },
      { role: "tool", tool_call_id: "c2", content: "rain" },
    ]);
  });

  it("translates function tools, tool_choice, text.format and reasoning.effort", () => {
    const chat = toChatRequest(body({
      tools: [{ type: "function", name: "f", parameters: { type: "object" }, strict: true }],
      tool_choice: { type: "function", name: "f" },
      text: { format: { type: "json_schema", name: "v", schema: { type: "object" }, strict: true }, verbosity: "low" },
      reasoning: { effort: "low" },
    }));
    expect(chat).toMatchObject({
      tools: [{ type: "function", function: { name: "f", parameters: { type: "object" }, strict: true } }],
      tool_choice: { type: "function", function: { name: "f" } },
      response_format: { type: "json_schema", json_schema: { name: "v", schema: { type: "object" }, strict: true } },
      verbosity: "low",
      reasoning_effort: "low",
    });
    expect(toChatRequest(body({ text: { format: { type: "text" } } }))).not.toHaveProperty("response_format");
    expect(toChatRequest(body({ text: { format: { type: "json_object" } } })).response_format).toEqual({ type: "json_object" });
  });

  it.each([
    [{ store: true }, "store"],
    [{ previous_response_id: "resp_1" }, "previous_response_id"],
    [{ conversation: { id: "conv_1" } }, "conversation"],
    [{ prompt: { id: "pmpt_1" } }, "prompt"],
    [{ background: true }, "background"],
    [{ truncation: "auto" }, "truncation"],
    [{ include: ["reasoning.encrypted_content", "message.output_text.logprobs"] }, "include"],
    [{ reasoning: { summary: "auto" } }, "reasoning.summary"],
    [{ tools: [{ type: "file_search" }] }, "tools[0].type"],
    [{ tool_choice: { type: "web_search_preview" } }, "tool_choice"],
    [{ text: { format: { type: "json_schema", name: "x" } } }, "text.format"],
    [{ seed: 3 }, "seed"],
    [{ input: [{ type: "item_reference", id: "msg_1" }] }, "input[0].type"],
    [{ input: [{ type: "web_search_call", id: "ws_1" }] }, "input[0].type"],
    [{ input: [{ role: "tool", content: "x" }] }, "input[0].role"],
    [{ input: [{ role: "user", content: [{ type: "input_file", file_id: "file-1" }] }] }, "input[0].content[0].file_id"],
    [{ input: [{ role: "user", content: [{ type: "input_audio" }] }] }, "input[0].content[0].type"],
    [{ input: [{ type: "reasoning", content: [{ type: "reasoning_text", text: "t" }] }] }, "input[0].content"],
    [{ input: [{ type: "function_call_output", call_id: "c", output: [{ type: "input_image", image_url: "x" }] }] }, "input[0].output[0]"],
  ])("refuses %j with a 400 naming %s", (fields, param) => {
    const err = refusal(fields);
    expect(err.status).toBe(400);
    expect(err.param).toBe(param);
  });

  it("accepts what the SDKs send by default: store false or absent, include reasoning.encrypted_content, truncation disabled", () => {
    expect(() => toChatRequest(body({ store: false, include: ["reasoning.encrypted_content"], truncation: "disabled", background: false }))).not.toThrow();
  });
});

describe("inResponsesTerms", () => {
  it("renames a chat field in a 400's param and message", () => {
    const err = inResponsesTerms(new GatewayError(400, "invalid_request_error", "The request field \"reasoning_effort\" is not supported", { param: "reasoning_effort" })) as GatewayError;
    expect(err.param).toBe("reasoning.effort");
    expect(err.message).toBe("The request field \"reasoning.effort\" is not supported");
    const nested = inResponsesTerms(new GatewayError(400, "invalid_request_error", "bad", { param: "messages[1].content" })) as GatewayError;
    expect(nested.param).toBe("input[1].content");
    const other = new GatewayError(400, "invalid_request_error", "x", { param: "temperature" });
    expect(inResponsesTerms(other)).toBe(other);
  });
});
