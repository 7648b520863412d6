import { generateSchema } from "@/lib/schemas/llm-request";
import type { ChatMessage } from "@/lib/providers/types";
import { completeCached, markCache, openStreamCached } from "../cache";
import { readMetadata } from "../context";
import { beginCall, observeAnswered, runCall } from "./begin";
import { routingHeaders, sseResponse, usageJson } from "./shared";
import { Reply, type GatewayAnswer, type GatewayRequest } from "../wire";

const ROUTE = "generate";

/**
 * POST /api/llm/generate: the native form. Returns the text with model, provider, usage, exact
 * cost with currency and pricing source, the routing decision (its trace with explain: true) and
 * the request_id to send feedback for. With stream: true, SSE events `delta` then `done`.
 */
export function handleGenerate(request: GatewayRequest): Promise<GatewayAnswer> {
  return runCall(ROUTE, async (call, started) => {
    const routed = await beginCall(call, request, {
      schema: generateSchema,
      shape: (body) => {
        const metadata = readMetadata({ ...body.metadata, organization: body.organization_id ?? body.organization }, request.headers);
        const messages: ChatMessage[] = [
          ...(body.system ? [{ role: "system" as const, content: body.system }] : []),
          ...(body.messages ?? [{ role: "user" as const, content: body.prompt ?? "" }]),
        ];
        return { action: body.action, explicitModel: null, metadata, messages, chat: { messages, ...body.params } };
      },
    });
    const { body, ctx, decision } = routed;
    const routing = (source: string, attempts: number) => ({
      source,
      config_id: decision.configId,
      query_pattern: decision.queryPattern,
      attempts,
      ...(body.explain ? { trace: decision.trace } : {}),
    });

    if (body.stream) {
      const s = await openStreamCached(routed);
      async function* events(): AsyncGenerator<string> {
        for await (const frame of s.frames) {
          if (frame.kind === "chunk") {
            if (frame.text) yield JSON.stringify({ type: "delta", text: frame.text });
          } else if (frame.kind === "error") {
            return yield JSON.stringify({ type: "error", ...frame.data });
          } else {
            yield JSON.stringify({
              type: "done",
              request_id: ctx.requestId,
              model: s.target.model.modelCode,
              provider: s.target.provider.code,
              usage: usageJson(frame.usage),
              cost: frame.pricing.cost,
              currency: frame.pricing.currency,
              pricing_source: frame.pricing.pricingSource,
              routing: routing(s.target.source, s.attempts),
            });
          }
        }
      }
      return markCache(call.respond(sseResponse(events(), routingHeaders(ctx, decision, s.target))), s.cache);
    }

    const done = await completeCached(routed);
    observeAnswered(ROUTE, started, done.upstreamMs);
    const payload = {
      request_id: ctx.requestId,
      text: done.result.text,
      finish_reason: done.result.finishReason,
      model: done.target.model.modelCode,
      model_version: done.result.modelVersion,
      provider: done.target.provider.code,
      organization: ctx.organization?.slug ?? null,
      usage: usageJson(done.result.usage),
      cost: done.cost,
      currency: done.currency,
      pricing_source: done.pricingSource,
      routing: routing(done.target.source, done.attempts),
    };
    return markCache(call.respond(Reply.json(payload, {
      headers: routingHeaders(ctx, decision, done.target),
    })), done.cache);
  }, { timeFailures: false });
}
