import { createOpenAI } from "@ai-sdk/openai";
import OpenAI from "openai";
import { zodTextFormat } from "openai/helpers/zod";
import { aiSdkAdapter } from "./client-ai-sdk";
import { IMAGE_PROMPT, LOOKUP, PNG_DATA_URL, PROMPT, TOOL_PROMPT, TOOL_RESULT, Verdict, type ClientAdapter, type Lane } from "./inputs";

/**
 * The OpenAI Responses API (POST /v1/responses) as matrix clients: the official `openai` SDK's
 * `responses.create` / `.stream` / `.parse`, and the Vercel AI SDK's default OpenAI model
 * (`createOpenAI(...)(id)` speaks the Responses API). Usage: Responses' input_tokens include
 * cached ones, as the ledger's prompt tokens do.
 */
const client = (lane: Lane) => new OpenAI({ apiKey: lane.apiKey, baseURL: lane.baseURL, defaultHeaders: lane.headers, maxRetries: 0 });
const tools = [{ type: "function" as const, name: LOOKUP.name, description: LOOKUP.description, parameters: { ...LOOKUP.parameters }, strict: true }];

export const openaiResponses: ClientAdapter = {
  name: "openai-responses",
  async chat(lane) {
    return (await client(lane).responses.create({ model: "auto", input: PROMPT })).output_text;
  },
  async stream(lane) {
    const stream = client(lane).responses.stream({ model: "auto", input: PROMPT });
    let text = "";
    for await (const event of stream) if (event.type === "response.output_text.delta") text += event.delta;
    const usage = (await stream.finalResponse()).usage;
    return { text, usage: { prompt: usage?.input_tokens ?? -1, completion: usage?.output_tokens ?? -1 } };
  },
  async tools(lane) {
    const c = client(lane);
    const user = { role: "user" as const, content: TOOL_PROMPT };
    const first = await c.responses.create({ model: "auto", input: [user], tools, tool_choice: "required" });
    const call = first.output.find((item) => item.type === "function_call");
    if (!call || call.type !== "function_call") throw new Error(`no function call: ${JSON.stringify(first.output)}`);
    const second = await c.responses.create({
      model: "auto", tools, tool_choice: "auto",
      input: [user, call, { type: "function_call_output", call_id: call.call_id, output: TOOL_RESULT }],
    });
    return { call: { name: call.name, args: JSON.parse(call.arguments) as unknown }, final: second.output_text };
  },
  async structured(lane) {
    const answer = await client(lane).responses.parse({ model: "auto", input: PROMPT, text: { format: zodTextFormat(Verdict, "verdict") } });
    return answer.output_parsed;
  },
  async image(lane) {
    const answer = await client(lane).responses.create({
      model: "auto",
      input: [{ role: "user", content: [{ type: "input_text", text: IMAGE_PROMPT }, { type: "input_image", image_url: PNG_DATA_URL, detail: "auto" }] }],
    });
    return answer.output_text;
  },
  failure(err) {
    if (err instanceof OpenAI.APIError) return { status: err.status, message: err.message };
    return { status: undefined, message: String(err) };
  },
};

const { embeddings: _none, ...responsesModel } = aiSdkAdapter("ai-sdk/openai-responses", {
  chat: (lane) => createOpenAI({ baseURL: lane.baseURL, apiKey: lane.apiKey, headers: lane.headers })("auto"),
  embedding: (lane) => createOpenAI({ baseURL: lane.baseURL, apiKey: lane.apiKey, headers: lane.embedHeaders }).embedding("auto"),
}, "Output.object");
/** The AI SDK's default OpenAI model (Responses API); its embeddings are the ai-sdk/openai row's. */
export const aiSdkResponses: ClientAdapter = responsesModel;
