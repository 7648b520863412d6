import { GatewayError } from "./errors";
import { StreamReply, type GatewayAnswer } from "./wire";

/**
 * Per-key cap on concurrent calls: a call holds a slot from admission until its response ends
 * (JSON handed to the server, stream finished or cancelled, error). One hostile or runaway client
 * cannot hold every upstream connection of the gateway however slowly the provider answers.
 *
 * Exact across a fleet with a SlotStore (Postgres, concurrency-store.ts): each instance holds a
 * lease row per key with the number of slots it holds and an expiry it renews while alive, and
 * sets that number with one statement that never lets the instances' unexpired slots together
 * pass the cap; a crashed instance's slots lapse with its lease. A call is admitted locally while
 * the instance holds a free slot. Far from the cap an instance keeps a few spare slots (a share of
 * what is free) so the hot path does not wait for the database; near it, it holds exactly its
 * calls in flight, so every admission and release near the cap is one statement (one at a time
 * per key, requests arriving meanwhile are decided together). If the store does not answer, the
 * instance decides on its own calls in flight, as it did before the fleet issue.
 * A Lease is released at most once, so a release in a `finally` and another in a stream's end hook
 * never count twice.
 */

export interface SlotStore {
  /**
   * Sets this instance's slots for the key to `need` (fewer if the other instances' slots leave
   * less of the cap) plus a spare of 1/`share` of what stays free; returns them and the others'.
   */
  reserve(keyId: string, cap: number, need: number, share: number): Promise<{ held: number; others: number }>;
  /** Extends this instance's leases and deletes lapsed ones. */
  renew(): Promise<void>;
}

/** A held slot. `release()` is idempotent. */
export interface Lease {
  release(): void;
  readonly released: boolean;
}

interface KeySlots {
  cap: number;
  inUse: number;
  /** Slots this instance holds in the store. */
  reserved: number;
  others: number;
  syncing: boolean;
  waiters: { resolve(l: Lease): void; reject(e: unknown): void }[];
}

export interface ConcurrencyOptions {
  store?: SlotStore;
  /** Spare slots kept far from the cap: this fraction (1/share) of the free ones. */
  share?: number;
  timeoutMs?: number;
  /** How often leases are renewed (their time to live is the store's). */
  renewMs?: number;
  onError?: (err: unknown) => void;
}

export class ConcurrencyLimiter {
  private readonly keys = new Map<string, KeySlots>();
  private readonly store: SlotStore | undefined;
  private readonly share: number;
  private readonly timeoutMs: number;
  private readonly renewMs: number;
  private readonly onError: (err: unknown) => void;
  private readonly pending = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  /** After a failed statement, calls are decided locally for a second instead of waiting on the store again. */
  private storeDownUntil = 0;

  constructor(options: ConcurrencyOptions = {}) {
    this.store = options.store;
    this.share = options.share ?? 8;
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.renewMs = options.renewMs ?? 10_000;
    this.onError = options.onError ?? (() => {});
  }

  /** Takes a slot for the key or throws / rejects with a 429 (`retry-after: 1`): a slot frees when any call ends. */
  acquire(keyId: string, limit: number): Lease | Promise<Lease> {
    const k = this.slotsOf(keyId, limit);
    if (!this.store) {
      if (k.inUse >= limit) throw refused(limit);
      return this.lease(keyId, k);
    }
    if (k.inUse < k.reserved && k.waiters.length === 0) return this.lease(keyId, k);
    if (Date.now() < this.storeDownUntil) {
      // The store just failed: cap on this instance's own calls for now.
      if (k.inUse >= limit) throw refused(limit);
      return this.lease(keyId, k);
    }
    return new Promise<Lease>((resolve, reject) => {
      k.waiters.push({ resolve, reject });
      this.sync(keyId, k);
    });
  }

  /** Calls in flight for the key on this instance. */
  held(keyId: string): number {
    return this.keys.get(keyId)?.inUse ?? 0;
  }

  /** Gives every slot back (graceful shutdown, tests) and waits for the store. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const [keyId, k] of this.keys) if (k.reserved > k.inUse) this.sync(keyId, k);
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Background statements still running (tests wait for them). */
  settled(): Promise<void> {
    return Promise.all([...this.pending]).then(() => undefined);
  }

