import { GatewayError } from "./errors";
import { rateLimitHeaders } from "./rate-limit-headers";

/**
 * Per-key requests-per-minute limit, exact across every gateway instance.
 *
 * A sliding window of two fixed one-minute buckets (the previous bucket weighted by how much of
 * it still overlaps the window). With a shared store (Postgres, rate-limit-store.ts) an instance
 * admits only from an ALLOWANCE it took from the key's window row with one atomic statement that
 * grants no more than keeps `previous * weight + hits` within the limit; every instance's
 * allowance is counted in the row when granted, so the fleet together never admits more than the
 * limit, whatever the burst shape. Far from the limit an allowance is a share (1/`share`) of what
 * is left, refilled in the background before it runs out, so the hot path does not wait for the
 * database; near the limit the share rounds down to the requests waiting, so each decision is one
 * statement. Requests arriving while a take is running wait for it (one statement per key at a
 * time). Counts read back are lower bounds of the global counts, so a request they already refuse
 * is refused locally with the exact Retry-After of issue 9, without a round trip. An allowance
 * left unused when the minute rolls over is handed back.
 *
 * Without a store (unit tests) or while the store fails or is slower than `takeTimeoutMs`, an
 * instance decides on what it knows plus its own hits, and adds those hits to the shared row
 * once the store answers again (at most one window of overshoot per instance during an outage).
 */

export const MINUTE = 60_000;

/** What an admitted request is told (x-ratelimit-* headers). */
export interface RateStatus {
  limit: number;
  remaining: number;
  /** Milliseconds until the window is empty again. */
  resetMs: number;
}

export interface TakeRequest {
  keyId: string;
  /** Minute bucket: floor(epoch ms / 60,000). */
  bucket: number;
  limit: number;
  /** Weight of the previous bucket: 1 - elapsed fraction of this minute. */
  weight: number;
  want: number;
}

export interface TakeResult {
  granted: number;
  /** The bucket's global count after the grant (every instance's allowances included). */
  current: number;
  previous: number;
}

/** One window's hits to add to (or, negative, hand back from) the shared counter. */
export interface WindowIncrement {
  keyId: string;
  bucket: number;
  hits: number;
}

export interface RateLimitStore {
  /** Atomically grants up to `want` hits that keep the window within the limit. */
  take(req: TakeRequest): Promise<TakeResult>;
  /** Adds hits without a guard (owed after an outage) or hands back unused allowance (negative). */
  add(increments: WindowIncrement[]): Promise<void>;
  /** Deletes windows older than `beforeBucket`. */
  prune(beforeBucket: number): Promise<void>;
}

interface Waiter {
  resolve(s: RateStatus): void;
  reject(e: unknown): void;
}

interface KeyState {
  limit: number;
  bucket: number;
  /** Hits granted to this instance for `bucket` and not used yet. */
  allowance: number;
  /** Last global counts read for `bucket` and `bucket - 1` (lower bounds), or this instance's own. */
  known: WindowCounts;
  /** Hits admitted without a grant (store down), per bucket, to add once it answers. */
  owed: Map<number, number>;
  taking: boolean;
  waiters: Waiter[];
  lastHit: number;
}

export interface RateLimiterOptions {
  store?: RateLimitStore;
  /** An allowance is this fraction of what the window has left (1/share): 16 suits fleets of up to ~8. */
  share?: number;
  /** A take slower than this is decided locally (and its hits owed). */
  takeTimeoutMs?: number;
  clock?: () => number;
  onError?: (err: unknown) => void;
}

export class RateLimiter {
  private readonly keys = new Map<string, KeyState>();
  private readonly store: RateLimitStore | undefined;
  private readonly share: number;
  private readonly takeTimeoutMs: number;
  private readonly clock: () => number;
  private readonly onError: (err: unknown) => void;
  private readonly background = new Set<Promise<void>>();
  private lastPrune = 0;
  private lastForget = 0;
  /** After a failed take, requests are decided locally for a second instead of waiting on the store again. */
  private storeDownUntil = 0;

  constructor(options: RateLimiterOptions = {}) {
    this.store = options.store;
    this.share = options.share ?? 16;
    this.takeTimeoutMs = options.takeTimeoutMs ?? 2_000;
    this.clock = options.clock ?? Date.now;
    this.onError = options.onError ?? (() => {});
  }

