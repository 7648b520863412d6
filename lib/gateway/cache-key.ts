import { createHash } from "node:crypto";
import type { RouteTarget } from "@/lib/engine/types";
import type { ChatRequest } from "@/lib/providers/types";

/**
 * The response cache's key (issue 13): a SHA-256 of the normalised request, the resolved model
 * choice, the app and the organization. Two calls share an entry only when everything that
 * changes the answer is the same and they come from the same app for the same organization: an
 * organization never receives another organization's answer, whatever it sends.
 *
 * Normalised = the request as it goes upstream (the route's params filled in, execute.ts
 * upstreamRequest), in canonical JSON (object keys sorted at every depth, array order kept), less
 * the fields that identify or label a call without changing its answer.
 */

/** Fields that label a call (who, for what, how it is delivered) but never change the answer. */
const NOT_IN_KEY: ReadonlySet<string> = new Set([
  "model", // replaced by the resolved provider + model
  "metadata",
  "user",
  "safety_identifier",
  "prompt_cache_key",
  "store",
  "stream",
  "stream_options", // a stream's usage chunk is sent (or not) at replay
]);

export interface CacheKeyInput {
  appId: string;
  organizationId: string | null;
  /** The resolved model choice: the route's primary target (after routing and overrides). */
  target: Pick<RouteTarget, "provider" | "model">;
  /** Streams and JSON answers are stored apart: each is replayed in its own form. */
  streamed: boolean;
  /** Which dialect's request this is (chat; embeddings…): different requests never collide. */
  kind: string;
  /** The request as it goes upstream. */
  request: ChatRequest | Record<string, unknown>;
}

/** JSON with object keys sorted at every depth; undefined members left out (as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(record).sort()) {
    const v = record[k];
    if (v === undefined || typeof v === "function") continue;
    parts.push(`${JSON.stringify(k)}:${canonicalJson(v)}`);
  }
  return `{${parts.join(",")}}`;
}

/** The request fields that decide the answer (null members dropped: null means "not set" upstream). */
export function answerFields(request: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(request)) if (!NOT_IN_KEY.has(k) && v !== undefined && v !== null) out[k] = v;
  return out;
}

/** The 64-hex-digit key of a request for an app and organization. */
export function cacheKey(input: CacheKeyInput): string {
  const identity = {
    v: 1,
    kind: input.kind,
    app: input.appId,
    organization: input.organizationId ?? "",
    provider: input.target.provider.code,
    model: input.target.model.modelCode,
    streamed: input.streamed,
    request: answerFields(input.request as Record<string, unknown>),
  };
  return createHash("sha256").update(canonicalJson(identity)).digest("hex");
}
