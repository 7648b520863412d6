import { errorMessage } from "@/lib/errors";
import { serviceDb } from "@/lib/db/service";
import { getRecorder } from "./recorder/instance";
import type { Recorder } from "./recorder/recorder";
import { flagUnconvertible } from "./budget-admission";
import { BudgetReservations } from "./budget-reservations";
import { PostgresBudgetStore } from "./budget-store";
import { ScopedBudgets } from "./budget-scoped";
import type { Circuits } from "./circuit";
import { PostgresCircuitStore } from "./circuit-store";
import { ConcurrencyLimiter } from "./concurrency";
import { PostgresSlotStore } from "./concurrency-store";
import { ConfigCache } from "./config-cache";
import { RateLimiter } from "./rate-limit";
import { PostgresRateLimitStore } from "./rate-limit-store";
import { SharedCircuitBreakers } from "./shared-circuits";
import { getEnv } from "@/lib/env";
import { PostgresCacheStore, RedisCacheStore, type ResponseCacheStore } from "./cache-store";

/**
 * The gateway's process-wide parts, one set per process (kept on globalThis for Next's dev
 * server). The configuration cache reads through the service role: the gateway authenticates
 * callers by app key and scopes everything by it.
 */
export interface GatewayRuntime {
  config: ConfigCache;
  rateLimiter: RateLimiter;
  /** Per-key calls in flight, capped across instances through Postgres leases (concurrency.ts). */
  concurrency: ConcurrencyLimiter;
  /** Budget reservations shared through Postgres (budget-reservations.ts). */
  budgets: BudgetReservations;
  /** Per-app, per-key and daily budgets, through the same shared store (budget-scoped.ts). */
  scopedBudgets: ScopedBudgets;
  /** Circuit breakers shared across instances through Postgres (shared-circuits.ts). */
  circuits: Circuits;
  recorder: Recorder;
  /** The response cache's shared store (cache-store.ts); touched only where cache.ttl_seconds > 0. */
  cache?: ResponseCacheStore;
}

const holder = globalThis as { __llmcpGateway?: Omit<GatewayRuntime, "recorder"> };

export function runtime(): GatewayRuntime {
  holder.__llmcpGateway ??= {
    config: new ConfigCache(serviceDb),
    cache: responseCacheStore(),
    // Limits hold across instances: allowances are taken from Postgres windows (rate-limit.ts).
    rateLimiter: new RateLimiter({
      store: new PostgresRateLimitStore(serviceDb),
      onError: (err) => warnOnce(`[gateway] rate-limit counters not shared right now (limiting per instance): ${errorMessage(err)}`),
    }),
    // Budgets hold across instances: each call's estimate is reserved in Postgres (budget-store.ts).
    budgets: new BudgetReservations(new PostgresBudgetStore(serviceDb), { onUnconvertible: flagUnconvertible }),
    scopedBudgets: new ScopedBudgets(serviceDb),
    // Open/half-open shared across instances: one trial call fleet-wide (shared-circuits.ts).
    circuits: new SharedCircuitBreakers(new PostgresCircuitStore(serviceDb)),
    concurrency: new ConcurrencyLimiter({
      store: new PostgresSlotStore(serviceDb),
      onError: (err) => warnOnce(`[gateway] concurrency leases not shared right now (capping per instance): ${errorMessage(err)}`),
    }),
  };
  return { ...holder.__llmcpGateway, recorder: getRecorder() };
}

/** Redis when REDIS_URL is set (connected on first use), else the unlogged Postgres table. */
function responseCacheStore(): ResponseCacheStore {
  const env = getEnv();
  const bounds = { maxEntries: env.RESPONSE_CACHE_MAX_ENTRIES, maxPerOrganization: env.RESPONSE_CACHE_MAX_PER_ORGANIZATION };
  return env.REDIS_URL ? new RedisCacheStore(env.REDIS_URL, bounds) : new PostgresCacheStore(serviceDb, bounds);
}

let lastWarning = 0;
function warnOnce(message: string): void {
  // At most one line a minute while the database is away; the recorder reports the outage too.
  if (Date.now() - lastWarning < 60_000) return;
  lastWarning = Date.now();
  console.warn(message);
}

/** Drops the process-wide parts (tests that switch databases); the next runtime() starts fresh. */
export function resetRuntime(): void {
  holder.__llmcpGateway?.config.stop();
  holder.__llmcpGateway?.budgets.stop();
  holder.__llmcpGateway?.scopedBudgets.stop();
  void holder.__llmcpGateway?.rateLimiter.stop();
  holder.__llmcpGateway?.circuits.stop?.();
  void holder.__llmcpGateway?.concurrency.stop();
  void holder.__llmcpGateway?.cache?.close();
  holder.__llmcpGateway = undefined;
}
