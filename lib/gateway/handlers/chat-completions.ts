import { chatCompletionSchema } from "@/lib/schemas/llm-request";
import { complete } from "../complete";
import { readMetadata } from "../context";
import { GatewayCall } from "../call";
import { runtime } from "../runtime";
import { openStream } from "../stream";
import { Reply, type GatewayAnswer, type GatewayRequest } from "../wire";
import { beginCall, failCall, observeAnswered } from "./begin";
import { interpretModel, routingHeaders, sseResponse } from "./shared";

const ROUTE = "chat_completions";

/** POST /api/llm/v1/chat/completions: OpenAI's wire format, routed by the control plane. */
export async function handleChatCompletions(request: GatewayRequest): Promise<GatewayAnswer> {
  const started = performance.now();
  const call = new GatewayCall(runtime());
  try {
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
      const s = await openStream(routed);
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
      return call.respond(sseResponse(payloads(), headers));
    }

    const done = await complete(routed);
    observeAnswered(ROUTE, started, done.upstreamMs);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      ...routingHeaders(ctx, decision, done.target),
    };
    if (done.cost !== null && done.currency) {
      headers["x-llm-cost"] = done.cost;
      headers["x-llm-currency"] = done.currency;
    }
    // OpenAI-compatible upstreams' bytes go back as received; other providers' mapped body is serialised.
    return call.respond(new Reply(200, headers, done.result.rawBody ?? JSON.stringify(done.result.body)));
  } catch (err) {
    return failCall(call, err, { route: ROUTE, started });
  } finally {
    call.end();
  }
}
