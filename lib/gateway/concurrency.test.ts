import { describe, expect, it } from "vitest";
import { ConcurrencyLimiter, releaseWhenDone, type Lease, type SlotStore } from "./concurrency";
import { GatewayError } from "./errors";
import { Reply, StreamReply, toResponse } from "./wire";

/** The per-key cap on calls in flight, and the lease a response carries until it ends. */

/** Without a shared store the limiter decides synchronously. */
function local(limiter: ConcurrencyLimiter, key: string, limit: number): Lease {
  const lease = limiter.acquire(key, limit);
  if (lease instanceof Promise) throw new Error("a limiter without a store decides synchronously");
  return lease;
}

function refusal(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error("expected a refusal");
}

describe("ConcurrencyLimiter", () => {
  it("admits up to the cap per key, refuses the next with 429 and retry-after 1, frees a slot on release", () => {
    const limiter = new ConcurrencyLimiter();
    const leases = [local(limiter, "a", 2), local(limiter, "a", 2)];
    const e = refusal(() => local(limiter, "a", 2));
    expect(e.status).toBe(429);
    expect(e.type).toBe("rate_limit_error");
    expect(e.headers["retry-after"]).toBe("1");
    expect(e.refusal).toBe("concurrency_limited");
    expect(e.message).toMatch(/at most 2/);
    // Another key is not affected.
    local(limiter, "b", 2).release();
    leases[0]!.release();
    const again = local(limiter, "a", 2);
    expect(limiter.held("a")).toBe(2);
    again.release();
    leases[1]!.release();
    expect(limiter.held("a")).toBe(0);
  });

  it("counts a lease released twice once", () => {
    const limiter = new ConcurrencyLimiter();
    const lease = local(limiter, "a", 1);
    const other = refusal(() => local(limiter, "a", 1));
    expect(other.status).toBe(429);
    lease.release();
    lease.release();
    expect(lease.released).toBe(true);
    const l2 = local(limiter, "a", 1);
    expect(() => local(limiter, "a", 1)).toThrow(GatewayError);
    l2.release();
  });
});

describe("releaseWhenDone", () => {
  it("releases a JSON answer's slot at once", () => {
    const limiter = new ConcurrencyLimiter();
    const lease = local(limiter, "k", 1);
    const res = releaseWhenDone(Reply.json({ ok: true }), lease);
    expect(lease.released).toBe(true);
    expect(res.status).toBe(200);
  });
});

describe("releaseWhenDone with a StreamReply (node:http's streamed answers)", () => {
  /** A source that counts how far it got and whether its finally block ran (where a call is recorded). */
  function source(values: string[], failAt = -1) {
    const seen = { finallyRan: false };
    async function* gen(): AsyncGenerator<string> {
      try {
        for (let i = 0; i < values.length; i++) {
          if (i === failAt) throw new Error("upstream gone");
          yield values[i]!;
        }
      } finally {
        seen.finallyRan = true;
      }
    }
    return { gen: gen(), seen };
  }

  it("holds the slot until the last frame has been read, formatting each frame", async () => {
    const limiter = new ConcurrencyLimiter();
    const lease = local(limiter, "k", 1);
    const { gen, seen } = source(["1", "2"]);
    const stream = releaseWhenDone(StreamReply.framed(200, { "x-request-id": "r" }, gen, (d) => `data: ${d}\n\n`), lease) as StreamReply;
    expect(stream.headers["x-request-id"]).toBe("r");
    expect(await stream.next()).toBe("data: 1\n\n");
    expect(lease.released).toBe(false);
    expect(limiter.held("k")).toBe(1);
    expect(await stream.next()).toBe("data: 2\n\n");
    expect(await stream.next()).toBeNull();
    expect(lease.released).toBe(true);
    expect(seen.finallyRan).toBe(true);
    expect(await stream.next()).toBeNull();
  });

  it("frees the slot of a stream cancelled after its first frame, and stops the source", async () => {
    const limiter = new ConcurrencyLimiter();
    const lease = local(limiter, "k", 1);
    const { gen, seen } = source(["1", "2", "3"]);
    const stream = releaseWhenDone(StreamReply.framed(200, {}, gen, (d) => d), lease) as StreamReply;
    await stream.next();
    await stream.cancel();
    expect(seen.finallyRan).toBe(true);
    expect(lease.released).toBe(true);
    expect(limiter.held("k")).toBe(0);
  });

  it("frees the slot of a stream cancelled before anything was read, and still runs the source's finally (which records the call)", async () => {
    const limiter = new ConcurrencyLimiter();
    const lease = local(limiter, "k", 1);
    const { gen, seen } = source(["1", "2"]);
    const stream = releaseWhenDone(StreamReply.framed(200, {}, gen, (d) => d), lease) as StreamReply;
    await stream.cancel();
    expect(seen.finallyRan).toBe(true);
    expect(lease.released).toBe(true);
    expect(await stream.next()).toBeNull();
  });

  it("frees the slot of a stream that fails, and rethrows the failure", async () => {
    const limiter = new ConcurrencyLimiter();
    const lease = local(limiter, "k", 1);
    const stream = releaseWhenDone(StreamReply.framed(200, {}, source(["1", "2"], 1).gen, (d) => d), lease) as StreamReply;
    expect(await stream.next()).toBe("1");
    await expect(stream.next()).rejects.toThrow("upstream gone");
    expect(lease.released).toBe(true);
  });

  it("reads the same frames through toResponse() (Next's route handlers)", async () => {
    const limiter = new ConcurrencyLimiter();
    const lease = local(limiter, "k", 1);
    const stream = releaseWhenDone(StreamReply.framed(200, { "content-type": "text/event-stream" }, source(["a", "b"]).gen, (d) => `data: ${d}\n\n`), lease);
    const response = toResponse(stream);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(await response.text()).toBe("data: a\n\ndata: b\n\n");
    expect(lease.released).toBe(true);
  });
});

