import { GatewayError } from "../errors";
import type { GatewayRuntime } from "../runtime";

/**
 * Every route that records calls checks this first: a call the recorder could not account for
 * (database unreachable and spool not writable; or the journal unusable and the database not
 * proven reachable: recorder.ts accepting()) is refused with 503 rather than served.
 */
export const CANNOT_RECORD = "cannot record calls: database unreachable and spool not writable";

export function admitRecording(rt: GatewayRuntime): void {
  if (!rt.recorder.accepting()) {
    const reason = rt.recorder.stats().refusal;
    const what = reason ? `cannot record calls: ${reason}` : CANNOT_RECORD;
    throw new GatewayError(503, "service_unavailable", `The gateway ${what}; retry shortly.`, { headers: { "retry-after": "5" } });
  }
}
