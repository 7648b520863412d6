import { responsesRequestSchema } from "@/lib/schemas/responses-request";
import type { GatewayCall } from "../call";
import { completeCached, markCache, openStreamCached } from "../cache";
import { readMetadata } from "../context";
import { inResponsesTerms, toChatRequest } from "../translate/responses-request";
import { toResponseObject } from "../translate/responses-response";
import { responsesEvents, ResponsesStreamTranslator } from "../translate/responses-stream";
import type { GatewayAnswer, GatewayRequest } from "../wire";
import { beginCall, observeAnswered, pricedReply, runCall } from "./begin";
import { interpretModel, namedEventResponse, routingHeaders } from "./shared";

const ROUTE = "responses";

/**
 * POST /api/llm/v1/responses: OpenAI's Responses API, stateless. The request is translated to
 * the gateway's chat form (translate/responses-request.ts) and goes the way of chat completions
 * (same key, limits, budget, routing, rule params, provider allow-lists, fallbacks, pricing and
 * recording, for every provider); the chat answer is translated back into a `response` object or
 * the Responses API's typed stream events. Errors the chat path raises about a chat field name
 * the field as the Responses API calls it.
 */
export function handleResponses(request: GatewayRequest): Promise<GatewayAnswer> {
  return runCall(ROUTE, async (call, started) => {
    try {
      return await answer(request, call, started);
    } catch (err) {
      throw inResponsesTerms(err);
    }
  });
}

async function answer(request: GatewayRequest, call: GatewayCall, started: number): Promise<GatewayAnswer> {
  const routed = await beginCall(call, request, {
    schema: responsesRequestSchema,
    shape: (body, snapshot, key) => {
      const metadata = readMetadata(body.metadata ?? undefined, request.headers);
      const { action, explicitModel } = interpretModel(snapshot, key.appId, body.model, metadata.action);
      const chat = toChatRequest(body);
      return { action, explicitModel, metadata: { ...metadata, user_id: metadata.user_id ?? body.user }, messages: chat.messages, chat };
    },
  });
  const { body, ctx, decision } = routed;
  const ids = { requestId: call.requestId, createdAt: Math.floor(call.receivedAt / 1000) };

  if (body.stream) {
    const s = await openStreamCached(routed);
    const translator = new ResponsesStreamTranslator(ids, body, s.target.model.modelCode);
    return markCache(call.respond(namedEventResponse(responsesEvents(s.frames, translator), routingHeaders(ctx, decision, s.target))), s.cache);
  }

  const done = await completeCached(routed);
  observeAnswered(ROUTE, started, done.upstreamMs);
  const response = toResponseObject(ids, body, done.result.body, done.result.usage, done.target.model.modelCode);
  return markCache(call.respond(pricedReply(routed, done, JSON.stringify(response))), done.cache);
}
