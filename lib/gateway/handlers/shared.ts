import type { ConfigSnapshot } from "@/lib/engine/snapshot";
import type { ModelKind, RouteTarget, Usage } from "@/lib/engine/types";
import type { ChatMessage } from "@/lib/providers/types";
import type { CallContext } from "../context";
import type { RoutedDecision } from "../execute";
import { GatewayError } from "../errors";
import { isKnownAction } from "../context";
import { findModelByCode, modelKindOf } from "@/lib/engine/snapshot";
import { StreamReply } from "../wire";

/** The text routing classifies: the last user message (text parts joined), capped. */
export function queryTextOf(messages: ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role !== "user") continue;
    if (typeof m.content === "string") return m.content.slice(0, 4000);
    if (Array.isArray(m.content)) {
      return m.content.map((p) => (typeof p.text === "string" ? p.text : "")).join(" ").slice(0, 4000);
    }
  }
  return "";
}

/**
 * OpenAI's `model` field: "auto" routes by metadata.action; an action name of the app routes by
 * that action; anything else is an explicit model, allowed only where the app allows it, and
 * of the route's kind (a chat route refuses an embedding model and the other way round).
 */
export function interpretModel(
  snapshot: ConfigSnapshot,
  appId: string,
  model: string,
  metadataAction: string | undefined,
  kind: ModelKind = "chat",
): { action: string | null; explicitModel: string | null } {
  if (model === "auto") return { action: metadataAction ?? null, explicitModel: null };
  if (/^[a-z][a-z0-9_.-]*$/.test(model) && snapshot.configsByAppAction.has(`${appId}\u0000${model}`)) {
    return { action: model, explicitModel: null };
  }
  const app = snapshot.appsById.get(appId);
  if (!app?.allowExplicitModels) {
    throw new GatewayError(
      400,
      "invalid_request_error",
      `Unknown model or action "${model}". Send "auto" with metadata.action, or one of this app's action names (GET /api/llm/v1/models).`, { param: "model" },
    );
  }
  const found = findModelByCode(snapshot, model);
  if (!found) throw new GatewayError(400, "invalid_request_error", `Unknown model "${model}".`, { param: "model" });
  if (modelKindOf(found) !== kind) throw new GatewayError(400, "invalid_request_error", wrongKind(model, kind), { param: "model" });
  return { action: metadataAction ?? null, explicitModel: model };
}

/** Why a model of the other kind cannot serve this route. */
function wrongKind(model: string, wanted: ModelKind): string {
  return wanted === "chat"
    ? `Model "${model}" is an embedding model; it cannot answer chat. Call POST /api/llm/v1/embeddings with it.`
    : `Model "${model}" is a chat model, not an embedding model; POST /api/llm/v1/embeddings needs an embedding model (or an action routed to one).`;
}

export { isKnownAction };

/** The headers naming where a call went: the target that answered (or is streaming). */
export function routingHeaders(ctx: CallContext, decision: RoutedDecision, target: RouteTarget): Record<string, string> {
  return {
    "x-request-id": ctx.requestId,
    "x-llm-provider": target.provider.code,
    "x-llm-model": target.model.modelCode,
    "x-llm-routing-source": target.source,
    "x-llm-query-pattern": decision.queryPattern,
  };
}

export function usageJson(u: Usage | null) {
  if (!u) return null;
  return {
    prompt_tokens: u.promptTokens,
    completion_tokens: u.completionTokens,
    cached_tokens: u.cachedTokens,
    cache_write_tokens: u.cacheWriteTokens ?? null,
    reasoning_tokens: u.reasoningTokens,
    total_tokens: u.totalTokens ?? (u.promptTokens !== null && u.completionTokens !== null ? u.promptTokens + u.completionTokens : null),
  };
}

/** A text/event-stream answer from an async source of SSE `data:` payloads. */
export function sseResponse(source: AsyncGenerator<string>, headers: Record<string, string>): StreamReply {
  return StreamReply.framed(200, { ...SSE_HEADERS, ...headers }, source, (data) => `data: ${data}\n\n`);
}

const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", connection: "keep-alive" };

/** A named server-sent event, as the Responses and Anthropic Messages APIs send them. */
export interface NamedEvent {
  event: string;
  data: unknown;
}

/** A text/event-stream of named events (`event:` and `data:` lines, which both SDKs read). */
export function namedEventResponse(source: AsyncGenerator<NamedEvent>, headers: Record<string, string>): StreamReply {
  return StreamReply.framed(200, { ...SSE_HEADERS, ...headers }, source, (e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
}
