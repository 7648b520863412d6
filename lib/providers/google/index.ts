import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { createAiSdkAdapter } from "@/lib/providers/ai-sdk/adapter";
import { normaliseBaseUrl, pooledFetch } from "@/lib/providers/http/pool";

/**
 * Gemini (generateContent / streamGenerateContent?alt=sse) through @ai-sdk/google. Usage:
 * promptTokenCount includes cachedContentTokenCount (→ cachedTokens) and the SDK adds
 * thoughtsTokenCount to the output tokens (→ reasoningTokens), matching OpenAI's convention.
 * Mid-stream `{ error }` payloads arrive as APICallErrors with Gemini's code as status.
 */
const DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";

export const googleAdapter = createAiSdkAdapter({
  label: "google",
  model: (target) =>
    createGoogleGenerativeAI({
      apiKey: target.apiKey ?? undefined,
      baseURL: normaliseBaseUrl(target.baseUrl ?? DEFAULT_BASE_URL, "/v1beta"),
      fetch: pooledFetch,
    })(target.modelCode),
  // The package reports the requested id; Gemini names the serving version in each response.
  modelVersion: (raw) => {
    const v = typeof raw === "object" && raw !== null ? (raw as { modelVersion?: unknown }).modelVersion : undefined;
    return typeof v === "string" && v ? v : null;
  },
});
