import { chatCompletionSchema } from "@/lib/schemas/llm-request";
import { completeCached, markCache, openStreamCached } from "../cache";
import { readMetadata } from "../context";
import type { GatewayAnswer, GatewayRequest } from "../wire";
import { beginCall, observeAnswered, pricedReply, runCall } from "./begin";
import { interpretModel, routingHeaders, sseResponse } from "./shared";

const ROUTE = "chat_completions";

/** POST /api/llm/v1/chat/completions: OpenAI's wire format, routed by the control plane. */
export function handleChatCompletions(request: GatewayRequest): Promise<GatewayAnswer> {
  return runCall(ROUTE, async (call, started) => {
    const routed = await beginCall(call, request, {
      schema: chatCompletionSchema,
      shape: (body, snapshot, key) => {
        const metadata = readMetadata(body.metadata, request.headers);
        const { action, explicitModel } = interpretModel(snapshot, key.appId, body.model, metadata.action);
        return { action, explicitModel, metadata: { ...metadata, user_id: metadata.user_id ?? body.user }, messages: body.messages, chat: body };
      },
    });
    const { body, ctx, decision } = routed;

    if (body.stream) {
      const s = await openStreamCached(routed);
      const includeUsage = body.stream_options?.include_usage === true;
      async function* payloads(): AsyncGenerator<string> {
        for await (const frame of s.frames) {
          if (frame.kind === "chunk") yield frame.raw ?? JSON.stringify(frame.data);
          else if (frame.kind === "error") return yield JSON.stringify(frame.data);
          else if (includeUsage && frame.data) yield JSON.stringify(frame.data);
        }
        yield "[DONE]";
      }
      const headers = routingHeaders(ctx, decision, s.target);
      return markCache(call.respond(sseResponse(payloads(), headers)), s.cache);
    }

    const done = await completeCached(routed);
    observeAnswered(ROUTE, started, done.upstreamMs);
    // OpenAI-compatible upstreams' bytes go back as received; other providers' mapped body is serialised.
    return markCache(call.respond(pricedReply(routed, done, done.result.rawBody ?? JSON.stringify(done.result.body))), done.cache);
  });
}
