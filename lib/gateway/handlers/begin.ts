import type { z } from "zod";
import type { ConfigSnapshot } from "@/lib/engine/snapshot";
import type { ChatMessage, ChatRequest } from "@/lib/providers/types";
import type { CallMetadata } from "@/lib/schemas/llm-request";
import { readJson } from "../body";
import type { GatewayCall } from "../call";
import type { GatewayKey } from "../config-cache";
import { newContext } from "../context";
import { route, type RoutedCall } from "../execute";
import { authenticateKey } from "../keys";
import type { GatewayRuntime } from "../runtime";
import type { GatewayRequest } from "../wire";
import { admitRecording } from "./admission";
import { queryTextOf } from "./shared";

/**
 * What every LLM-call handler does before it calls a provider, in this order (a call that
 * cannot be recorded, or whose key is refused or over its limits, is answered before its body is
 * read): the recorder accepts calls, the configuration, the key (scope "llm"), admission under
 * the key's limits, the key's last use, the body, the call's context and its route.
 * chat-completions and generate differ only in how their body reads: `shape` says that.
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
}

export async function beginCall<B extends { stream?: boolean }>({
  request,
  rt,
  call,
  schema,
  shape,
}: {
  request: GatewayRequest;
  rt: GatewayRuntime;
  call: GatewayCall;
  schema: z.ZodType<B>;
  shape: (body: B, snapshot: ConfigSnapshot, key: GatewayKey) => CallShape;
}): Promise<BegunCall<B>> {
  admitRecording(rt);
  const state = await rt.config.get();
  const key = authenticateKey(state, request.headers, "llm");
  await call.admit(state.snapshot, key);
  rt.config.touchKey(key.id);
  const body = await readJson(request, schema);
  call.streamed = body.stream === true;
  const { messages, chat, ...input } = shape(body, state.snapshot, key);
  const ctx = newContext(state.snapshot, key, { ...input, requestId: call.requestId });
  call.ctx = ctx;
  ctx.signal = request.signal;
  const decision = await route({ rt, snapshot: state.snapshot, ctx, queryText: queryTextOf(messages), request: chat });
  call.trace = decision.trace;
  return { rt, snapshot: state.snapshot, ctx, decision, body, request: chat };
}
