/**
 * A circuit breaker per provider: after FAILURE_THRESHOLD consecutive retryable failures the
 * provider is skipped for COOLDOWN_MS (the router goes straight to the fallbacks), then one trial
 * call is let through (half-open); its success closes the circuit, its failure re-opens it.
 */
export type CircuitState = "closed" | "open" | "half_open";

const FAILURE_THRESHOLD = 5;
const COOLDOWN_MS = 30_000;

interface Circuit {
  failures: number;
  openedAt: number | null;
  trialInFlight: boolean;
}

export class CircuitBreakers {
  private readonly circuits = new Map<string, Circuit>();

  constructor(
    private readonly threshold = FAILURE_THRESHOLD,
    private readonly cooldownMs = COOLDOWN_MS,
  ) {}

  private get(provider: string): Circuit {
    let c = this.circuits.get(provider);
    if (!c) {
      c = { failures: 0, openedAt: null, trialInFlight: false };
      this.circuits.set(provider, c);
    }
    return c;
  }

  state(provider: string, now = Date.now()): CircuitState {
    const c = this.circuits.get(provider);
    if (!c || c.openedAt === null) return "closed";
    return now - c.openedAt >= this.cooldownMs ? "half_open" : "open";
  }

  /** Whether a call may go to this provider now (claims the half-open trial). */
  allow(provider: string, now = Date.now()): boolean {
    const s = this.state(provider, now);
    if (s === "closed") return true;
    if (s === "open") return false;
    const c = this.get(provider);
    if (c.trialInFlight) return false;
    c.trialInFlight = true;
    return true;
  }

  success(provider: string): void {
    const c = this.get(provider);
    c.failures = 0;
    c.openedAt = null;
    c.trialInFlight = false;
  }

  failure(provider: string, now = Date.now()): void {
    const c = this.get(provider);
    c.failures += 1;
    c.trialInFlight = false;
    if (c.openedAt !== null || c.failures >= this.threshold) c.openedAt = now;
  }

  snapshot(now = Date.now()): Record<string, CircuitState> {
    const out: Record<string, CircuitState> = {};
    for (const provider of this.circuits.keys()) out[provider] = this.state(provider, now);
    return out;
  }
}
