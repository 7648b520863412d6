import { errorMessage } from "@/lib/errors";
import os from "node:os";
import type { CircuitPolicy, CircuitRow, CircuitState } from "@/lib/db/provider-circuits";
import {
  CircuitBreakers,
  COOLDOWN_MS,
  DEFAULT_LEASE_MS,
  FAILURE_THRESHOLD,
  LEASE_MARGIN_MS,
  type CircuitOutcome,
  type CircuitPass,
  type Circuits,
} from "./circuit";
import type { CircuitStore } from "./circuit-store";

/**
 * Circuit breakers shared by every gateway instance through the store (circuit-store.ts), so a
 * failing provider costs the fleet about `threshold` failed attempts, not threshold × instances,
 * and half-open lets exactly one trial call through fleet-wide.
 *
 * The hot path stays free of round trips while providers are healthy: allow() reads a local
 * cache of the store's rows (refreshed every POLL_MS and by the answer to each report) and a
 * local breaker (circuit.ts) that still trips at once on this instance's own failures. Only
 * what is rare goes to the store: a provider failure, a success while the provider has
 * failures on record, claiming and settling the half-open trial. allow() waits for this
 * instance's pending failure reports for that provider (bounded by STORE_TIMEOUT_MS), so an
 * instance never starts an attempt without knowing what its own last failure did.
 *
 * The bound: with at most one attempt in flight per instance, failed attempts fleet-wide
 * before every instance stops ≤ threshold + instances − 1 (the threshold-th failure opens the
 * circuit; each other instance learns it at the latest from its own next failure's report).
 * Attempts already in flight when the circuit opens still end, as they would in one process.
 *
 * The store being unreachable never fails a call: after an error or a timeout it is left alone
 * for DOWN_MS and the local breaker decides (a half-open circuit then lets this instance's own
 * trial through); the poll notices when it is back.
 */

const POLL_MS = 1_000;
const STORE_TIMEOUT_MS = 1_000;
const DOWN_MS = 5_000;
const WINDOW_MS = 60_000;
const PRUNE_EVERY_MS = 60_000;

export interface SharedCircuitOptions {
  threshold?: number;
  cooldownMs?: number;
  windowMs?: number;
  pollMs?: number;
  storeTimeoutMs?: number;
  downMs?: number;
  /** Names this instance in trial leases; default INSTANCE_ID, else hostname-pid. */
  instanceId?: string;
  log?: (line: string) => void;
}

/** The store's row in this instance's clock. */
interface Cached {
  failures: number;
  openUntil: number | null;
  trialHolder: string | null;
  trialUntil: number | null;
}

function cached(row: CircuitRow, now: number): Cached {
  return {
    failures: row.failures,
    openUntil: row.openMs === null ? null : now + row.openMs,
    trialHolder: row.trialHolder,
    trialUntil: row.trialMs === null ? null : now + row.trialMs,
  };
}

function sharedState(c: Cached | undefined, now: number): CircuitState {
  if (!c || c.openUntil === null) return "closed";
  return now < c.openUntil ? "open" : "half_open";
}

class StoreTimeout extends Error {
  constructor(ms: number) {
    super(`the circuit store did not answer within ${ms} ms`);
    this.name = "StoreTimeout";
  }
}

export function defaultInstanceId(): string {
  return process.env.INSTANCE_ID?.trim() || `${os.hostname()}-${process.pid}`;
}

export class SharedCircuitBreakers implements Circuits {
  /** This instance's own breaker: trips on its failures alone, and decides while the store is away. */
  readonly local: CircuitBreakers;
  private readonly policy: CircuitPolicy;
  private readonly rows = new Map<string, Cached>();
  /** Reports in flight per provider, chained in order; `failures` counts the failure reports among them. */
  private readonly pending = new Map<string, { done: Promise<void>; failures: number }>();
  private readonly claiming = new Set<string>();
  private readonly instanceId: string;
  private readonly pollMs: number;
  private readonly timeoutMs: number;
  private readonly downMs: number;
  private readonly log: (line: string) => void;
  private downUntil = 0;
  private downSince: number | null = null;
  private trials = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastPrune = 0;
  /** Counts row updates from reports and claims; a poll started before one must not undo it. */
  private updates = 0;
  private readonly updatedAt = new Map<string, number>();

