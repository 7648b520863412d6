import { serviceDb } from "@/lib/db/service";
import { getRecorder } from "./recorder/instance";
import type { Recorder } from "./recorder/recorder";
import { CircuitBreakers } from "./circuit";
import { ConfigCache } from "./config-cache";
import { RateLimiter } from "./rate-limit";

/**
 * The gateway's process-wide parts, one set per process (kept on globalThis for Next's dev
 * server). The configuration cache reads through the service role: the gateway authenticates
 * callers by app key and scopes everything by it.
 */
export interface GatewayRuntime {
  config: ConfigCache;
  rateLimiter: RateLimiter;
  circuits: CircuitBreakers;
  recorder: Recorder;
}

const holder = globalThis as { __llmcpGateway?: Omit<GatewayRuntime, "recorder"> };

export function runtime(): GatewayRuntime {
  holder.__llmcpGateway ??= {
    config: new ConfigCache(serviceDb),
    rateLimiter: new RateLimiter(),
    circuits: new CircuitBreakers(),
  };
  return { ...holder.__llmcpGateway, recorder: getRecorder() };
}

/** Drops the process-wide parts (tests that switch databases); the next runtime() starts fresh. */
export function resetRuntime(): void {
  holder.__llmcpGateway?.config.stop();
  holder.__llmcpGateway = undefined;
}
