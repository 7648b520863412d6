import { invalidAnswerError } from "@/lib/providers/errors";
import { embeddingItems, embeddingListBody, base64ToFloats, inputCount, mapEmbeddingUsage } from "@/lib/providers/embeddings-shape";
import {
  embeddedError,
  exchangeJson,
  resolveEndpoint,
  serialise,
  type OpenAICompatibleOptions,
  type PreparedCall,
} from "@/lib/providers/openai-compatible/request";
import type { EmbeddingRequest, EmbeddingResult, ProviderTarget } from "@/lib/providers/types";

/**
 * POST {base}/embeddings for the OpenAI-compatible family over the same keep-alive pool and key
 * handling as chat: the caller's body goes upstream with `model` set (through the provider's
 * mapping, e.g. Mistral's), and OpenAI's answer comes back as received. A provider that only
 * answers floats is asked for floats and its vectors are encoded to base64 here when the caller
 * asked for base64 (the openai SDK does by default).
 */
export async function embedCompatible(
  options: OpenAICompatibleOptions,
  target: ProviderTarget,
  request: EmbeddingRequest,
  signal: AbortSignal,
): Promise<EmbeddingResult> {
  const endpoint = resolveEndpoint(options, target);
  const wanted = request.encoding_format === "base64" ? "base64" : "float";
  const floatsOnly = options.embeddings?.floatsOnly === true;
  let body: Record<string, unknown> = { ...request, model: target.modelCode };
  if (floatsOnly) delete body.encoding_format;
  if (options.embeddings?.mapRequest) body = options.embeddings.mapRequest(body);
  const call: PreparedCall = {
    pool: endpoint.pool,
    path: `${endpoint.prefix}/embeddings${endpoint.search}`,
    headers: endpoint.headers,
    body: serialise(body, options.label),
    apiKey: target.apiKey,
  };
  const { answer, text } = await exchangeJson(call, target.timeoutMs, signal);
  if (!Array.isArray(answer.data) && answer.error) throw embeddedError(answer, call.apiKey);
  const items = embeddingItems(answer, inputCount(request.input));
  if (!items) throw invalidAnswerError("the embeddings response has no data item per input");
  const usage = mapEmbeddingUsage(answer.usage);
  const modelVersion = typeof answer.model === "string" ? answer.model : null;
  const needsEncoding = items.some((item) => (wanted === "base64") !== (typeof item.embedding === "string"));
  if (!needsEncoding) return { usage, modelVersion, body: answer, rawBody: text };
  // The provider answered in another encoding: re-encode, in index order, as the caller asked.
  const vectors = [...items].sort((a, b) => a.index - b.index).map((item) => (typeof item.embedding === "string" ? base64ToFloats(item.embedding) : item.embedding));
  const rebuilt = embeddingListBody(vectors, { model: modelVersion ?? target.modelCode, usage, encoding: wanted });
  return { usage, modelVersion, body: answer.usage === undefined ? rebuilt : { ...rebuilt, usage: answer.usage } };
}
