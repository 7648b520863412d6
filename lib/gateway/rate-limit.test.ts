import { describe, expect, it } from "vitest";
import { GatewayError } from "./errors";
import { RateLimiter, admits, admittedAt, type RateLimitStore, type RateStatus, type TakeRequest, type TakeResult, type WindowIncrement } from "./rate-limit";
import { openAIDuration } from "./rate-limit-headers";

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

/** The shared windows in memory, as rate_limit_take() keeps them in Postgres. */
class MemoryStore implements RateLimitStore {
  readonly windows = new Map<string, number>();
  failing = false;
  takes = 0;
  async take(req: TakeRequest): Promise<TakeResult> {
    this.takes += 1;
    await Promise.resolve();
    if (this.failing) throw new Error("connection refused");
    const previous = this.windows.get(`${req.keyId}|${req.bucket - 1}`) ?? 0;
    const current = this.windows.get(`${req.keyId}|${req.bucket}`) ?? 0;
    const granted = Math.max(0, Math.min(req.want, Math.floor(req.limit - previous * req.weight - current)));
    this.windows.set(`${req.keyId}|${req.bucket}`, current + granted);
    return { granted, current: current + granted, previous };
  }
  async add(increments: WindowIncrement[]): Promise<void> {
    if (this.failing) throw new Error("connection refused");
    for (const i of increments) {
      const id = `${i.keyId}|${i.bucket}`;
      this.windows.set(id, Math.max(0, (this.windows.get(id) ?? 0) + i.hits));
    }
  }
  async prune(): Promise<void> {}
}

/** Fires n requests at once; counts the admitted ones. */
async function burst(rl: RateLimiter, key: string, limit: number, n: number): Promise<number> {
  const results = await Promise.allSettled(Array.from({ length: n }, async () => rl.hit(key, limit)));
  return results.filter((r) => r.status === "fulfilled").length;
}

describe("RateLimiter shared across instances", () => {
  const t = 60_000 * 3000;

  it("three instances admit exactly the limit on a burst at once", async () => {
    const store = new MemoryStore();
    const clock = () => t + 1000;
    const fleet = [0, 1, 2].map(() => new RateLimiter({ store, clock }));
    const counts = await Promise.all(fleet.map((rl) => burst(rl, "k", 60, 70)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(60);
    expect(store.windows.get(`k|${t / 60_000}`)).toBe(60);
  });

  it("far from the limit admits from the allowance without a take per request", async () => {
    const store = new MemoryStore();
    const rl = new RateLimiter({ store, clock: () => t + 5 });
    expect(await burst(rl, "k", 1_000_000, 1)).toBe(1);
    const takes = store.takes;
    for (let i = 0; i < 10_000; i++) {
      const s = rl.hit("k", 1_000_000, t + 10);
      expect(s).not.toBeInstanceOf(Promise);
    }
    expect(store.takes - takes).toBeLessThanOrEqual(1);
    const s = rl.hit("k", 1_000_000, t + 10) as RateStatus;
    expect(s.limit).toBe(1_000_000);
    expect(s.remaining).toBeLessThan(1_000_000 - 10_000);
    expect(s.remaining).toBeGreaterThan(1_000_000 - 100_000);
  });

  it("refuses with the exact Retry-After and, once refused, refuses locally without a take", async () => {
    const store = new MemoryStore();
    const rl = new RateLimiter({ store, clock: () => t + 10 });
    expect(await burst(rl, "k", 3, 3)).toBe(3);
    const err = await (async () => rl.hit("k", 3, t + 10))().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).headers["retry-after"]).toBe("80");
    expect((err as GatewayError).headers["x-ratelimit-remaining-requests"]).toBe("0");
    expect((err as GatewayError).headers["x-ratelimit-limit-requests"]).toBe("3");
    const takes = store.takes;
    expect(() => rl.hit("k", 3, t + 20)).toThrow(GatewayError);
    expect(store.takes).toBe(takes);
  });

  it("weights the other instances' previous minute", async () => {
    const store = new MemoryStore();
    let now = t;
    const clock = () => now;
    const a = new RateLimiter({ store, clock });
    const b = new RateLimiter({ store, clock });
    expect(await burst(a, "k", 10, 10)).toBe(10);
    now = t + 90_000; // half-way through the next minute: 5 of the previous 10 still count
    expect(await burst(b, "k", 10, 10)).toBe(5);
    await a.stop();
    await b.stop();
  });

  it("hands back an allowance left unused when the minute rolls over", async () => {
    const store = new MemoryStore();
    let now = t + 1;
    const rl = new RateLimiter({ store, clock: () => now });
    expect(await burst(rl, "k", 1600, 1)).toBe(1);
    expect(store.windows.get(`k|${t / 60_000}`)).toBe(100); // one share (1/16) of 1600
    now = t + 60_000 + 1;
    await rl.hit("k", 1600);
    await rl.settled();
    expect(store.windows.get(`k|${t / 60_000}`)).toBe(1);
    await rl.stop();
  });

  it("keeps limiting on what it knows while the store fails, and pays what it owes later", async () => {
    const store = new MemoryStore();
    const rl = new RateLimiter({ store, clock: () => t + 10 });
    store.failing = true;
    expect(await burst(rl, "k", 5, 8)).toBe(5);
    expect(store.windows.size).toBe(0);
    // For a second after a failure, other keys are decided locally too, without waiting on the store.
    expect(store.takes).toBe(1);
    expect(rl.hit("other", 5)).not.toBeInstanceOf(Promise);
    expect(store.takes).toBe(1);
    store.failing = false;
    await rl.stop();
    expect(store.windows.get(`k|${t / 60_000}`)).toBe(5);
    expect(store.windows.get(`other|${t / 60_000}`)).toBe(1);
  });

  it("ignores keys without a limit", () => {
    const store = new MemoryStore();
    const rl = new RateLimiter({ store });
    for (let i = 0; i < 100; i++) expect(rl.hit("free", null)).toBeNull();
    expect(store.takes).toBe(0);
  });
});

describe("OpenAI duration format", () => {
  it("writes milliseconds, seconds and minutes as OpenAI does", () => {
    expect(openAIDuration(120)).toBe("120ms");
    expect(openAIDuration(1000)).toBe("1s");
    expect(openAIDuration(1500)).toBe("1.5s");
    expect(openAIDuration(360_000)).toBe("6m0s");
    expect(openAIDuration(61_250)).toBe("1m1.25s");
    expect(openAIDuration(3_723_000)).toBe("1h2m3s");
    expect(openAIDuration(-5)).toBe("0ms");
  });
});
