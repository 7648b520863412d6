import { embeddingInputs, embeddingsSchema } from "@/lib/schemas/embeddings-request";
import type { ChatMessage, EmbeddingRequest } from "@/lib/providers/types";
import { readMetadata } from "../context";
import { embed } from "../embed";
import type { GatewayAnswer, GatewayRequest } from "../wire";
import { beginCall, observeAnswered, pricedReply, runCall } from "./begin";
import { interpretModel } from "./shared";

const ROUTE = "embeddings";

/**
 * POST /api/llm/v1/embeddings: OpenAI's embeddings wire format behind the same key, limits,
 * budget, routing (an embedding model code where the app allows explicit models, or an action
 * routed to an embedding model), fallbacks and recording as chat. The call is recorded with
 * request_type "embedding" unless the caller names another (metadata or x-llm-request-type).
 */
export function handleEmbeddings(request: GatewayRequest): Promise<GatewayAnswer> {
  return runCall(ROUTE, async (call, started) => {
    const routed = await beginCall(call, request, {
      schema: embeddingsSchema,
      modelKind: "embedding",
      shape: (body, snapshot, key) => {
        const metadata = readMetadata(body.metadata, request.headers);
        const { action, explicitModel } = interpretModel(snapshot, key.appId, body.model, metadata.action, "embedding");
        const messages = estimateMessages(body.input);
        return {
          action,
          explicitModel,
          metadata: { ...metadata, request_type: metadata.request_type ?? "embedding", user_id: metadata.user_id ?? body.user },
          messages,
          chat: { messages },
        };
      },
    });
    const { body } = routed;
    const embedding: EmbeddingRequest = { input: body.input };
    if (body.encoding_format !== undefined) embedding.encoding_format = body.encoding_format;
    if (body.dimensions !== undefined) embedding.dimensions = body.dimensions;
    if (body.user !== undefined) embedding.user = body.user;
    const done = await embed({ ...routed, request: embedding });
    observeAnswered(ROUTE, started, done.upstreamMs);
    return call.respond(pricedReply(routed, done, done.result.rawBody ?? JSON.stringify(done.result.body)));
  });
}

/**
 * The input as one user message: what routing classifies (the first text) and what the budget
 * reservation is estimated from (all of it; a token array by its JSON, which overestimates).
 */
function estimateMessages(input: EmbeddingRequest["input"]): ChatMessage[] {
  const items = embeddingInputs(input);
  const text = items.map((item) => (typeof item === "string" ? item : JSON.stringify(item))).join("\n");
  return [{ role: "user", content: text }];
}
