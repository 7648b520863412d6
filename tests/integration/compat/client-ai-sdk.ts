import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { APICallError, embedMany, generateObject, generateText, Output, stepCountIs, streamText, tool, type EmbeddingModel, type LanguageModel } from "ai";
import { EMBED_INPUTS, IMAGE_PROMPT, LOOKUP, LookupArgs, PNG_BASE64, PROMPT, TOOL_PROMPT, TOOL_RESULT, Verdict, type ClientAdapter, type Lane } from "./inputs";

/**
 * The Vercel AI SDK (`ai`) as matrix clients, with two providers: `@ai-sdk/openai`'s chat
 * completions model (`.chat(id)`: the default `openai(id)` speaks the Responses API, a row of its
 * own) and `@ai-sdk/openai-compatible` (with `includeUsage` for stream usage and
 * `supportsStructuredOutputs`, as set for a server that takes json_schema). Structured output goes
 * through `generateObject` on the first and `generateText` + `Output.object` on the second.
 */
export interface Models {
  chat(lane: Lane): LanguageModel;
  embedding(lane: Lane): EmbeddingModel;
}

const viaOpenAI: Models = {
  chat: (lane) => createOpenAI({ baseURL: lane.baseURL, apiKey: lane.apiKey, headers: lane.headers }).chat("auto"),
  embedding: (lane) => createOpenAI({ baseURL: lane.baseURL, apiKey: lane.apiKey, headers: lane.embedHeaders }).embedding("auto"),
};

const compatible = (lane: Lane, headers: Record<string, string>) =>
  createOpenAICompatible({ name: "llmcp", baseURL: lane.baseURL, apiKey: lane.apiKey, headers, includeUsage: true, supportsStructuredOutputs: true });
const viaCompatible: Models = {
  chat: (lane) => compatible(lane, lane.headers).chatModel("auto"),
  embedding: (lane) => compatible(lane, lane.embedHeaders).embeddingModel("auto"),
};

export function aiSdkAdapter(name: string, models: Models, structured: "generateObject" | "Output.object"): ClientAdapter {
  return {
    name,
    async chat(lane) {
      const { text } = await generateText({ model: models.chat(lane), prompt: PROMPT, maxRetries: 0 });
      return text;
    },
    async stream(lane) {
      const result = streamText({ model: models.chat(lane), prompt: PROMPT, maxRetries: 0, onError: () => {} });
      let text = "";
      for await (const piece of result.textStream) text += piece;
      const usage = await result.usage;
      return { text, usage: { prompt: usage.inputTokens ?? -1, completion: usage.outputTokens ?? -1 } };
    },
    async tools(lane) {
      const result = await generateText({
        model: models.chat(lane),
        prompt: TOOL_PROMPT,
        maxRetries: 0,
        tools: { [LOOKUP.name]: tool({ description: LOOKUP.description, inputSchema: LookupArgs, execute: async () => TOOL_RESULT }) },
        // A forced call first, then the model answers the result (a forced choice would call again).
        prepareStep: ({ stepNumber }) => ({ toolChoice: stepNumber === 0 ? "required" : "auto" }),
        stopWhen: stepCountIs(2),
      });
      const call = result.steps[0]?.toolCalls[0];
      if (!call) throw new Error("no tool call in the first step");
      return { call: { name: call.toolName, args: call.input }, final: result.text };
    },
    async structured(lane) {
      if (structured === "generateObject") {
        const { object } = await generateObject({ model: models.chat(lane), schema: Verdict, schemaName: "verdict", prompt: PROMPT, maxRetries: 0 });
        return object;
      }
      const { output } = await generateText({ model: models.chat(lane), output: Output.object({ schema: Verdict, name: "verdict" }), prompt: PROMPT, maxRetries: 0 });
      return output;
    },
    async image(lane) {
      const { text } = await generateText({
        model: models.chat(lane),
        maxRetries: 0,
        messages: [{ role: "user", content: [{ type: "text", text: IMAGE_PROMPT }, { type: "image", image: Buffer.from(PNG_BASE64, "base64"), mediaType: "image/png" }] }],
      });
      return text;
    },
    async embeddings(lane) {
      const { embeddings } = await embedMany({ model: models.embedding(lane), values: EMBED_INPUTS, maxRetries: 0 });
      return embeddings;
    },
    failure(err) {
      if (APICallError.isInstance(err)) return { status: err.statusCode, message: err.message };
      return { status: undefined, message: err instanceof Error ? err.message : String(err) };
    },
  };
}

export const aiSdkOpenAI = aiSdkAdapter("ai-sdk/openai", viaOpenAI, "generateObject");
export const aiSdkCompatible = aiSdkAdapter("ai-sdk/openai-compatible", viaCompatible, "Output.object");
