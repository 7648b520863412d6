import { describe, expect, it, vi } from "vitest";
import { GatewayError } from "./errors";
import { RateLimiter, admits, admittedAt, type RateLimitStore, type WindowCount, type WindowIncrement } from "./rate-limit";

/** Retry-After of a refused hit, or null when the hit was admitted. */
function retryAfterOf(rl: RateLimiter, key: string, limit: number, now: number): number | null {
  try {
    rl.hit(key, limit, now);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    const seconds = Number((err as GatewayError).headers["retry-after"]);
    expect(Number.isInteger(seconds)).toBe(true);
    expect(seconds).toBeGreaterThanOrEqual(1);
    return seconds;
  }
}

describe("Retry-After", () => {
  it("admits a client that waits exactly the Retry-After it was told (the issue's case)", () => {
    // Issue 9: told 16 s, waited 16 s, got another 429 with retry-after: 60. A limit of 60 with a
    // full previous minute and a few hits in this one, refused 44 s into the minute.
    const rl = new RateLimiter();
    const minute = 60_000 * 3000;
    for (let i = 0; i < 60; i++) rl.hit("k", 60, minute + i * 900);
    const now = minute + 60_000 + 44_000;
    // Fill this minute until the window is full (at 44 s, 16 of the previous 60 still count).
    let admitted = 0;
    while (retryAfterOf(rl, "k", 60, now) === null) admitted += 1;
    expect(admitted).toBeGreaterThan(40);
    const told = retryAfterOf(rl, "k", 60, now);
    expect(told).not.toBeNull();
    expect(told).toBeLessThan(60);
    // One second earlier is too early; exactly the told wait is admitted.
    expect(retryAfterOf(rl, "k", 60, now + (told! - 1) * 1000)).not.toBeNull();
    expect(retryAfterOf(rl, "k", 60, now + told! * 1000)).toBeNull();
  });

  it("is never later than needed and always admits, over many window states", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 300; round++) {
      const rl = new RateLimiter();
      const limit = 1 + Math.floor(random() * 50);
      const start = 60_000 * (5000 + round);
      const previous = Math.floor(random() * (limit + 1));
      const current = Math.floor(random() * (limit + 1));
      for (let i = 0; i < previous; i++) if (retryAfterOf(rl, "k", limit, start + i) !== null) break;
      for (let i = 0; i < current; i++) if (retryAfterOf(rl, "k", limit, start + 60_000 + i * 10) !== null) break;
      const now = start + 60_000 + 1_000 + Math.floor(random() * 58_000);
      const told = retryAfterOf(rl, "k", limit, now);
      if (told === null) continue;
      // A probe one second earlier than told (when that is after now) is still refused, so the
      // answer is the earliest whole second; waiting exactly what was told is admitted.
      if (told > 1) {
        const probe = new RateLimiter();
        for (let i = 0; i < previous; i++) if (retryAfterOf(probe, "k", limit, start + i) !== null) break;
        for (let i = 0; i < current; i++) if (retryAfterOf(probe, "k", limit, start + 60_000 + i * 10) !== null) break;
        expect(retryAfterOf(probe, "k", limit, now + (told - 1) * 1000 - 1)).not.toBeNull();
      }
      expect(retryAfterOf(rl, "k", limit, now + told * 1000)).toBeNull();
    }
  });

  it("admittedAt is now when the window has room and never before the window admits", () => {
    const now = 60_000 * 10 + 30_000;
    expect(admittedAt({ previous: 0, current: 0 }, 1, now)).toBe(now);
    const at = admittedAt({ previous: 10, current: 5 }, 10, now);
    expect(admits({ previous: 10, current: 5 }, 10, at)).toBe(true);
    expect(admits({ previous: 10, current: 5 }, 10, at - 1)).toBe(false);
  });
});

describe("RateLimiter", () => {
  it("allows up to the limit in a minute, then refuses with Retry-After", () => {
    const rl = new RateLimiter();
    const t = 60_000 * 1000; // start of a minute
    for (let i = 0; i < 3; i++) rl.hit("k", 3, t + i);
    try {
      rl.hit("k", 3, t + 10);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(GatewayError);
      expect((err as GatewayError).status).toBe(429);
      // All 3 hits are in this bucket: the window admits again once a third of them slid out
      // of it in the next minute (3 * (1 - e) + 1 <= 3  =>  e >= 1/3, i.e. 60 s + 20 s - 10 ms).
      expect(Number((err as GatewayError).headers["retry-after"])).toBe(80);
      expect((err as GatewayError).refusal).toBe("rate_limited_key");
    }
  });

  it("weights the previous minute by its overlap with the window", () => {
    const rl = new RateLimiter();
    const t = 60_000 * 2000;
    for (let i = 0; i < 10; i++) rl.hit("k", 10, t + i);
    // Half-way through the next minute, half of the previous 10 still count.
    const half = t + 60_000 + 30_000;
    for (let i = 0; i < 5; i++) rl.hit("k", 10, half + i);
    expect(() => rl.hit("k", 10, half + 10)).toThrow(GatewayError);
    // Two minutes later nothing counts.
    expect(() => rl.hit("k", 10, t + 180_000)).not.toThrow();
  });

  it("keeps keys apart and ignores keys without a limit", () => {
    const rl = new RateLimiter();
    rl.hit("a", 1, 0);
    expect(() => rl.hit("b", 1, 1)).not.toThrow();
    for (let i = 0; i < 1000; i++) rl.hit("c", null, i);
  });
});

