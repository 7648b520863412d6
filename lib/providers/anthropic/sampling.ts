import { localRequestError } from "@/lib/providers/errors";
import type { ChatRequest } from "@/lib/providers/types";

/**
 * Newer Claude models reject sampling parameters (temperature, top_p, top_k); @ai-sdk/anthropic
 * knows which and removes them from the request with only a warning, so the caller would get an
 * answer sampled other than it asked. This guard sits in the SDK's fetch, where the body that
 * will be sent is final: a sampling field the caller set that is missing from it is refused with
 * a 400 naming it before anything is sent. It follows the SDK's own model table, so it stays
 * right when the SDK learns new models.
 */
const SAMPLING = ["temperature", "top_p", "top_k"] as const;

type Fetch = typeof globalThis.fetch;

/** The sampling fields the chat request sets (null and undefined are "not set"). */
export function requestedSampling(request: ChatRequest): string[] {
  return SAMPLING.filter((field) => request[field] !== undefined && request[field] !== null);
}

/** The first requested field the outgoing Messages body lacks, or null. */
export function droppedSampling(requested: readonly string[], body: unknown): string | null {
  if (requested.length === 0 || typeof body !== "string") return null;
  let sent: unknown;
  try {
    sent = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof sent !== "object" || sent === null) return null;
  return requested.find((field) => !(field in sent)) ?? null;
}

/** `fetch` that refuses to send a Messages body from which the SDK dropped a requested sampling field. */
export function samplingGuard(fetch: Fetch, request: ChatRequest, modelCode: string): Fetch {
  const requested = requestedSampling(request);
  if (requested.length === 0) return fetch;
  return (input, init) => {
    const dropped = droppedSampling(requested, init?.body);
    if (dropped) {
      return Promise.reject(localRequestError(`The request field "${dropped}" is not accepted by ${modelCode} (it takes no sampling parameters); remove it.`));
    }
    return fetch(input, init);
  };
}
