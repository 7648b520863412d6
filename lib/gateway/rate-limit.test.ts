import { describe, expect, it } from "vitest";
import { GatewayError } from "./errors";
import { RateLimiter } from "./rate-limit";

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
      expect(Number((err as GatewayError).headers["retry-after"])).toBe(60);
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
