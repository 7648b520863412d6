import { GatewayError } from "./errors";

/**
 * Per-key requests-per-minute limit: a sliding window of two fixed one-minute buckets
 * (the previous bucket weighted by how much of it still overlaps the window). O(1) memory per
 * key. Per instance: with N instances a key may reach N× its limit; a Postgres-backed shared
 * window is the next step (DESIGN "Past one machine").
 */
interface Window {
  bucket: number;
  current: number;
  previous: number;
}

const MINUTE = 60_000;

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  /** Counts one request; throws a 429 with Retry-After when over `limit` per minute. */
  hit(keyId: string, limit: number | null, now = Date.now()): void {
    if (limit === null) return;
    const bucket = Math.floor(now / MINUTE);
    let w = this.windows.get(keyId);
    if (!w) {
      w = { bucket, current: 0, previous: 0 };
      this.windows.set(keyId, w);
    } else if (w.bucket !== bucket) {
      w.previous = w.bucket === bucket - 1 ? w.current : 0;
      w.current = 0;
      w.bucket = bucket;
    }
    const elapsed = (now % MINUTE) / MINUTE;
    const estimate = w.previous * (1 - elapsed) + w.current;
    if (estimate + 1 > limit) {
      const retryAfter = Math.max(1, Math.ceil(((1 - elapsed) * MINUTE) / 1000));
      throw new GatewayError(429, "rate_limit_error", `Rate limit of ${limit} requests per minute exceeded for this key.`, null, {
        "retry-after": String(retryAfter),
      });
    }
    w.current += 1;
  }
}