  private slotsOf(keyId: string, cap: number): KeySlots {
    let k = this.keys.get(keyId);
    if (!k) {
      k = { cap, inUse: 0, reserved: 0, others: 0, syncing: false, waiters: [] };
      this.keys.set(keyId, k);
    }
    k.cap = cap;
    return k;
  }

  private lease(keyId: string, k: KeySlots): Lease {
    k.inUse += 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        k.inUse -= 1;
        if (!this.store) {
          if (k.inUse === 0) this.keys.delete(keyId);
        } else if (k.reserved - k.inUse > this.spare(k)) this.sync(keyId, k);
      },
      get released() {
        return released;
      },
    };
  }

  /** Spare slots worth holding: a share of what the fleet leaves free (0 near the cap). */
  private spare(k: KeySlots): number {
    return Math.floor(Math.max(0, k.cap - k.others - k.inUse) / this.share);
  }

  /** Runs the key's statements one at a time until its waiters are decided and its slots match. */
  private sync(keyId: string, k: KeySlots): void {
    if (k.syncing) return;
    k.syncing = true;
    const run = this.syncLoop(keyId, k).finally(() => this.pending.delete(run));
    this.pending.add(run);
  }

  private async syncLoop(keyId: string, k: KeySlots): Promise<void> {
    try {
      await this.syncSteps(keyId, k);
    } finally {
      // In the same turn as the last step: a request queued after it starts a new loop.
      k.syncing = false;
    }
  }

  private async syncSteps(keyId: string, k: KeySlots): Promise<void> {
    const store = this.store!;
    for (;;) {
      const waiting = k.waiters.length;
      const demand = k.inUse + waiting;
      const need = Math.min(k.cap, demand);
      // Without waiters: only give back slots held beyond the spare worth keeping.
      if (waiting === 0 && k.reserved - k.inUse <= this.spare(k)) break;
      let r: { held: number; others: number };
      try {
        r = await withTimeout(store.reserve(keyId, k.cap, need, this.share), this.timeoutMs);
      } catch (err) {
        this.onError(err);
        this.storeDownUntil = Date.now() + 1_000;
        // Decide on this instance's own calls; what the store holds is left as it was.
        for (const w of k.waiters.splice(0)) {
          if (k.inUse >= k.cap) w.reject(refused(k.cap));
          else w.resolve(this.lease(keyId, k));
        }
        return;
      }
      k.reserved = r.held;
      k.others = r.others;
      if (r.held > 0) this.startRenewing();
      while (k.waiters.length > 0 && k.inUse < k.reserved) k.waiters.shift()!.resolve(this.lease(keyId, k));
      // Fewer slots than the calls asked for: the cap is reached, everyone still waiting is refused.
      if (r.held < demand) for (const w of k.waiters.splice(0)) w.reject(refused(k.cap));
      if (k.reserved === 0 && k.inUse === 0 && k.waiters.length === 0) {
        this.keys.delete(keyId);
        break;
      }
    }
  }

  private startRenewing(): void {
    if (this.timer || !this.store) return;
    const store = this.store;
    this.timer = setInterval(() => {
      if ([...this.keys.values()].every((k) => k.reserved === 0)) return;
      store.renew().catch((err: unknown) => this.onError(err));
    }, this.renewMs);
    this.timer.unref?.();
  }
}

function refused(limit: number): GatewayError {
  return new GatewayError(
    429,
    "rate_limit_error",
    `Too many concurrent requests for this API key: at most ${limit} may be in flight at once. Retry when one of them has finished.`,
    { headers: { "retry-after": "1" }, refusal: "concurrency_limited" },
  );
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`concurrency store did not answer within ${ms} ms`)), ms);
    timer.unref?.();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Hands the lease to the answer: a stream releases it when it ends, fails or is cancelled (read or
 * not); a Reply releases it now (its body is already complete in memory).
 */
export function releaseWhenDone(response: GatewayAnswer, lease: Lease): GatewayAnswer {
  if (response instanceof StreamReply) return response.whenDone(() => lease.release());
  lease.release();
  return response;
}
