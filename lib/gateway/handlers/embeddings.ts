import { embeddingInputs, embeddingsSchema } from "@/lib/schemas/embeddings-request";
import type { ChatMessage, EmbeddingRequest } from "@/lib/providers/types";
import { GatewayCall } from "../call";
import { readMetadata } from "../context";
import { embed } from "../embed";
import { runtime } from "../runtime";
import { Reply, type GatewayAnswer, type GatewayRequest } from "../wire";
import { beginCall, failCall, observeAnswered } from "./begin";
import { interpretModel, routingHeaders } from "./shared";

const ROUTE = "embeddings";

/**
 * POST /api/llm/v1/embeddings: OpenAI's embeddings wire format behind the same key, limits,
 * budget, routing (an embedding model code where the app allows explicit models, or an action
 * routed to an embedding model), fallbacks and recording as chat. The call is recorded with
 * request_type "embedding" unless the caller names another (metadata or x-llm-request-type).
 */
export async function handleEmbeddings(request: GatewayRequest): Promise<GatewayAnswer> {
  const started = performance.now();
  const call = new GatewayCall(runtime());
  try {
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
    const { body, ctx, decision } = routed;
    const embedding: EmbeddingRequest = { input: body.input };
    if (body.encoding_format !== undefined) embedding.encoding_format = body.encoding_format;
    if (body.dimensions !== undefined) embedding.dimensions = body.dimensions;
    if (body.user !== undefined) embedding.user = body.user;
    const done = await embed({ ...routed, request: embedding });
    observeAnswered(ROUTE, started, done.upstreamMs);
    const headers: Record<string, string> = { "content-type": "application/json", ...routingHeaders(ctx, decision, done.target) };
    if (done.cost !== null && done.currency) {
      headers["x-llm-cost"] = done.cost;
      headers["x-llm-currency"] = done.currency;
    }
    return call.respond(new Reply(200, headers, done.result.rawBody ?? JSON.stringify(done.result.body)));
  } catch (err) {
    return failCall(call, err, { route: ROUTE, started });
  } finally {
    call.end();
  }
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
