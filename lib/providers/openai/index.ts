import { createOpenAICompatibleAdapter } from "@/lib/providers/openai-compatible/base";
import { withoutCacheHints } from "@/lib/providers/openai-compatible/cache-hints";

/** OpenAI itself: the base as is, without Anthropic's cache_control hints (OpenAI caches on its own). */
export const openaiAdapter = createOpenAICompatibleAdapter({
  label: "openai",
  defaultBaseUrl: "https://api.openai.com/v1",
  defaultPath: "/v1",
  requiresKey: true,
  mapRequest: withoutCacheHints,
});
