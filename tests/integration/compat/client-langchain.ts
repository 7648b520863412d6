import { AIMessage, AIMessageChunk, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { ChatOpenAI, OpenAIEmbeddings } from "@langchain/openai";
import { EMBED_INPUTS, IMAGE_PROMPT, LOOKUP, PNG_DATA_URL, PROMPT, TOOL_PROMPT, TOOL_RESULT, Verdict, type ClientAdapter, type Lane } from "./inputs";

/**
 * LangChain JS (`@langchain/openai`): ChatOpenAI on chat completions (`configuration.baseURL`),
 * `.stream` with `streamUsage`, `.bindTools` and a ToolMessage round trip,
 * `.withStructuredOutput` (json_schema, its default for a model that is not gpt-3/gpt-4), an
 * image_url content part, and OpenAIEmbeddings.embedDocuments.
 */
const chatModel = (lane: Lane, extra: { streamUsage?: boolean } = {}) =>
  new ChatOpenAI({ model: "auto", apiKey: lane.apiKey, configuration: { baseURL: lane.baseURL, defaultHeaders: lane.headers }, maxRetries: 0, ...extra });
const tools = [{ type: "function" as const, function: LOOKUP }];

function textOf(message: AIMessage | AIMessageChunk): string {
  return typeof message.content === "string" ? message.content : message.content.map((p) => (p.type === "text" && "text" in p ? String(p.text) : "")).join("");
}

export const langchain: ClientAdapter = {
  name: "langchain",
  async chat(lane) {
    return textOf(await chatModel(lane).invoke(PROMPT));
  },
  async stream(lane) {
    let all: AIMessageChunk | undefined;
    for await (const chunk of await chatModel(lane, { streamUsage: true }).stream(PROMPT)) all = all ? all.concat(chunk) : chunk;
    const usage = all?.usage_metadata;
    return { text: all ? textOf(all) : "", usage: { prompt: usage?.input_tokens ?? -1, completion: usage?.output_tokens ?? -1 } };
  },
  async tools(lane) {
    const model = chatModel(lane);
    const human = new HumanMessage(TOOL_PROMPT);
    const first = await model.bindTools(tools, { tool_choice: "required" }).invoke([human]);
    const call = first.tool_calls?.[0];
    if (!call?.id) throw new Error(`no tool call: ${JSON.stringify(first.content)}`);
    const final = await model.bindTools(tools, { tool_choice: "auto" }).invoke([human, first, new ToolMessage({ tool_call_id: call.id, content: TOOL_RESULT })]);
    return { call: { name: call.name, args: call.args }, final: textOf(final) };
  },
  async structured(lane) {
    return chatModel(lane).withStructuredOutput(Verdict, { name: "verdict" }).invoke(PROMPT);
  },
  async image(lane) {
    const message = new HumanMessage({ content: [{ type: "text", text: IMAGE_PROMPT }, { type: "image_url", image_url: { url: PNG_DATA_URL } }] });
    return textOf(await chatModel(lane).invoke([message]));
  },
  async embeddings(lane) {
    const embeddings = new OpenAIEmbeddings({ model: "auto", apiKey: lane.apiKey, configuration: { baseURL: lane.baseURL, defaultHeaders: lane.embedHeaders }, maxRetries: 0 });
    return embeddings.embedDocuments(EMBED_INPUTS);
  },
  failure(err) {
    const status = typeof err === "object" && err !== null && "status" in err && typeof err.status === "number" ? err.status : undefined;
    return { status, message: err instanceof Error ? err.message : String(err) };
  },
};