  constructor(private readonly store: CircuitStore, options: SharedCircuitOptions = {}) {
    const threshold = options.threshold ?? FAILURE_THRESHOLD;
    const cooldownMs = options.cooldownMs ?? COOLDOWN_MS;
    this.local = new CircuitBreakers(threshold, cooldownMs);
    this.policy = { threshold, cooldownMs, windowMs: options.windowMs ?? WINDOW_MS };
    this.instanceId = options.instanceId ?? defaultInstanceId();
    this.pollMs = options.pollMs ?? POLL_MS;
    this.timeoutMs = options.storeTimeoutMs ?? STORE_TIMEOUT_MS;
    this.downMs = options.downMs ?? DOWN_MS;
    this.log = options.log ?? ((line) => console.warn(`[gateway] ${line}`));
  }

  allow(provider: string, now = Date.now(), leaseMs = DEFAULT_LEASE_MS): CircuitPass | null | Promise<CircuitPass | null> {
    this.start();
    const waiting = this.pending.get(provider);
    if (waiting && waiting.failures > 0) return waiting.done.then(() => this.decide(provider, Date.now(), leaseMs));
    return this.decide(provider, now, leaseMs);
  }

  state(provider: string, now = Date.now()): CircuitState {
    this.start(); // health and the providers page show the fleet's view from their next look
    const shared = sharedState(this.rows.get(provider), now);
    return shared === "closed" ? this.local.state(provider, now) : shared;
  }

  snapshot(now = Date.now()): Record<string, CircuitState> {
    this.start();
    const out: Record<string, CircuitState> = {};
    for (const provider of new Set([...Object.keys(this.local.snapshot(now)), ...this.rows.keys()])) out[provider] = this.state(provider, now);
    return out;
  }

  /** Whether the store is being left alone after an error (the local breakers decide). */
  storeDown(now = Date.now()): boolean {
    return now < this.downUntil;
  }

  /** Reloads every row from the store (the poll); false when the store could not be read. */
  async refresh(): Promise<boolean> {
    const asOf = this.updates;
    try {
      const rows = await this.withTimeout(this.store.list());
      const now = Date.now();
      // A report's answer that came in while the list was read is newer than the list.
      const current = (provider: string) => (this.updatedAt.get(provider) ?? 0) <= asOf;
      const seen = new Set<string>();
      for (const row of rows) {
        seen.add(row.provider);
        if (current(row.provider)) this.apply(row.provider, row, now);
      }
      for (const provider of [...this.rows.keys()]) if (!seen.has(provider) && current(provider)) this.apply(provider, null, now);
      this.storeUp();
      if (now - this.lastPrune >= PRUNE_EVERY_MS) {
        this.lastPrune = now;
        await this.withTimeout(this.store.prune());
      }
      return true;
    } catch (err) {
      this.storeFailed(err);
      return false;
    }
  }

  /** Resolves when every report made so far has been answered (or given up on). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending.values()].map((p) => p.done));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private start(): void {
    if (this.timer) return;
    // One poll at a time: a slow or unreachable database must not pile them up.
    let polling = false;
    const poll = () => {
      if (polling) return;
      polling = true;
      void this.refresh().finally(() => (polling = false));
    };
    this.timer = setInterval(poll, this.pollMs);
    poll(); // the fleet's state now, not a poll interval later
    this.timer.unref();
  }

  private decide(provider: string, now: number, leaseMs: number): CircuitPass | null | Promise<CircuitPass | null> {
    const row = this.rows.get(provider);
    const shared = sharedState(row, now);
    if (shared === "open") return null;
    if (shared === "closed" || this.storeDown(now)) {
      const pass = this.local.allow(provider, now, leaseMs);
      return pass ? this.wrap(provider, pass, null) : null;
    }
    // Half-open: one trial fleet-wide, taken in the store; none while someone holds it.
    if (row!.trialHolder !== null && row!.trialUntil !== null && now < row!.trialUntil) return null;
    if (this.claiming.has(provider)) return null;
    return this.claim(provider, leaseMs);
  }

  private async claim(provider: string, leaseMs: number): Promise<CircuitPass | null> {
    const holder = `${this.instanceId}#${++this.trials}`;
    this.claiming.add(provider);
    try {
      const { claimed, row } = await this.withTimeout(this.store.claimTrial(provider, holder, leaseMs + LEASE_MARGIN_MS));
      this.update(provider, row);
      this.storeUp();
      if (claimed) return this.wrap(provider, null, holder);
      // Another instance's trial closed it meanwhile: an ordinary call.
      if (row === null || row.openMs === null) {
        const pass = this.local.allow(provider, Date.now(), leaseMs);
        return pass ? this.wrap(provider, pass, null) : null;
      }
      return null;
    } catch (err) {
      this.storeFailed(err);
      const pass = this.local.allow(provider, Date.now(), leaseMs);
      return pass ? this.wrap(provider, pass, null) : null;
    } finally {
      this.claiming.delete(provider);
    }
  }

  /** A pass settling the local breaker (its own pass, or a note for the fleet's trial) and the store. */
  private wrap(provider: string, local: CircuitPass | null, holder: string | null): CircuitPass {
    let settled = false;
    return {
      provider,
      trial: holder !== null || local?.trial === true,
      settle: (outcome, now = Date.now()) => {
        if (settled) return;
        settled = true;
        if (local) local.settle(outcome, now);
        else this.local.note(provider, outcome, now);
        this.report(provider, outcome, holder);
      },
    };
  }

