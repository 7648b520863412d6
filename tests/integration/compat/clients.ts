import { aiSdkCompatible, aiSdkOpenAI } from "./client-ai-sdk";
import { anthropicSdk } from "./client-anthropic";
import { langchain } from "./client-langchain";
import { openaiSdk } from "./client-openai";
import { aiSdkResponses, openaiResponses } from "./client-responses";
import type { ClientAdapter } from "./inputs";

/**
 * The matrix's clients (rows). Each is an adapter with the same feature functions (inputs.ts);
 * a feature it lacks has no cells.
 */
export const CLIENTS: readonly ClientAdapter[] = [
  openaiSdk,
  aiSdkOpenAI,
  aiSdkCompatible,
  langchain,
  // The Responses API (openai `responses.*`, the AI SDK's default `createOpenAI(...)(model)`) and
  // the Anthropic Messages API (`@anthropic-ai/sdk` `messages.*`).
  openaiResponses,
  aiSdkResponses,
  anthropicSdk,
];