/** The shared counters in memory, as Postgres keeps them (rate-limit-store.ts): add, then read. */
class MemoryStore implements RateLimitStore {
  readonly windows = new Map<string, number>();
  failing = false;
  calls = 0;
  async sync(increments: WindowIncrement[]): Promise<WindowCount[]> {
    this.calls += 1;
    if (this.failing) throw new Error("connection refused");
    const out: WindowCount[] = [];
    for (const i of increments) {
      const id = `${i.keyId}|${i.bucket}`;
      this.windows.set(id, (this.windows.get(id) ?? 0) + i.hits);
      out.push({ keyId: i.keyId, bucket: i.bucket, count: this.windows.get(id)! });
      const prev = this.windows.get(`${i.keyId}|${i.bucket - 1}`);
      if (prev !== undefined) out.push({ keyId: i.keyId, bucket: i.bucket - 1, count: prev });
    }
    return out;
  }
  async prune(): Promise<void> {}
}

function admitted(rl: RateLimiter, key: string, limit: number, n: number, at: number): number {
  let ok = 0;
  for (let i = 0; i < n; i++) {
    try {
      rl.hit(key, limit, at + i);
      ok += 1;
    } catch {
      /* refused */
    }
  }
  return ok;
}

describe("RateLimiter shared across instances", () => {
  const t = 60_000 * 3000;

  it("two instances together admit the limit once their counts are synced", async () => {
    const store = new MemoryStore();
    const a = new RateLimiter({ store, syncMs: 10_000 });
    const b = new RateLimiter({ store, syncMs: 10_000 });
    expect(admitted(a, "k", 10, 6, t)).toBe(6);
    await a.sync(t + 10);
    // b's first request is decided before b knows of a's hits (the hot path never waits) …
    expect(admitted(b, "k", 10, 1, t + 11)).toBe(1);
    await b.sync(t + 12);
    // … then b learns of a's 6: with its own 1, only 3 more fit in this minute.
    expect(admitted(b, "k", 10, 10, t + 20)).toBe(3);
    await b.sync(t + 40);
    await a.sync(t + 40);
    expect(admitted(a, "k", 10, 5, t + 50)).toBe(0);
    expect(store.windows.get(`k|${t / 60_000}`)).toBe(10);
    await a.stop();
    await b.stop();
  });

  it("weights the other instances' previous minute too", async () => {
    const store = new MemoryStore();
    const a = new RateLimiter({ store, syncMs: 10_000 });
    const b = new RateLimiter({ store, syncMs: 10_000 });
    expect(admitted(a, "k", 10, 10, t)).toBe(10);
    await a.sync(t + 100);
    // Half-way through the next minute b reads the global previous window: 5 still count.
    const half = t + 90_000;
    expect(admitted(b, "k", 10, 1, half)).toBe(1);
    await b.sync(half + 1);
    // 5 of the previous 10 still count, plus b's 1: 4 more fit.
    expect(admitted(b, "k", 10, 10, half + 2)).toBe(4);
  });

  it("keeps limiting on its own counts while the store fails, and pays what it owes later", async () => {
    const store = new MemoryStore();
    const a = new RateLimiter({ store, syncMs: 10_000, onError: () => {} });
    store.failing = true;
    expect(admitted(a, "k", 5, 8, t)).toBe(5);
    await a.sync(t + 10);
    expect(store.windows.size).toBe(0);
    store.failing = false;
    await a.sync(t + 20);
    expect(store.windows.get(`k|${t / 60_000}`)).toBe(5);
    // Nothing is counted twice: the next sync adds nothing.
    await a.sync(t + 30);
    expect(store.windows.get(`k|${t / 60_000}`)).toBe(5);
  });

  it("syncs on its own timer after a hit and not at all for keys without a limit", async () => {
    const store = new MemoryStore();
    const a = new RateLimiter({ store, syncMs: 5 });
    a.hit("free", null);
    await new Promise((r) => setTimeout(r, 30));
    expect(store.calls).toBe(0);
    a.hit("k", 100);
    await vi.waitFor(() => expect([...store.windows.values()].reduce((x, y) => x + y, 0)).toBe(1));
    await a.stop();
  });
});
