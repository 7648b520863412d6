import { describe, expect, it } from "vitest";
import { CircuitBreakers } from "./circuit";

describe("CircuitBreakers", () => {
  it("opens after the threshold of consecutive failures and lets one trial through after the cooldown", () => {
    const cb = new CircuitBreakers(3, 1000);
    for (let i = 0; i < 2; i++) cb.failure("p", 0);
    expect(cb.state("p", 0)).toBe("closed");
    cb.failure("p", 10);
    expect(cb.state("p", 10)).toBe("open");
    expect(cb.allow("p", 500)).toBe(false);
    expect(cb.state("p", 1010)).toBe("half_open");
    expect(cb.allow("p", 1010)).toBe(true);
    expect(cb.allow("p", 1011)).toBe(false); // only one trial
    cb.success("p");
    expect(cb.state("p", 1012)).toBe("closed");
  });

  it("re-opens when the half-open trial fails, and a success resets the count", () => {
    const cb = new CircuitBreakers(2, 1000);
    cb.failure("p", 0);
    cb.success("p");
    cb.failure("p", 1);
    expect(cb.state("p", 1)).toBe("closed");
    cb.failure("p", 2);
    expect(cb.allow("p", 1002)).toBe(true);
    cb.failure("p", 1003);
    expect(cb.state("p", 1004)).toBe("open");
    expect(cb.snapshot(1004)).toEqual({ p: "open" });
  });
});
