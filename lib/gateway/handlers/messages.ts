import { messagesRequestSchema } from "@/lib/schemas/messages-request";
import { completeCached, markCache, openStreamCached } from "../cache";
import { readMetadata } from "../context";
import { toChatRequest } from "../translate/messages-request";
import { toAnthropicMessage } from "../translate/messages-response";
import { toAnthropicEvents } from "../translate/messages-stream";
import type { GatewayAnswer, GatewayRequest } from "../wire";
import { beginCall, observeAnswered, pricedReply, runCall } from "./begin";
import { interpretModel, namedEventResponse, routingHeaders } from "./shared";

const ROUTE = "messages";

/**
 * POST /api/llm/v1/messages: Anthropic's Messages API, so @anthropic-ai/sdk works with baseURL
 * <origin>/api/llm. The request is translated into the gateway's chat request
 * (translate/messages-request.ts) and goes through the one chat path: routing, limits, budgets,
 * retries, fallbacks across providers of any kind, pricing and recording; the answer comes back
 * as Anthropic's Message or event stream. Errors are in Anthropic's shape (dialect.ts: the path).
 * The key comes as `x-api-key` (the SDK's) or `Authorization: Bearer` (keys.ts); the SDK's
 * `anthropic-version` header is accepted whatever its value.
 */
export function handleMessages(request: GatewayRequest): Promise<GatewayAnswer> {
  return runCall(ROUTE, async (call, started) => {
    const routed = await beginCall(call, request, {
      schema: messagesRequestSchema,
      shape: (body, snapshot, key) => {
        const { user_id: userId, ...routing } = body.metadata ?? {};
        const metadata = readMetadata(routing, request.headers);
        const { action, explicitModel } = interpretModel(snapshot, key.appId, body.model, metadata.action);
        const chat = toChatRequest(body);
        return { action, explicitModel, metadata: { ...metadata, user_id: metadata.user_id ?? userId ?? undefined }, messages: chat.messages, chat };
      },
    });
    const { body, ctx, decision } = routed;

    if (body.stream === true) {
      const s = await openStreamCached(routed);
      const headers = routingHeaders(ctx, decision, s.target);
      return markCache(call.respond(namedEventResponse(toAnthropicEvents(s.frames, s.target.model.modelCode), headers)), s.cache);
    }

    const done = await completeCached(routed);
    observeAnswered(ROUTE, started, done.upstreamMs);
    const message = toAnthropicMessage(done.result.body, done.result.usage, done.result.modelVersion ?? done.target.model.modelCode);
    return markCache(call.respond(pricedReply(routed, done, JSON.stringify(message))), done.cache);
  });
}
