import { createOpenAICompatibleAdapter } from "@/lib/providers/openai-compatible/base";

/**
 * Self-hosted OpenAI-compatible servers (Ollama, vLLM, LM Studio, llama.cpp): base_url is
 * required and a key is optional (sent as a Bearer token only when one is configured).
 */
export const openaiCompatibleAdapter = createOpenAICompatibleAdapter({
  label: "openai_compatible",
  defaultBaseUrl: null,
  defaultPath: "/v1",
  requiresKey: false,
});
