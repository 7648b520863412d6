import { handleMetrics } from "@/lib/gateway/handlers/metrics";

export const dynamic = "force-dynamic";

/** Prometheus metrics (calls, tokens, cost, latency and overhead histograms, spool, circuits). */
export function GET(request: Request): Promise<Response> {
  return handleMetrics(request);
}
