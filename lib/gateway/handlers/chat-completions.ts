import { chatCompletionSchema } from "@/lib/schemas/llm-request";
import type { ChatRequest } from "@/lib/providers/types";
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
import { Reply, type GatewayAnswer, type GatewayRequest } from "../wire";
import { interpretModel, queryTextOf, routingHeaders, sseResponse } from "./shared";

const ROUTE = "chat_completions";

/** POST /api/llm/v1/chat/completions: OpenAI's wire format, routed by the control plane. */
export async function handleChatCompletions(request: GatewayRequest): Promise<GatewayAnswer> {
  const started = performance.now();
  const rt = runtime();
  const call = new GatewayCall(rt);
  try {
    admitRecording(rt);
    const state = await rt.config.get();
    const key = authenticateKey(state, request.headers, "llm");
    await call.admit(state.snapshot, key);
    rt.config.touchKey(key.id);
    const body = await readJson(request, chatCompletionSchema);
    call.streamed = body.stream === true;
    const metadata = readMetadata(body.metadata, request.headers);
    const { action, explicitModel } = interpretModel(state.snapshot, key.appId, body.model, metadata.action);
    const ctx = newContext(state.snapshot, key, {
      action,
      explicitModel,
      metadata: { ...metadata, user_id: metadata.user_id ?? body.user },
      requestId: call.requestId,
    });
    call.ctx = ctx;
    ctx.signal = request.signal;
    const messages = body.messages as ChatRequest["messages"];
    const chat = body as ChatRequest;
    const decision = await route(rt, state.snapshot, ctx, queryTextOf(messages), chat);
    call.trace = decision.trace;

    if (body.stream) {
      const s = await openStream(rt, state.snapshot, ctx, decision, chat);
      const includeUsage = body.stream_options?.include_usage === true;
      async function* payloads(): AsyncGenerator<string> {
        for await (const frame of s.frames) {
          if (frame.kind === "chunk") yield frame.raw ?? JSON.stringify(frame.data);
          else if (frame.kind === "error") return yield JSON.stringify(frame.data);
          else if (includeUsage && frame.data) yield JSON.stringify(frame.data);
        }
        yield "[DONE]";
      }
      const headers = routingHeaders(ctx, decision, s.target.provider.code, s.target.model.modelCode, s.target.source);
      return call.respond(sseResponse(payloads(), headers));
    }

    const done = await complete(rt, state.snapshot, ctx, decision, chat);
    const m = metrics();
    const total = performance.now() - started;
    m.latency.observe({ route: ROUTE, status: "200" }, total);
    m.overhead.observe({ route: ROUTE }, Math.max(0, total - done.upstreamMs));
    const headers: Record<string, string> = {
      "content-type": "application/json",
      ...routingHeaders(ctx, decision, done.target.provider.code, done.target.model.modelCode, done.target.source),
    };
    if (done.cost !== null && done.currency) {
      headers["x-llm-cost"] = done.cost;
      headers["x-llm-currency"] = done.currency;
    }
    // OpenAI-compatible upstreams' bytes go back as received; other providers' mapped body is serialised.
    return call.respond(new Reply(200, headers, done.result.rawBody ?? JSON.stringify(done.result.body)));
  } catch (err) {
    const e = toGatewayError(err);
    metrics().errors.inc({ route: ROUTE, type: e.type });
    metrics().latency.observe({ route: ROUTE, status: String(e.status) }, performance.now() - started);
    return call.fail(e);
  } finally {
    call.end();
  }
}
