import { localRequestError } from "@/lib/providers/errors";
import { createOpenAICompatibleAdapter } from "@/lib/providers/openai-compatible/base";
import { MISTRAL_FINISH_REASONS } from "@/lib/providers/openai-compatible/finish-reasons";
import { withoutCacheHints } from "@/lib/providers/openai-compatible/cache-hints";

/**
 * Mistral's chat API is OpenAI-shaped but validates strictly: unknown fields are a 422
 * ("extra_forbidden"). It rejects `stream_options` (and always sends usage on the last chunk
 * anyway), names the seed `random_seed`, and knows only `max_tokens`; `cache_control` hints are
 * taken out (Mistral caches on its own; cache-hints.ts).
 */
const UNSUPPORTED = ["stream_options", "user", "store", "metadata", "service_tier", "logit_bias", "logprobs", "top_logprobs"];

export function mistralRequest(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...withoutCacheHints(body) };
  for (const key of UNSUPPORTED) delete out[key];
  if (out.max_completion_tokens !== undefined) {
    out.max_tokens ??= out.max_completion_tokens;
    delete out.max_completion_tokens;
  }
  if (out.seed !== undefined) {
    out.random_seed ??= out.seed;
    delete out.seed;
  }
  return out;
}

/**
 * Mistral's embeddings request (POST /v1/embeddings): `input` is a string or strings (no token
 * arrays: refused with a 400 naming `input`), the size is `output_dimension`, and `user` is the
 * gateway's own (the call's user reference). It is asked for floats; the adapter encodes base64.
 */
export function mistralEmbeddingRequest(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  const input = out.input;
  const tokens = Array.isArray(input) && input.some((item) => typeof item !== "string");
  if (tokens) throw localRequestError('the mistral provider takes "input" as text only, not token arrays');
  delete out.user;
  if (out.dimensions !== undefined) {
    out.output_dimension = out.dimensions;
    delete out.dimensions;
  }
  return out;
}

export const mistralAdapter = createOpenAICompatibleAdapter({
  label: "mistral",
  defaultBaseUrl: "https://api.mistral.ai/v1",
  defaultPath: "/v1",
  requiresKey: true,
  finishReasons: MISTRAL_FINISH_REASONS,
  mapRequest: mistralRequest,
  embeddings: { mapRequest: mistralEmbeddingRequest, floatsOnly: true },
});
