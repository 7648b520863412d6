import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * Prometheus metrics of the gateway (GET /api/metrics). One registry per process, kept on
 * globalThis so Next's dev reloads do not register the same metric twice. Latency buckets are
 * the seeds' (10 ms … 10 s). Costs here are floats for dashboards only; the ledger is exact.
 */
export const LATENCY_BUCKETS_MS = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "llmcp_process_" });
  return {
    registry,
    calls: new Counter({
      name: "llmcp_llm_calls_total",
      help: "Provider call attempts by app, provider, model and status",
      labelNames: ["app", "provider", "model", "status"] as const,
      registers: [registry],
    }),
    tokens: new Counter({
      name: "llmcp_llm_tokens_total",
      help: "Tokens by app, provider, model and kind (prompt, completion, cached, cache_write, reasoning)",
      labelNames: ["app", "provider", "model", "kind"] as const,
      registers: [registry],
    }),
    cost: new Counter({
      name: "llmcp_llm_cost_total",
      help: "Cost of calls by organization and currency (float; the ledger in llm_calls is exact)",
      labelNames: ["organization", "currency"] as const,
      registers: [registry],
    }),
    unpriced: new Counter({
      name: "llmcp_llm_unpriced_calls_total",
      help: "Calls recorded without a known price (cost null, record incomplete)",
      labelNames: ["provider", "model"] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: "llmcp_request_duration_ms",
      help: "Gateway request duration in milliseconds, by route and outcome",
      labelNames: ["route", "status"] as const,
      buckets: LATENCY_BUCKETS_MS,
      registers: [registry],
    }),
    upstreamLatency: new Histogram({
      name: "llmcp_upstream_duration_ms",
      help: "Provider call duration in milliseconds",
      labelNames: ["provider"] as const,
      buckets: LATENCY_BUCKETS_MS,
      registers: [registry],
    }),
    overhead: new Histogram({
      name: "llmcp_gateway_overhead_ms",
      help: "Time the gateway adds on top of the provider call, in milliseconds",
      labelNames: ["route"] as const,
      buckets: LATENCY_BUCKETS_MS,
      registers: [registry],
    }),
    fallbacks: new Counter({
      name: "llmcp_fallbacks_total",
      help: "Requests answered by a fallback model, by app and the provider that failed",
      labelNames: ["app", "from_provider", "to_provider"] as const,
      registers: [registry],
    }),
    errors: new Counter({
      name: "llmcp_request_errors_total",
      help: "Requests answered with an error, by route and error type",
      labelNames: ["route", "type"] as const,
      registers: [registry],
    }),
    spoolDepth: new Gauge({
      name: "llmcp_recorder_spool_depth",
      help: "Call records waiting on local disk for the database",
      registers: [registry],
    }),
    pending: new Gauge({
      name: "llmcp_recorder_pending",
      help: "Call records buffered in memory, not yet written",
      registers: [registry],
    }),
    budgetUnconvertible: new Counter({
      name: "llmcp_budget_unconvertible_total",
      help: "Amounts refused or charged at their reservation because reporting.fx_rates has no rate into the budget currency",
      labelNames: ["organization", "currency"] as const,
      registers: [registry],
    }),
    accepting: new Gauge({
      name: "llmcp_recorder_accepting",
      help: "1 while calls can be recorded; 0 while the gateway refuses calls (database unreachable and spool not writable)",
      registers: [registry],
    }),
    storage: new Gauge({
      name: "llmcp_recorder_storage_writable",
      help: "Local storage of the recorder: 1 writable, 0 failing (kind: spool, journal)",
      labelNames: ["kind"] as const,
      registers: [registry],
    }),
    draining: new Gauge({
      name: "llmcp_draining",
      help: "1 while this instance is shutting down (finishing its calls, taking no new ones)",
      registers: [registry],
    }),
    circuit: new Gauge({
      name: "llmcp_provider_circuit_state",
      help: "Circuit breaker per provider: 0 closed, 1 half-open, 2 open",
      labelNames: ["provider"] as const,
      registers: [registry],
    }),
  };
}

export type GatewayMetrics = ReturnType<typeof create>;

const holder = globalThis as { __llmcpMetrics?: GatewayMetrics };

export function metrics(): GatewayMetrics {
  holder.__llmcpMetrics ??= create();
  return holder.__llmcpMetrics;
}
