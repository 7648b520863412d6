import { createOpenAICompatibleAdapter } from "@/lib/providers/openai-compatible/base";

/** OpenAI itself: the base as is. */
export const openaiAdapter = createOpenAICompatibleAdapter({
  label: "openai",
  defaultBaseUrl: "https://api.openai.com/v1",
  defaultPath: "/v1",
  requiresKey: true,
});
