import { generateSchema } from "@/lib/schemas/llm-request";
import type { ChatMessage, ChatRequest } from "@/lib/providers/types";
import { readJson } from "../body";
import { complete } from "../complete";
import { newContext, readMetadata } from "../context";
import { GatewayCall } from "../call";
import { toGatewayError } from "../errors";
import { route } from "../execute";
import { authenticateKey } from "../keys";
import { metrics } from "../metrics";
import { runtime } from "../runtime";
import { admitRecording } from "./admission";
import { openStream } from "../stream";
import { queryTextOf, routingHeaders, sseResponse, usageJson } from "./shared";
import { Reply, type GatewayAnswer, type GatewayRequest } from "../wire";

const ROUTE = "generate";

/**
 * POST /api/llm/generate: the native form. Returns the text with model, provider, usage, exact
 * cost with currency and pricing source, the routing decision (its trace with explain: true) and
 * the request_id to send feedback for. With stream: true, SSE events `delta` then `done`.
 */
export async function handleGenerate(request: GatewayRequest): Promise<GatewayAnswer> {
  const started = performance.now();
  const rt = runtime();
  const call = new GatewayCall(rt);
  try {
    admitRecording(rt);
    const state = await rt.config.get();
    const key = authenticateKey(state, request.headers, "llm");
    await call.admit(state.snapshot, key);
    rt.config.touchKey(key.id);
    const body = await readJson(request, generateSchema);
    call.streamed = body.stream === true;
    const metadata = readMetadata({ ...body.metadata, organization: body.organization_id ?? body.organization }, request.headers);
    const ctx = newContext(state.snapshot, key, { action: body.action, explicitModel: null, metadata, requestId: call.requestId });
    call.ctx = ctx;
    ctx.signal = request.signal;
    const messages: ChatMessage[] = [
      ...(body.system ? [{ role: "system" as const, content: body.system }] : []),
      ...((body.messages as ChatMessage[] | undefined) ?? [{ role: "user" as const, content: body.prompt ?? "" }]),
    ];
    const chat: ChatRequest = { messages, ...body.params };
    const decision = await route(rt, state.snapshot, ctx, queryTextOf(messages), chat);
    call.trace = decision.trace;
    const routing = (source: string, attempts: number) => ({
      source,
      config_id: decision.configId,
      query_pattern: decision.queryPattern,
      attempts,
      ...(body.explain ? { trace: decision.trace } : {}),
    });

    if (body.stream) {
      const s = await openStream(rt, state.snapshot, ctx, decision, chat);
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
      return call.respond(sseResponse(events(), routingHeaders(ctx, decision, s.target.provider.code, s.target.model.modelCode, s.target.source)));
    }

    const done = await complete(rt, state.snapshot, ctx, decision, chat);
    const total = performance.now() - started;
    metrics().latency.observe({ route: ROUTE, status: "200" }, total);
    metrics().overhead.observe({ route: ROUTE }, Math.max(0, total - done.upstreamMs));
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
    return call.respond(Reply.json(payload, {
      headers: routingHeaders(ctx, decision, done.target.provider.code, done.target.model.modelCode, done.target.source),
    }));
  } catch (err) {
    const e = toGatewayError(err);
    metrics().errors.inc({ route: ROUTE, type: e.type });
    return call.fail(e);
  } finally {
    call.end();
  }
}
