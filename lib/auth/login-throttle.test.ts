import { describe, expect, it } from "vitest";
import { clearFailures, isThrottled, recordFailure } from "./login-throttle";

describe("login throttle", () => {
  it("throttles after ten failures within fifteen minutes and forgets them afterwards", () => {
    const keys = ["email:throttle@example.com"];
    const t0 = 1_000_000;
    for (let i = 0; i < 9; i++) recordFailure(keys, t0 + i);
    expect(isThrottled(keys, t0 + 10)).toBe(false);
    recordFailure(keys, t0 + 10);
    expect(isThrottled(keys, t0 + 11)).toBe(true);
    expect(isThrottled(keys, t0 + 15 * 60 * 1000 + 11)).toBe(false);
  });

  it("throttles when any one key is over the limit, and clears on success", () => {
    const ip = "ip:203.0.113.9";
    for (let i = 0; i < 10; i++) recordFailure([ip], 5_000 + i);
    expect(isThrottled(["email:other@example.com", ip], 5_020)).toBe(true);
    clearFailures([ip]);
    expect(isThrottled([ip], 5_021)).toBe(false);
  });
});
