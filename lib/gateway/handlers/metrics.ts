import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { metricsAccess } from "@/lib/env";
import { GatewayError, errorResponse } from "../errors";
import { isDraining } from "../drain";
import { metrics } from "../metrics";
import { runtime } from "../runtime";

const CIRCUIT_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Constant time in the token's content and length: both sides are hashed to 32 bytes first. */
export function sameToken(sent: string, expected: string): boolean {
  return timingSafeEqual(digest(sent), digest(expected));
}

/**
 * Throws unless the request may read the metrics (see metricsAccess in lib/env.ts): 403 with what
 * to configure when production has neither METRICS_TOKEN nor METRICS_PUBLIC=true; 401 without the
 * right bearer token.
 */
function authorize(request: Request): void {
  const access = metricsAccess();
  if (access.kind === "public") return;
  if (access.kind === "closed") {
    throw new GatewayError(403, "permission_error",
      "Metrics are closed in production because they list every organization's spend: set METRICS_TOKEN (at least 16 characters) and scrape with Authorization: Bearer <METRICS_TOKEN>, or set METRICS_PUBLIC=true to serve them without a token.");
  }
  const sent = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (sent === undefined || !sameToken(sent, access.token)) {
    throw new GatewayError(401, "authentication_error", "Send Authorization: Bearer <METRICS_TOKEN>.", { headers: { "www-authenticate": "Bearer" } });
  }
}

/** GET /api/metrics: Prometheus text, or JSON with ?format=json; access as metricsAccess says. */
export async function handleMetrics(request: Request): Promise<Response> {
  try {
    authorize(request);
    const m = metrics();
    const rt = runtime();
    const stats = rt.recorder.stats();
    m.spoolDepth.set(stats.spooled);
    m.pending.set(stats.pending);
    m.accepting.set(stats.accepting ? 1 : 0);
    m.storage.set({ kind: "spool" }, stats.spoolWritable ? 1 : 0);
    m.storage.set({ kind: "journal" }, stats.journalWritable ? 1 : 0);
    m.storage.set({ kind: "journal_reserve" }, stats.journalReserve ? 1 : 0);
    m.draining.set(isDraining() ? 1 : 0);
    for (const [provider, state] of Object.entries(rt.circuits.snapshot())) m.circuit.set({ provider }, CIRCUIT_VALUE[state]);
    if (new URL(request.url).searchParams.get("format") === "json") {
      return Response.json(await m.registry.getMetricsAsJSON(), { headers: { "x-request-id": randomUUID() } });
    }
    return new Response(await m.registry.metrics(), { headers: { "content-type": m.registry.contentType, "x-request-id": randomUUID() } });
  } catch (err) {
    return errorResponse(err, { "x-request-id": randomUUID() });
  }
}
