import type { z } from "zod";
import type { ConfigSnapshot } from "@/lib/engine/snapshot";
import type { ModelKind, RouteTarget } from "@/lib/engine/types";
import type { ChatMessage, ChatRequest } from "@/lib/providers/types";
import type { CallMetadata } from "@/lib/schemas/llm-request";
import { readJson } from "../body";
import { GatewayCall } from "../call";
import { toGatewayError } from "../errors";
import type { GatewayKey } from "../config-cache";
import { newContext } from "../context";
import { peekCache, type CachePeek } from "../cache";
import { route, type RoutedCall, type RoutedDecision } from "../execute";
import { authenticateKey } from "../keys";
import { metrics } from "../metrics";
import { runtime } from "../runtime";
import { Reply, type GatewayAnswer, type GatewayRequest } from "../wire";
import { admitRecording } from "./admission";
import { queryTextOf, routingHeaders } from "./shared";

/**
 * What every LLM-call handler does before it calls a provider, in this order (a call that
 * cannot be recorded, or whose key is refused or over its limits, is answered before its body is
 * read): the recorder accepts calls, the configuration, the key (scope "llm"), admission under
 * the key's limits, the key's last use, the body, the call's context and its route.
 * chat-completions, generate and embeddings differ only in how their body reads (`shape`) and
 * the kind of model they call (`modelKind`).
 */

/** What a handler reads from its body: the call's action, model and metadata, and the chat to send. */
export interface CallShape {
  action: string | null;
  explicitModel: string | null;
  metadata: CallMetadata;
  /** The messages routing classifies (the last user message). */
  messages: ChatMessage[];
  chat: ChatRequest;
}

export interface BegunCall<B> extends RoutedCall {
  body: B;
  /** The chat sent on (complete() and openStream() take it as `request`). */
  request: ChatRequest;
  /** The caller's Cache-Control header: no-cache / no-store bypass the response cache (cache.ts). */
  cacheControl: string | null;
  /** The response cache's lookup, made while routing (cache.ts peekCache). */
  peeked?: CachePeek;
}

export async function beginCall<B extends object>(
  call: GatewayCall,
  request: GatewayRequest,
  { schema, shape, modelKind = "chat" }: {
    schema: z.ZodType<B>;
    shape: (body: B, snapshot: ConfigSnapshot, key: GatewayKey) => CallShape;
    /** The kind of model the route calls (embeddings: "embedding"). */
    modelKind?: ModelKind;
  },
): Promise<BegunCall<B>> {
  const rt = call.rt;
  admitRecording(rt);
  const state = await rt.config.get();
  const key = authenticateKey(state, request.headers, "llm");
  await call.admit(state.snapshot, key);
  rt.config.touchKey(key.id);
  const body = await readJson(request, schema);
  call.streamed = (body as { stream?: unknown }).stream === true;
  const { messages, chat, ...input } = shape(body, state.snapshot, key);
  const ctx = newContext(state.snapshot, key, { ...input, requestId: call.requestId });
  call.ctx = ctx;
  ctx.signal = request.signal;
  const cacheControl = request.headers.get("cache-control");
  // Chat routes look the response cache up before any budget is admitted (a hit spends nothing).
  let peeked: CachePeek | undefined;
  const peek = modelKind === "chat" && rt.cache
    ? async (decision: RoutedDecision) => {
      peeked = await peekCache({ rt, snapshot: state.snapshot, ctx, decision, request: chat, cacheControl }, call.streamed);
      return peeked.hit !== null;
    }
    : undefined;
  const decision = await route({ rt, snapshot: state.snapshot, ctx, queryText: queryTextOf(messages), request: chat, modelKind, peek });
  call.trace = decision.trace;
  return { rt, snapshot: state.snapshot, ctx, decision, body, request: chat, cacheControl, peeked };
}

/** A call answered 200: its latency, and the gateway's own share of it (total minus the upstream's time). */
export function observeAnswered(route: string, started: number, upstreamMs: number): void {
  const m = metrics();
  const total = performance.now() - started;
  m.latency.observe({ route, status: "200" }, total);
  m.overhead.observe({ route }, Math.max(0, total - upstreamMs));
}

/**
 * A call that failed: counted by error type, then answered with the error. With `started`, its
 * latency is observed too (chat completions time their failures; generate does not).
 */
export function failCall(call: GatewayCall, err: unknown, { route, started }: { route: string; started?: number }): GatewayAnswer {
  const e = toGatewayError(err);
  metrics().errors.inc({ route, type: e.type });
  if (started !== undefined) metrics().latency.observe({ route, status: String(e.status) }, performance.now() - started);
  return call.fail(e);
}

/**
 * Runs a handler with its GatewayCall: whatever it throws becomes the call's error answer
 * (failCall; `timeFailures: false` for routes that do not time their failures), and the call's
 * concurrency slot is released when it returns, unless a stream took the slot over.
 */
export async function runCall(
  route: string,
  run: (call: GatewayCall, started: number) => Promise<GatewayAnswer>,
  { timeFailures = true }: { timeFailures?: boolean } = {},
): Promise<GatewayAnswer> {
  const started = performance.now();
  const call = new GatewayCall(runtime());
  try {
    return await run(call, started);
  } catch (err) {
    return failCall(call, err, { route, started: timeFailures ? started : undefined });
  } finally {
    call.end();
  }
}

/** A 200 JSON answer of a provider call: the routing headers, and its exact cost when it was priced. */
export function pricedReply(
  routed: Pick<RoutedCall, "ctx" | "decision">,
  done: { target: RouteTarget; cost: string | null; currency: string | null },
  body: string,
): Reply {
  const headers: Record<string, string> = { "content-type": "application/json", ...routingHeaders(routed.ctx, routed.decision, done.target) };
  if (done.cost !== null && done.currency) {
    headers["x-llm-cost"] = done.cost;
    headers["x-llm-currency"] = done.currency;
  }
  return new Reply(200, headers, body);
}
