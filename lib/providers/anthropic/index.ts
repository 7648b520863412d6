import { createAnthropic } from "@ai-sdk/anthropic";
import { createAiSdkAdapter } from "@/lib/providers/ai-sdk/adapter";
import { anthropicStreamError } from "@/lib/providers/anthropic/errors";
import { anthropicFinishReason, anthropicPartOptions, anthropicProviderOptions } from "@/lib/providers/anthropic/request";
import { samplingGuard } from "@/lib/providers/anthropic/sampling";
import { anthropicPartialUsage, anthropicUsageDetails } from "@/lib/providers/anthropic/usage";
import { normaliseBaseUrl, pooledFetch } from "@/lib/providers/http/pool";

/**
 * Anthropic Messages API through @ai-sdk/anthropic. Usage: the SDK reports input tokens as
 * input + cache reads + cache writes (Anthropic counts them apart), cache reads as
 * cacheReadTokens and cache writes (cache_creation_input_tokens) as cacheWriteTokens, i.e. the
 * OpenAI convention that cached tokens are a subset of the prompt; writes are a second, disjoint
 * subset, priced at the cache-write price (lib/engine/price.ts), never counted twice.
 */
const DEFAULT_BASE_URL = "https://api.anthropic.com/v1";

export const anthropicAdapter = createAiSdkAdapter({
  label: "anthropic",
  model: (target, request) =>
    createAnthropic({
      apiKey: target.apiKey ?? undefined,
      baseURL: normaliseBaseUrl(target.baseUrl ?? DEFAULT_BASE_URL, "/v1"),
      fetch: samplingGuard(pooledFetch, request, target.modelCode),
    })(target.modelCode),
  streamErrorEvent: anthropicStreamError,
  partialUsage: anthropicPartialUsage,
  providerOptions: anthropicProviderOptions,
  partOptions: anthropicPartOptions,
  finishReason: anthropicFinishReason,
  usageDetails: anthropicUsageDetails,
});
