import { describe, expect, it } from "vitest";
import { ConcurrencyLimiter, releaseWhenDone } from "./concurrency";
import { GatewayError } from "./errors";

/** The per-key cap on calls in flight, and the lease a response carries until it ends. */

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
    const leases = [limiter.acquire("a", 2), limiter.acquire("a", 2)];
    const e = refusal(() => limiter.acquire("a", 2));
    expect(e.status).toBe(429);
    expect(e.type).toBe("rate_limit_error");
    expect(e.headers["retry-after"]).toBe("1");
    expect(e.refusal).toBe("concurrency_limited");
    expect(e.message).toMatch(/at most 2/);
    // Another key is not affected.
    limiter.acquire("b", 2).release();
    leases[0]!.release();
    const again = limiter.acquire("a", 2);
    expect(limiter.held("a")).toBe(2);
    again.release();
    leases[1]!.release();
    expect(limiter.held("a")).toBe(0);
  });

  it("counts a lease released twice once", () => {
    const limiter = new ConcurrencyLimiter();
    const lease = limiter.acquire("a", 1);
    const other = refusal(() => limiter.acquire("a", 1));
    expect(other.status).toBe(429);
    lease.release();
    lease.release();
    expect(lease.released).toBe(true);
    const l2 = limiter.acquire("a", 1);
    expect(() => limiter.acquire("a", 1)).toThrow(GatewayError);
    l2.release();
  });
});

const sse = (chunks: string[]) => {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < chunks.length) c.enqueue(new TextEncoder().encode(chunks[i++]!));
      else c.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream; charset=utf-8", "x-request-id": "r" } });
};

describe("releaseWhenDone", () => {
  it("releases a JSON response's slot at once", () => {
    const limiter = new ConcurrencyLimiter();
    const lease = limiter.acquire("k", 1);
    const res = releaseWhenDone(Response.json({ ok: true }), lease);
    expect(lease.released).toBe(true);
    expect(res.status).toBe(200);
  });

  it("holds a stream's slot until the stream has been read to its end", async () => {
    const limiter = new ConcurrencyLimiter();
    const lease = limiter.acquire("k", 1);
    const res = releaseWhenDone(sse(["data: 1\n\n", "data: 2\n\n"]), lease);
    expect(res.headers.get("x-request-id")).toBe("r");
    const reader = res.body!.getReader();
    await reader.read();
    expect(lease.released).toBe(false);
    expect(limiter.held("k")).toBe(1);
    for (let r = await reader.read(); !r.done; r = await reader.read());
    expect(lease.released).toBe(true);
  });

  it("releases a stream's slot when the client cancels it", async () => {
    const limiter = new ConcurrencyLimiter();
    const lease = limiter.acquire("k", 1);
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(new TextEncoder().encode("data: x\n\n"));
      },
      cancel() {
        cancelled = true;
      },
    });
    const res = releaseWhenDone(new Response(body, { headers: { "content-type": "text/event-stream" } }), lease);
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(cancelled).toBe(true);
    expect(lease.released).toBe(true);
  });

  it("releases a stream's slot when the stream fails", async () => {
    const limiter = new ConcurrencyLimiter();
    const lease = limiter.acquire("k", 1);
    const body = new ReadableStream<Uint8Array>({
      pull() {
        throw new Error("upstream gone");
      },
    });
    const res = releaseWhenDone(new Response(body, { headers: { "content-type": "text/event-stream" } }), lease);
    await expect(res.body!.getReader().read()).rejects.toThrow("upstream gone");
    expect(lease.released).toBe(true);
  });
});
