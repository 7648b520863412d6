import { createOpenAICompatibleAdapter } from "@/lib/providers/openai-compatible/base";
import { OPENROUTER_FINISH_REASONS } from "@/lib/providers/openai-compatible/finish-reasons";

/**
 * OpenRouter speaks OpenAI chat completions, reports usage (incl. cached and reasoning tokens)
 * in the OpenAI fields, sends ": OPENROUTER PROCESSING" SSE comments and mid-stream
 * `data: {"error":…}` payloads; the base handles all three. The attribution header names the
 * app in OpenRouter's dashboards.
 */
export const openrouterAdapter = createOpenAICompatibleAdapter({
  label: "openrouter",
  defaultBaseUrl: "https://openrouter.ai/api/v1",
  defaultPath: "/api/v1",
  requiresKey: true,
  finishReasons: OPENROUTER_FINISH_REASONS,
  extraHeaders: { "x-title": "LLM control plane" },
});
