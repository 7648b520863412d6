import { GatewayError } from "./errors";

/**
 * Per-key requests-per-minute limit shared by every gateway instance.
 *
 * A sliding window of two fixed one-minute buckets (the previous bucket weighted by how much of
 * it still overlaps the window). The decision is local and synchronous, so the hot path never
 * waits for the database: each instance counts its own hits and, every `syncMs`, adds them to a
 * shared counter with one atomic upsert (rate_limit_windows, see the migration) that returns the
 * global count of every instance. The estimate is the last global count plus the hits not yet
 * synced. So with N instances a key can overshoot its limit by at most what the other N-1
 * instances admit within one sync interval, instead of N× the limit with per-process counters.
 * While the database is unreachable each instance keeps limiting on its own counts and syncs
 * what it owes once the database is back.
 */

const MINUTE = 60_000;

/** One window's hits to add to the shared counter. */
export interface WindowIncrement {
  keyId: string;
  /** Minute bucket: floor(epoch ms / 60,000). */
  bucket: number;
  hits: number;
}

/** Global count of a key's window after the upsert, including every instance's hits. */
export interface WindowCount {
  keyId: string;
  bucket: number;
  count: number;
}

export interface RateLimitStore {
  /**
   * Atomically adds the increments (hits may be 0, to read a window) and returns the global
   * counts of those windows and of each key's previous window.
   */
  sync(increments: WindowIncrement[]): Promise<WindowCount[]>;
  /** Deletes windows older than `beforeBucket`. */
  prune(beforeBucket: number): Promise<void>;
}

interface Bucket {
  /** Global count at the last sync, this instance's synced hits included. */
  synced: number;
  /** This instance's hits not yet added to the shared counter. */
  pending: number;
  /** Hits being written right now (moved back to pending if the write fails). */
  inFlight: number;
}

interface KeyWindows {
  current: number;
  buckets: Map<number, Bucket>;
  lastHit: number;
}

export interface RateLimiterOptions {
  store?: RateLimitStore;
  /** How often hits are added to the shared counter. */
  syncMs?: number;
  onError?: (err: unknown) => void;
}

export class RateLimiter {
  private readonly keys = new Map<string, KeyWindows>();
  private readonly store: RateLimitStore | undefined;
  private readonly syncMs: number;
  private readonly onError: (err: unknown) => void;
  private timer: NodeJS.Timeout | null = null;
  private syncing: Promise<void> | null = null;
  private lastPrune = 0;

  constructor(options: RateLimiterOptions = {}) {
    this.store = options.store;
    this.syncMs = options.syncMs ?? 200;
    this.onError = options.onError ?? (() => {});
  }

  /** Counts one request; throws a 429 with Retry-After when over `limit` per minute. */
  hit(keyId: string, limit: number | null, now = Date.now()): void {
    if (limit === null) return;
    const bucket = Math.floor(now / MINUTE);
    let k = this.keys.get(keyId);
    if (!k) {
      k = { current: bucket, buckets: new Map(), lastHit: now };
      this.keys.set(keyId, k);
    }
    k.lastHit = now;
    if (k.current !== bucket) {
      k.current = bucket;
      // Only this bucket and the previous one count; older ones go once they owe nothing.
      for (const [b, w] of k.buckets) if (b < bucket - 1 && w.pending === 0 && w.inFlight === 0) k.buckets.delete(b);
    }
    const cur = this.bucketOf(k, bucket);
    const prev = k.buckets.get(bucket - 1);
    const counts = { previous: prev ? total(prev) : 0, current: total(cur) };
    if (!admits(counts, limit, now)) {
      const retryAfter = Math.max(1, Math.ceil((admittedAt(counts, limit, now) - now) / 1000));
      throw new GatewayError(
        429,
        "rate_limit_error",
        `Rate limit of ${limit} requests per minute exceeded for this key; retry after ${retryAfter} s.`,
        null,
        { "retry-after": String(retryAfter) },
        "rate_limited_key",
      );
    }
    cur.pending += 1;
    this.schedule();
  }

  /** Adds what this instance owes to the shared counters and learns the global counts. */
  sync(now = Date.now()): Promise<void> {
    if (!this.store) return Promise.resolve();
    this.syncing ??= this.runSync(this.store, now).finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  /** Stops the timer and writes what is still owed (graceful shutdown, tests). */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.sync();
  }

  private bucketOf(k: KeyWindows, bucket: number): Bucket {
    let b = k.buckets.get(bucket);
    if (!b) {
      b = { synced: 0, pending: 0, inFlight: 0 };
      k.buckets.set(bucket, b);
    }
    return b;
  }

  private schedule(): void {
    if (!this.store || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.sync().then(() => {
        // Keep syncing while keys are active, so other instances' hits keep arriving.
        if ([...this.keys.values()].some((k) => Date.now() - k.lastHit < MINUTE)) this.schedule();
      });
    }, this.syncMs);
    this.timer.unref?.();
  }

  private async runSync(store: RateLimitStore, now: number): Promise<void> {
    const bucket = Math.floor(now / MINUTE);
    const increments: WindowIncrement[] = [];
    const taken: Bucket[] = [];
    for (const [keyId, k] of this.keys) {
      if (now - k.lastHit > 2 * MINUTE && [...k.buckets.values()].every((b) => b.pending === 0)) {
        this.keys.delete(keyId);
        continue;
      }
      // The current window is always read (hits 0 if none are owed); older ones only if owed.
      if (!k.buckets.has(bucket)) this.bucketOf(k, bucket);
      for (const [b, w] of k.buckets) {
        if (b !== bucket && w.pending === 0) continue;
        w.inFlight = w.pending;
        w.pending = 0;
        taken.push(w);
        increments.push({ keyId, bucket: b, hits: w.inFlight });
      }
    }
    if (increments.length === 0) return;
    try {
      const counts = await store.sync(increments);
      for (const w of taken) w.inFlight = 0;
      for (const c of counts) {
        const k = this.keys.get(c.keyId);
        if (!k) continue;
        if (c.bucket < k.current - 1) continue;
        const w = this.bucketOf(k, c.bucket);
        // The store's count already includes what was just written; never go below it locally.
        w.synced = Math.max(w.synced, c.count);
      }
      if (now - this.lastPrune > MINUTE) {
        this.lastPrune = now;
        await store.prune(bucket - 2);
      }
    } catch (err) {
      for (const w of taken) {
        w.pending += w.inFlight;
        w.inFlight = 0;
      }
      this.onError(err);
    }
  }
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

function total(b: Bucket): number {
  return b.synced + b.pending + b.inFlight;
}
