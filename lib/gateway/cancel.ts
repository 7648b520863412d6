import { ProviderError } from "@/lib/providers/types";
import type { CallContext } from "./context";

/**
 * A call whose client disconnected: the gateway aborted the upstream call itself, so the attempt
 * is recorded with error_type `cancelled` (usage as far as known), is never retried or sent to a
 * fallback, and never counts against the provider's circuit (execute.ts).
 */
export function cancelledError(message = "the client disconnected before the answer"): ProviderError {
  return new ProviderError("cancelled", message, { retryable: false });
}

/** The error to record for a failed upstream call: `cancelled` when the client had left, else as thrown. */
export function cancelledIfClientGone(ctx: CallContext, err: unknown): unknown {
  return ctx.signal?.aborted ? cancelledError() : err;
}
