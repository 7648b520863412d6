import Anthropic from "@anthropic-ai/sdk";
import { zodOutputFormat } from "@anthropic-ai/sdk/helpers/zod";
import { IMAGE_PROMPT, LOOKUP, PNG_BASE64, PROMPT, TOOL_PROMPT, TOOL_RESULT, Verdict, type ClientAdapter, type Lane } from "./inputs";

/**
 * The official `@anthropic-ai/sdk` on the gateway's Messages API (POST /api/llm/v1/messages):
 * messages.create, messages.stream + finalMessage, a tool_use / tool_result round trip,
 * messages.parse with zodOutputFormat, a base64 image block. No embeddings (the SDK has none).
 * Anthropic's input_tokens leave cache reads and writes out; the outcome adds them back, as the
 * ledger's prompt tokens count them.
 */
const client = (lane: Lane) => new Anthropic({ apiKey: lane.apiKey, baseURL: lane.anthropicBaseURL, defaultHeaders: lane.headers, maxRetries: 0 });
const MAX_TOKENS = 256;
const tools = [{ name: LOOKUP.name, description: LOOKUP.description, input_schema: { ...LOOKUP.parameters, required: [...LOOKUP.parameters.required] } }];

const textOf = (message: Anthropic.Message) => message.content.map((b) => (b.type === "text" ? b.text : "")).join("");
const promptOf = (u: Anthropic.Usage) => u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0);

export const anthropicSdk: ClientAdapter = {
  name: "anthropic",
  async chat(lane) {
    return textOf(await client(lane).messages.create({ model: "auto", max_tokens: MAX_TOKENS, messages: [{ role: "user", content: PROMPT }] }));
  },
  async stream(lane) {
    const stream = client(lane).messages.stream({ model: "auto", max_tokens: MAX_TOKENS, messages: [{ role: "user", content: PROMPT }] });
    let text = "";
    stream.on("text", (delta) => {
      text += delta;
    });
    const final = await stream.finalMessage();
    return { text, usage: { prompt: promptOf(final.usage), completion: final.usage.output_tokens } };
  },
  async tools(lane) {
    const c = client(lane);
    const user = { role: "user" as const, content: TOOL_PROMPT };
    const first = await c.messages.create({ model: "auto", max_tokens: MAX_TOKENS, messages: [user], tools, tool_choice: { type: "any" } });
    const call = first.content.find((b) => b.type === "tool_use");
    if (!call || call.type !== "tool_use") throw new Error(`no tool_use: ${JSON.stringify(first.content)}`);
    const second = await c.messages.create({
      model: "auto", max_tokens: MAX_TOKENS, tools, tool_choice: { type: "auto" },
      messages: [user, { role: "assistant", content: first.content }, { role: "user", content: [{ type: "tool_result", tool_use_id: call.id, content: TOOL_RESULT }] }],
    });
    return { call: { name: call.name, args: call.input }, final: textOf(second) };
  },
  async structured(lane) {
    const answer = await client(lane).messages.parse({
      model: "auto", max_tokens: MAX_TOKENS, messages: [{ role: "user", content: PROMPT }], output_config: { format: zodOutputFormat(Verdict) },
    });
    return answer.parsed_output;
  },
  async image(lane) {
    const answer = await client(lane).messages.create({
      model: "auto", max_tokens: MAX_TOKENS,
      messages: [{ role: "user", content: [{ type: "text", text: IMAGE_PROMPT }, { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_BASE64 } }] }],
    });
    return textOf(answer);
  },
  failure(err) {
    if (err instanceof Anthropic.APIError) return { status: err.status, message: err.message };
    return { status: undefined, message: String(err) };
  },
};
