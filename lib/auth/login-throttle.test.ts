import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, LoginThrottle } from "./login-throttle";

const WINDOW = DEFAULT_LIMITS.windowMs;

describe("login throttle", () => {
  it("blocks an address after ten failures on one account within fifteen minutes, then forgets them", () => {
    const t = new LoginThrottle();
    const t0 = 1_000_000;
    for (let i = 0; i < 9; i++) t.recordFailure("203.0.113.9", "victim@example.com", t0 + i);
    expect(t.isThrottled("203.0.113.9", "victim@example.com", t0 + 10)).toBe(false);
    t.recordFailure("203.0.113.9", "victim@example.com", t0 + 10);
    expect(t.isThrottled("203.0.113.9", "victim@example.com", t0 + 11)).toBe(true);
    expect(t.isThrottled("203.0.113.9", "victim@example.com", t0 + WINDOW + 11)).toBe(false);
  });

  it("never locks the owner out: another address's failures do not throttle the owner's address", () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 200; i++) t.recordFailure(`198.51.100.${i % 250}`, "victim@example.com", 5_000 + i);
    t.recordFailure("198.51.100.7", "victim@example.com", 5_300);
    for (let i = 0; i < 30; i++) t.recordFailure("198.51.100.7", "victim@example.com", 5_301 + i);
    expect(t.isThrottled("198.51.100.7", "victim@example.com", 6_000)).toBe(true);
    expect(t.isThrottled("192.0.2.1", "victim@example.com", 6_000)).toBe(false);
  });

  it("limits one address across accounts (password spraying) at fifty failures", () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 49; i++) t.recordFailure("203.0.113.50", `user${i}@example.com`, 7_000 + i);
    expect(t.isThrottled("203.0.113.50", "fresh@example.com", 7_100)).toBe(false);
    t.recordFailure("203.0.113.50", "user49@example.com", 7_100);
    expect(t.isThrottled("203.0.113.50", "fresh@example.com", 7_101)).toBe(true);
    expect(t.isThrottled("203.0.113.51", "fresh@example.com", 7_101)).toBe(false);
  });

  it("clears the account's count on success, not the address's total", () => {
    const t = new LoginThrottle({ ...DEFAULT_LIMITS, perAddress: 12 });
    for (let i = 0; i < 10; i++) t.recordFailure("203.0.113.9", "me@example.com", 8_000 + i);
    expect(t.isThrottled("203.0.113.9", "me@example.com", 8_020)).toBe(true);
    t.recordSuccess("203.0.113.9", "me@example.com");
    expect(t.isThrottled("203.0.113.9", "me@example.com", 8_021)).toBe(false);
    t.recordFailure("203.0.113.9", "other@example.com", 8_022);
    t.recordFailure("203.0.113.9", "other@example.com", 8_023);
    expect(t.isThrottled("203.0.113.9", "third@example.com", 8_024)).toBe(true);
  });

  it("stays bounded: at most maxEntries keys, least recently failed evicted first, expired keys dropped", () => {
    const t = new LoginThrottle({ ...DEFAULT_LIMITS, maxEntries: 100 });
    for (let i = 0; i < 1_000; i++) t.recordFailure(`10.0.${i >> 8}.${i & 255}`, `u${i}@example.com`, 9_000 + i);
    expect(t.size()).toBeLessThanOrEqual(100);
    // The latest address is still counted; the first was evicted.
    for (let i = 0; i < 9; i++) t.recordFailure("10.0.3.231", "u999@example.com", 10_000 + i);
    expect(t.isThrottled("10.0.3.231", "u999@example.com", 10_010)).toBe(true);
    expect(t.size()).toBeLessThanOrEqual(100);
    // One failure a window later: everything before has expired and is gone.
    t.recordFailure("192.0.2.200", "late@example.com", 10_010 + WINDOW);
    expect(t.size()).toBe(2);
  });

  it("keeps at most the limit's timestamps per key however many failures arrive", () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 10_000; i++) t.recordFailure("203.0.113.77", "a@example.com", 20_000 + i);
    expect(t.size()).toBe(2);
    expect(t.isThrottled("203.0.113.77", "a@example.com", 30_001)).toBe(true);
  });
});
