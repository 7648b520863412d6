import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { EMBED_INPUTS, IMAGE_PROMPT, LOOKUP, PNG_DATA_URL, PROMPT, TOOL_PROMPT, TOOL_RESULT, Verdict, type ClientAdapter, type Lane } from "./inputs";

/**
 * The official `openai` SDK (chat.completions, chat.completions.parse with zodResponseFormat,
 * embeddings.create with its default base64 encoding) as a matrix client.
 */
const client = (lane: Lane, headers = lane.headers) => new OpenAI({ apiKey: lane.apiKey, baseURL: lane.baseURL, defaultHeaders: headers, maxRetries: 0 });
const tools = [{ type: "function" as const, function: LOOKUP }];

export const openaiSdk: ClientAdapter = {
  name: "openai",
  async chat(lane) {
    const answer = await client(lane).chat.completions.create({ model: "auto", messages: [{ role: "user", content: PROMPT }] });
    return answer.choices[0]?.message.content ?? "";
  },
  async stream(lane) {
    const stream = await client(lane).chat.completions.create({
      model: "auto", messages: [{ role: "user", content: PROMPT }], stream: true, stream_options: { include_usage: true },
    });
    let text = "";
    let usage = { prompt: -1, completion: -1 };
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      if (chunk.usage) usage = { prompt: chunk.usage.prompt_tokens, completion: chunk.usage.completion_tokens };
    }
    return { text, usage };
  },
  async tools(lane) {
    const c = client(lane);
    const user = { role: "user" as const, content: TOOL_PROMPT };
    const first = await c.chat.completions.create({ model: "auto", messages: [user], tools, tool_choice: "required" });
    const message = first.choices[0]!.message;
    const call = message.tool_calls?.[0];
    if (call?.type !== "function") throw new Error(`no function tool call: ${JSON.stringify(message)}`);
    const second = await c.chat.completions.create({
      model: "auto", tools, tool_choice: "auto",
      messages: [user, { role: "assistant", content: message.content, tool_calls: message.tool_calls }, { role: "tool", tool_call_id: call.id, content: TOOL_RESULT }],
    });
    return { call: { name: call.function.name, args: JSON.parse(call.function.arguments) as unknown }, final: second.choices[0]?.message.content ?? "" };
  },
  async structured(lane) {
    const answer = await client(lane).chat.completions.parse({ model: "auto", messages: [{ role: "user", content: PROMPT }], response_format: zodResponseFormat(Verdict, "verdict") });
    return answer.choices[0]?.message.parsed;
  },
  async image(lane) {
    const answer = await client(lane).chat.completions.create({
      model: "auto",
      messages: [{ role: "user", content: [{ type: "text", text: IMAGE_PROMPT }, { type: "image_url", image_url: { url: PNG_DATA_URL } }] }],
    });
    return answer.choices[0]?.message.content ?? "";
  },
  async embeddings(lane) {
    const answer = await client(lane, lane.embedHeaders).embeddings.create({ model: "auto", input: EMBED_INPUTS });
    return answer.data.map((d) => Array.from(d.embedding));
  },
  failure(err) {
    if (err instanceof OpenAI.APIError) return { status: err.status, message: err.message };
    return { status: undefined, message: String(err) };
  },
};