  private report(provider: string, outcome: CircuitOutcome, holder: string | null): void {
    const row = this.rows.get(provider);
    const dirty = row !== undefined && (row.failures > 0 || row.openUntil !== null || row.trialHolder !== null);
    let op: (() => Promise<CircuitRow | null>) | null = null;
    if (outcome === "failure") op = () => this.store.fail(provider, holder, this.policy);
    else if (outcome === "success" && (holder !== null || dirty)) op = () => this.store.succeed(provider, this.policy);
    else if (outcome === "neutral" && holder !== null) op = () => this.store.release(provider, holder);
    // While the store is away the local breaker has it; a trial held in the store lapses with its lease.
    if (!op || this.storeDown()) return;
    const isFailure = outcome === "failure";
    const before = this.pending.get(provider);
    const entry = { done: Promise.resolve(), failures: (before?.failures ?? 0) + (isFailure ? 1 : 0) };
    const run = op;
    entry.done = (before?.done ?? Promise.resolve()).then(async () => {
      try {
        const answer = await this.withTimeout(run());
        // succeed/release answer null when there was nothing to change: the row stays as known.
        if (answer) this.update(provider, answer);
        else if (outcome === "success") this.update(provider, null);
        this.storeUp();
      } catch (err) {
        this.storeFailed(err);
      } finally {
        const now = this.pending.get(provider);
        if (now === entry) this.pending.delete(provider);
        else if (now && isFailure) now.failures -= 1;
      }
    });
    this.pending.set(provider, entry);
  }

  /** Takes a report's or claim's answer into the cache (newer than any poll in flight). */
  private update(provider: string, row: CircuitRow | null): void {
    this.updatedAt.set(provider, ++this.updates);
    this.apply(provider, row, Date.now());
  }

  /** Takes the store's row into the cache; a circuit the fleet closed closes here too. */
  private apply(provider: string, row: CircuitRow | null, now: number): void {
    const before = this.rows.get(provider);
    if (row) this.rows.set(provider, cached(row, now));
    else this.rows.delete(provider);
    const after = this.rows.get(provider);
    if (before?.openUntil != null && (after?.openUntil ?? null) === null) this.local.reset(provider);
  }

  private async withTimeout<T>(p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreTimeout(this.timeoutMs)), this.timeoutMs);
    });
    p.catch(() => undefined); // a late rejection after the timeout is not unhandled
    try {
      return await Promise.race([p, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private storeFailed(err: unknown): void {
    const now = Date.now();
    this.downUntil = now + this.downMs;
    if (this.downSince === null) {
      this.downSince = now;
      const message = errorMessage(err);
      this.log(`circuit store unreachable, each instance's own breakers decide for now: ${message}`);
    }
  }

  private storeUp(): void {
    if (this.downSince === null) return;
    this.downSince = null;
    this.downUntil = 0;
    this.log("circuit store reachable again; circuits are shared across instances");
  }
}
