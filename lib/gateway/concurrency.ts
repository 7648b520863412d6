import { GatewayError } from "./errors";

/**
 * Per-key cap on concurrent calls: a call holds a slot from admission until its response ends
 * (JSON handed to the server, stream finished or cancelled, error). One hostile or runaway client
 * cannot hold every upstream connection of the gateway however slowly the provider answers.
 *
 * The decision is local and synchronous, like RateLimiter's. Counts live behind a
 * ConcurrencyStore: the in-memory one counts this instance's calls; a shared store (the fleet
 * issue) can report this instance's counts and add the other instances' last-known counts, the way
 * RateLimitStore syncs windows, without changing callers. A Lease is released at most once, so a
 * release in a `finally` and another in a stream's end hook never count twice.
 */

export interface ConcurrencyStore {
  /** Takes a slot when fewer than `limit` are held for the key; false when the cap is reached. */
  tryAcquire(keyId: string, limit: number): boolean;
  release(keyId: string): void;
  /** Slots held for the key right now (as far as this instance knows). */
  held(keyId: string): number;
}

/** This instance's in-flight calls per key. */
export class MemoryConcurrencyStore implements ConcurrencyStore {
  private readonly counts = new Map<string, number>();

  tryAcquire(keyId: string, limit: number): boolean {
    const n = this.counts.get(keyId) ?? 0;
    if (n >= limit) return false;
    this.counts.set(keyId, n + 1);
    return true;
  }

  release(keyId: string): void {
    const n = this.counts.get(keyId) ?? 0;
    if (n <= 1) this.counts.delete(keyId);
    else this.counts.set(keyId, n - 1);
  }

  held(keyId: string): number {
    return this.counts.get(keyId) ?? 0;
  }
}

/** A held slot. `release()` is idempotent. */
export interface Lease {
  release(): void;
  readonly released: boolean;
}

export class ConcurrencyLimiter {
  constructor(private readonly store: ConcurrencyStore = new MemoryConcurrencyStore()) {}

  /** Takes a slot for the key or throws a 429 (`retry-after: 1`): a slot frees when any call ends. */
  acquire(keyId: string, limit: number): Lease {
    if (!this.store.tryAcquire(keyId, limit)) {
      throw new GatewayError(
        429,
        "rate_limit_error",
        `Too many concurrent requests for this API key: at most ${limit} may be in flight at once. Retry when one of them has finished.`,
        null,
        { "retry-after": "1" },
        "concurrency_limited",
      );
    }
    const store = this.store;
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        store.release(keyId);
      },
      get released() {
        return released;
      },
    };
  }

  held(keyId: string): number {
    return this.store.held(keyId);
  }
}

/**
 * Hands the lease to the response: a streamed body releases it when the stream ends, errors or is
 * cancelled; any other response releases it now (its body is already complete in memory).
 * Returns the response to send, whose body must be the one returned here.
 */
export function releaseWhenDone(response: Response, lease: Lease): Response {
  const body = response.body;
  if (!body || !(response.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    lease.release();
    return response;
  }
  const reader = body.getReader();
  const wrapped = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await reader.read();
        if (done) {
          lease.release();
          controller.close();
        } else controller.enqueue(value);
      } catch (err) {
        lease.release();
        controller.error(err);
      }
    },
    async cancel(reason) {
      try {
        await reader.cancel(reason);
      } finally {
        lease.release();
      }
    },
  });
  return new Response(wrapped, { status: response.status, statusText: response.statusText, headers: response.headers });
}
