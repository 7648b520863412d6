import type { CircuitState } from "@/lib/db/provider-circuits";

/**
 * A circuit breaker per provider: after FAILURE_THRESHOLD consecutive provider failures the
 * provider is skipped for COOLDOWN_MS (the router goes straight to the fallbacks), then one trial
 * call is let through (half-open); its success closes the circuit, its provider failure re-opens
 * it, and any other ending (the caller's 400, a content filter, a missing key, a local error, a
 * cancelled call) hands the trial to the next call.
 *
 * allow() returns a pass that the attempt must settle exactly once; settling is idempotent, and a
 * trial pass that is never settled (an exception nobody caught, a stream nobody read) frees
 * itself after its lease (the provider's timeout plus a margin), so half-open can never stick.
 */

/**
 * How an attempt ended, as far as the provider's health goes: `success` (it answered),
 * `failure` (network error, timeout, 5xx/overloaded, 429: the provider's fault) or `neutral`
 * (anything else: says nothing about the provider's health).
 */
export type CircuitOutcome = "success" | "failure" | "neutral";

export interface CircuitPass {
  readonly provider: string;
  /** True for the half-open trial. */
  readonly trial: boolean;
  /** Reports the attempt's ending; only the first call counts. */
  settle(outcome: CircuitOutcome, now?: number): void;
}

/**
 * What the gateway needs from its breakers: this process's (CircuitBreakers) or the fleet's
 * (SharedCircuitBreakers, shared-circuits.ts), whose allow() may wait on the shared store.
 */
export interface Circuits {
  allow(provider: string, now?: number, leaseMs?: number): CircuitPass | null | Promise<CircuitPass | null>;
  state(provider: string, now?: number): CircuitState;
  snapshot(now?: number): Record<string, CircuitState>;
  stop?(): void;
}

export const FAILURE_THRESHOLD = 5;
export const COOLDOWN_MS = 30_000;
/** Added to the provider timeout for a trial's lease: the time between allow() and the call. */
export const LEASE_MARGIN_MS = 5_000;
export const DEFAULT_LEASE_MS = 60_000;

interface Circuit {
  failures: number;
  openedAt: number | null;
  /** The trial in flight: its id (a stale pass cannot release a newer trial) and lease end. */
  trial: { id: number; expiresAt: number } | null;
}

export class CircuitBreakers implements Circuits {
  private readonly circuits = new Map<string, Circuit>();
  private trialIds = 0;

  constructor(
    private readonly threshold = FAILURE_THRESHOLD,
    private readonly cooldownMs = COOLDOWN_MS,
  ) {}

  private get(provider: string): Circuit {
    let c = this.circuits.get(provider);
    if (!c) {
      c = { failures: 0, openedAt: null, trial: null };
      this.circuits.set(provider, c);
    }
    return c;
  }

  state(provider: string, now = Date.now()): CircuitState {
    const c = this.circuits.get(provider);
    if (!c || c.openedAt === null) return "closed";
    return now - c.openedAt >= this.cooldownMs ? "half_open" : "open";
  }

  /**
   * A pass for one attempt at this provider, or null when the circuit is open (or half-open
   * with its trial in flight). `leaseMs` bounds how long an unsettled trial holds the circuit:
   * pass the provider's timeout.
   */
  allow(provider: string, now = Date.now(), leaseMs = DEFAULT_LEASE_MS): CircuitPass | null {
    const s = this.state(provider, now);
    if (s === "open") return null;
    if (s === "closed") return this.pass(provider, null);
    const c = this.get(provider);
    if (c.trial && now < c.trial.expiresAt) return null;
    const id = ++this.trialIds;
    c.trial = { id, expiresAt: now + leaseMs + LEASE_MARGIN_MS };
    return this.pass(provider, id);
  }

  /** An outcome that came without a pass of this breaker (the fleet's trial, shared-circuits.ts). */
  note(provider: string, outcome: CircuitOutcome, now = Date.now()): void {
    this.settle(provider, null, outcome, now);
  }

  /** Closes the circuit (the fleet saw the provider recover). */
  reset(provider: string): void {
    this.circuits.delete(provider);
  }

  private pass(provider: string, trialId: number | null): CircuitPass {
    let settled = false;
    return {
      provider,
      trial: trialId !== null,
      settle: (outcome, now = Date.now()) => {
        if (settled) return;
        settled = true;
        this.settle(provider, trialId, outcome, now);
      },
    };
  }

  private settle(provider: string, trialId: number | null, outcome: CircuitOutcome, now: number): void {
    const c = this.get(provider);
    const ownsTrial = trialId !== null && c.trial?.id === trialId;
    if (ownsTrial) c.trial = null;
    if (outcome === "success") {
      c.failures = 0;
      c.openedAt = null;
      c.trial = null;
    } else if (outcome === "failure") {
      c.failures += 1;
      // A failed trial re-opens at once; a closed circuit opens at the threshold. A failure that
      // lands while the circuit is already open (a call let through before it opened) restarts
      // the cooldown as before.
      if (ownsTrial || c.openedAt !== null || c.failures >= this.threshold) c.openedAt = now;
    }
  }

  snapshot(now = Date.now()): Record<string, CircuitState> {
    const out: Record<string, CircuitState> = {};
    for (const provider of this.circuits.keys()) out[provider] = this.state(provider, now);
    return out;
  }
}