  /**
   * Counts one request. Returns its status (synchronously on the fast path, or a promise when the
   * shared store decides); throws or rejects with a 429 carrying Retry-After when over `limit`.
   */
  hit(keyId: string, limit: number | null, now = this.clock()): RateStatus | null | Promise<RateStatus> {
    if (limit === null) return null;
    const k = this.stateOf(keyId, limit, now);
    if (k.allowance > 0) {
      k.allowance -= 1;
      if (this.store && !k.taking && k.allowance * 2 < this.chunk(k, now)) void this.runTakes(keyId, k);
      return this.status(k, now);
    }
    if (!admits(k.known, limit, now)) throw refusal(k.known, limit, now);
    if (!this.store || now < this.storeDownUntil) {
      // No store, or it just failed: decide on what this instance knows, pay the hit later.
      k.known.current += 1;
      if (this.store) k.owed.set(k.bucket, (k.owed.get(k.bucket) ?? 0) + 1);
      return this.status(k, now);
    }
    return new Promise<RateStatus>((resolve, reject) => {
      k.waiters.push({ resolve, reject });
      if (!k.taking) void this.runTakes(keyId, k);
    });
  }

  /** Hands back unused allowances and writes owed hits (graceful shutdown, tests). */
  async stop(): Promise<void> {
    for (const [keyId, k] of this.keys) this.release(keyId, k);
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  /** Background writes still running (tests wait for them). */
  settled(): Promise<void> {
    return Promise.all([...this.background]).then(() => undefined);
  }

  private stateOf(keyId: string, limit: number, now: number): KeyState {
    const bucket = Math.floor(now / MINUTE);
    let k = this.keys.get(keyId);
    if (!k) {
      k = { limit, bucket, allowance: 0, known: { previous: 0, current: 0 }, owed: new Map(), taking: false, waiters: [], lastHit: now };
      this.keys.set(keyId, k);
    }
    if (now - this.lastForget > MINUTE) {
      this.lastForget = now;
      this.forgetIdle(now);
    }
    k.lastHit = now;
    k.limit = limit;
    if (bucket !== k.bucket) {
      this.release(keyId, k);
      k.known = { previous: bucket === k.bucket + 1 ? k.known.current : 0, current: 0 };
      k.bucket = bucket;
    }
    return k;
  }

  /** Hands back the unused allowance of the key's bucket and writes what it owes. */
  private release(keyId: string, k: KeyState): void {
    const increments: WindowIncrement[] = [];
    if (k.allowance > 0) {
      increments.push({ keyId, bucket: k.bucket, hits: -k.allowance });
      k.known.current -= k.allowance;
      k.allowance = 0;
    }
    for (const [bucket, hits] of k.owed) increments.push({ keyId, bucket, hits });
    k.owed.clear();
    if (increments.length > 0 && this.store) this.track(this.write(this.store, increments, k));
  }

  private async write(store: RateLimitStore, increments: WindowIncrement[], k: KeyState): Promise<void> {
    try {
      await store.add(increments);
      const now = this.clock();
      if (now - this.lastPrune > MINUTE) {
        this.lastPrune = now;
        await store.prune(Math.floor(now / MINUTE) - 2);
      }
    } catch (err) {
      // Owed hits stay owed; a handed-back allowance that could not be written is simply lost
      // (the row then counts a few hits that were never made: it errs on refusing).
      for (const i of increments) if (i.hits > 0) k.owed.set(i.bucket, (k.owed.get(i.bucket) ?? 0) + i.hits);
      this.onError(err);
    }
  }

  /** An allowance worth taking: a share of what the window has left, at least 0. */
  private chunk(k: KeyState, now: number): number {
    return Math.max(0, Math.floor((k.limit - estimate(k.known, now)) / this.share));
  }

  /** Takes allowances while requests wait (or once, to refill ahead); one loop per key at a time. */
  private async runTakes(keyId: string, k: KeyState): Promise<void> {
    const store = this.store!;
    k.taking = true;
    try {
      do {
        const now = this.clock();
        const bucket = Math.floor(now / MINUTE);
        if (bucket !== k.bucket) this.stateOf(keyId, k.limit, now);
        if (k.owed.size > 0) this.release(keyId, k);
        const want = Math.max(k.waiters.length, this.chunk(k, now), 1);
        const weight = 1 - (now % MINUTE) / MINUTE;
        let r: TakeResult;
        try {
          r = await withTimeout(store.take({ keyId, bucket, limit: k.limit, weight, want }), this.takeTimeoutMs);
        } catch (err) {
          this.onError(err);
          this.storeDownUntil = this.clock() + 1_000;
          this.decideLocally(k);
          return;
        }
        const at = this.clock();
        if (Math.floor(at / MINUTE) === bucket && k.bucket === bucket) {
          k.known = { previous: Math.max(r.previous, k.known.previous), current: Math.max(r.current, k.known.current) };
          k.allowance += r.granted;
        } else if (r.granted > 0) {
          // The minute rolled over during the take: serve the waiters from the grant (it counts
          // in the previous bucket), hand back the rest.
          let spare = r.granted;
          while (spare > 0 && k.waiters.length > 0) {
            spare -= 1;
            k.waiters.shift()!.resolve(this.status(k, at));
          }
          if (spare > 0) this.track(this.write(store, [{ keyId, bucket, hits: -spare }], k));
          continue;
        }
        while (k.allowance > 0 && k.waiters.length > 0) {
          k.allowance -= 1;
          k.waiters.shift()!.resolve(this.status(k, at));
        }
        if (r.granted < want) {
          // The window is full as of this statement: everyone still waiting is refused.
          for (const w of k.waiters.splice(0)) w.reject(refusal(k.known, k.limit, at));
        }
      } while (k.waiters.length > 0);
    } finally {
      k.taking = false;
    }
  }

  /** The store did not answer: decide the waiting requests on what this instance knows. */
  private decideLocally(k: KeyState): void {
    const now = this.clock();
    for (const w of k.waiters.splice(0)) {
      if (!admits(k.known, k.limit, now)) {
        w.reject(refusal(k.known, k.limit, now));
        continue;
      }
      k.known.current += 1;
      k.owed.set(k.bucket, (k.owed.get(k.bucket) ?? 0) + 1);
      w.resolve(this.status(k, now));
    }
  }

  private status(k: KeyState, now: number): RateStatus {
    const used = { previous: k.known.previous, current: k.known.current - k.allowance };
    return { limit: k.limit, remaining: Math.max(0, Math.floor(k.limit - estimate(used, now))), resetMs: resetMs(used, now) };
  }

  private track(p: Promise<void>): void {
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
  }

  private forgetIdle(now: number): void {
    for (const [keyId, k] of this.keys) {
      if (now - k.lastHit > 2 * MINUTE && !k.taking && k.waiters.length === 0) {
        this.release(keyId, k);
        this.keys.delete(keyId);
      }
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`rate-limit store did not answer within ${ms} ms`)), ms);
    timer.unref?.();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** The 429 for a window that does not admit at `now`: exact Retry-After and x-ratelimit-* headers. */
export function refusal(c: WindowCounts, limit: number, now: number): GatewayError {
  const waitMs = admittedAt(c, limit, now) - now;
  const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
  return new GatewayError(
    429,
    "rate_limit_error",
    `Rate limit of ${limit} requests per minute exceeded for this key; retry after ${retryAfter} s.`,
    {
      headers: { "retry-after": String(retryAfter), ...rateLimitHeaders({ limit, remaining: 0, resetMs: Math.max(waitMs, 1) }) },
      refusal: "rate_limited_key",
    },
  );
}

/** Milliseconds until nothing counts in the window any more. */
export function resetMs(c: WindowCounts, now: number): number {
  const bucketStart = now - (now % MINUTE);
  if (c.current > 0) return bucketStart + 2 * MINUTE - now;
  if (c.previous > 0) return bucketStart + MINUTE - now;
  return 0;
}

/** Hits in the current minute bucket and the previous one. */
export interface WindowCounts {
  previous: number;
  current: number;
}

/** The sliding-window estimate at `now`: the previous bucket weighted by its overlap, plus the current. */
export function estimate(c: WindowCounts, now: number): number {
  const elapsed = (now % MINUTE) / MINUTE;
  return c.previous * (1 - elapsed) + c.current;
}

/** Whether one more request fits under `limit` at `now`. */
export function admits(c: WindowCounts, limit: number, now: number): boolean {
  return estimate(c, now) + 1 <= limit;
}

/**
 * The earliest time (epoch ms) at which the estimate admits one more request, assuming no other
 * hits arrive: within this minute once enough of the previous bucket has slid out, else in the
 * next minute once enough of this bucket has (it becomes the previous one). What Retry-After says.
 */
export function admittedAt(c: WindowCounts, limit: number, now: number): number {
  if (admits(c, limit, now)) return now;
  const bucketStart = now - (now % MINUTE);
  // This minute: previous * (1 - e) + current + 1 <= limit  =>  e >= 1 - (limit - 1 - current) / previous.
  if (c.current + 1 <= limit && c.previous > 0) {
    const e = 1 - (limit - 1 - c.current) / c.previous;
    const at = settle({ previous: c.previous, current: c.current }, limit, bucketStart + Math.ceil(e * MINUTE), bucketStart + MINUTE);
    if (at !== null) return at;
  }
  // Next minute: current * (1 - e) + 1 <= limit  =>  e >= 1 - (limit - 1) / current.
  const next = bucketStart + MINUTE;
  const e = c.current > 0 ? Math.max(0, 1 - (limit - 1) / c.current) : 0;
  return settle({ previous: c.current, current: 0 }, limit, next + Math.ceil(e * MINUTE), next + MINUTE) ?? next + MINUTE;
}

/** The first millisecond from `from` (before `end`) the estimate admits: guards against float rounding. */
function settle(c: WindowCounts, limit: number, from: number, end: number): number | null {
  for (let at = Math.max(from - 1, end - MINUTE); at < end; at++) if (admits(c, limit, at)) return at;
  return null;
}

