import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type LabelValues } from "prom-client";

/**
 * Prometheus metrics of the gateway (GET /api/metrics). One registry per process, kept on
 * globalThis so Next's dev reloads do not register the same metric twice. Costs here are floats
 * for dashboards only; the ledger is exact.
 *
 * The whole exposition passes `promtool check metrics` (tests/integration/metrics-promtool.test.ts):
 * durations are in seconds (Prometheus' base unit; the seeds' 10 ms … 10 s buckets), callers still
 * observe milliseconds through MsHistogram; and prom-client's `nodejs_active_*_total` gauges (a
 * counter's suffix on a gauge) are dropped: `sum(llmcp_process_nodejs_active_handles)` is the same.
 */
export const LATENCY_BUCKETS_MS = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
const LATENCY_BUCKETS_SECONDS = LATENCY_BUCKETS_MS.map((ms) => ms / 1000);
const PROCESS_PREFIX = "llmcp_process_";
const MISNAMED_DEFAULTS = ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"];

/** A seconds histogram that takes milliseconds, the unit the gateway measures in. */
export interface MsHistogram<T extends string> {
  observe(labels: LabelValues<T>, ms: number): void;
  readonly histogram: Histogram<T>;
}

function secondsHistogram<T extends string>(registry: Registry, name: string, help: string, labelNames: readonly T[]): MsHistogram<T> {
  const histogram = new Histogram<T>({ name, help, labelNames, buckets: LATENCY_BUCKETS_SECONDS, registers: [registry] });
  return { histogram, observe: (labels, ms) => histogram.observe(labels, ms / 1000) };
}

function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: PROCESS_PREFIX });
  for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(PROCESS_PREFIX + name);
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
    latency: secondsHistogram(registry, "llmcp_request_duration_seconds", "Gateway request duration in seconds, by route and outcome", ["route", "status"] as const),
    upstreamLatency: secondsHistogram(registry, "llmcp_upstream_duration_seconds", "Provider call duration in seconds", ["provider"] as const),
    overhead: secondsHistogram(registry, "llmcp_gateway_overhead_seconds", "Time the gateway adds on top of the provider call, in seconds", ["route"] as const),
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
      help: "1 while calls can be recorded; 0 while the gateway refuses calls (database unreachable and spool not writable, or journal unusable and database not proven reachable)",
      registers: [registry],
    }),
    storage: new Gauge({
      name: "llmcp_recorder_storage_writable",
      help: "Local storage of the recorder: 1 writable, 0 failing (kind: spool, journal; journal_reserve 0 once the disk-full reserve is spent)",
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
