import { timingSafeEqual } from "node:crypto";
import { GatewayError, errorResponse } from "../errors";
import { isDraining } from "../drain";
import { metrics } from "../metrics";
import { runtime } from "../runtime";

const CIRCUIT_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

function authorized(request: Request): boolean {
  const token = process.env.METRICS_TOKEN;
  if (!token) return true;
  const sent = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
  const a = Buffer.from(sent);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** GET /api/metrics: Prometheus text, or JSON with ?format=json; bearer METRICS_TOKEN when set. */
export async function handleMetrics(request: Request): Promise<Response> {
  try {
    if (!authorized(request)) throw new GatewayError(401, "authentication_error", "Send Authorization: Bearer <METRICS_TOKEN>.");
    const m = metrics();
    const rt = runtime();
    const stats = rt.recorder.stats();
    m.spoolDepth.set(stats.spooled);
    m.pending.set(stats.pending);
    m.accepting.set(stats.accepting ? 1 : 0);
    m.storage.set({ kind: "spool" }, stats.spoolWritable ? 1 : 0);
    m.storage.set({ kind: "journal" }, stats.journalWritable ? 1 : 0);
    m.draining.set(isDraining() ? 1 : 0);
    for (const [provider, state] of Object.entries(rt.circuits.snapshot())) m.circuit.set({ provider }, CIRCUIT_VALUE[state]);
    if (new URL(request.url).searchParams.get("format") === "json") {
      return Response.json(await m.registry.getMetricsAsJSON());
    }
    return new Response(await m.registry.metrics(), { headers: { "content-type": m.registry.contentType } });
  } catch (err) {
    return errorResponse(err);
  }
}