/** The shared leases in memory, as concurrency_reserve() keeps them: slots per (key, instance). */
class MemorySlots {
  readonly rows = new Map<string, Map<string, number>>();
  calls = 0;
  failing = false;
  store(instance: string): SlotStore {
    return {
      reserve: async (keyId, cap, need, share) => {
        this.calls += 1;
        await Promise.resolve();
        if (this.failing) throw new Error("connection refused");
        const rows = this.rows.get(keyId) ?? new Map<string, number>();
        this.rows.set(keyId, rows);
        const others = [...rows].filter(([i]) => i !== instance).reduce((a, [, n]) => a + n, 0);
        const held = Math.max(0, Math.min(need, cap - others)) + Math.max(0, Math.floor((cap - others - need) / share));
        rows.set(instance, held);
        return { held, others };
      },
      renew: async () => {},
    };
  }
  total(keyId: string): number {
    return [...(this.rows.get(keyId)?.values() ?? [])].reduce((a, b) => a + b, 0);
  }
}

async function acquireAll(limiter: ConcurrencyLimiter, key: string, cap: number, n: number): Promise<Lease[]> {
  const results = await Promise.allSettled(Array.from({ length: n }, async () => limiter.acquire(key, cap)));
  for (const r of results) if (r.status === "rejected") expect((r.reason as GatewayError).refusal).toBe("concurrency_limited");
  return results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
}

describe("ConcurrencyLimiter shared across instances", () => {
  it("three instances hold at most the cap between them on a burst, and free slots for each other", async () => {
    const slots = new MemorySlots();
    const fleet = ["a", "b", "c"].map((i) => new ConcurrencyLimiter({ store: slots.store(i) }));
    const held = await Promise.all(fleet.map((l) => acquireAll(l, "k", 10, 30)));
    expect(held.flat()).toHaveLength(10);
    expect(slots.total("k")).toBe(10);
    // Released slots go back to the store, but for a spare of 1/8 of the free ones (here 1).
    for (const lease of held.flat()) lease.release();
    await Promise.all(fleet.map((l) => l.settled()));
    expect(slots.total("k")).toBeLessThanOrEqual(fleet.length);
    const again = await Promise.all(fleet.map((l) => acquireAll(l, "k", 10, 4)));
    expect(again.flat()).toHaveLength(10);
    for (const l of fleet) await l.stop();
  });

  it("far from the cap keeps spare slots, so most acquisitions need no statement", async () => {
    const slots = new MemorySlots();
    const limiter = new ConcurrencyLimiter({ store: slots.store("a") });
    const first = await limiter.acquire("k", 1000);
    const calls = slots.calls;
    const leases = [];
    for (let i = 0; i < 50; i++) {
      const lease = limiter.acquire("k", 1000);
      expect(lease).not.toBeInstanceOf(Promise);
      leases.push(lease as Lease);
    }
    expect(slots.calls).toBe(calls);
    for (const l of [first, ...leases]) l.release();
    await limiter.stop();
  });

  it("refuses a call at the cap on an instance that holds every slot itself", async () => {
    const slots = new MemorySlots();
    const limiter = new ConcurrencyLimiter({ store: slots.store("a") });
    const held = await acquireAll(limiter, "k", 2, 2);
    expect(held).toHaveLength(2);
    await expect(Promise.resolve().then(() => limiter.acquire("k", 2))).rejects.toBeInstanceOf(GatewayError);
    held[0]!.release();
    const again = await limiter.acquire("k", 2);
    again.release();
    held[1]!.release();
    await limiter.stop();
    expect(slots.total("k")).toBe(0);
  });

  it("caps on its own calls while the store fails", async () => {
    const slots = new MemorySlots();
    slots.failing = true;
    const limiter = new ConcurrencyLimiter({ store: slots.store("a") });
    expect(await acquireAll(limiter, "k", 3, 5)).toHaveLength(3);
  });
});
