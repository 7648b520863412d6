import { describe, expect, it } from "vitest";
import { CircuitBreakers, type CircuitOutcome } from "./circuit";

/** Fails the provider `n` times at `now` through passes, as the gateway does. */
function fail(cb: CircuitBreakers, n: number, now: number): void {
  for (let i = 0; i < n; i++) cb.allow("p", now)!.settle("failure", now);
}

/** A circuit that has just become half-open at t = 1000 (threshold 2, cooldown 1000). */
function halfOpen(): CircuitBreakers {
  const cb = new CircuitBreakers(2, 1000);
  fail(cb, 2, 0);
  expect(cb.state("p", 1000)).toBe("half_open");
  return cb;
}

describe("CircuitBreakers", () => {
  it("opens after the threshold of consecutive failures and lets one trial through after the cooldown", () => {
    const cb = new CircuitBreakers(3, 1000);
    fail(cb, 2, 0);
    expect(cb.state("p", 0)).toBe("closed");
    fail(cb, 1, 10);
    expect(cb.state("p", 10)).toBe("open");
    expect(cb.allow("p", 500)).toBeNull();
    expect(cb.state("p", 1010)).toBe("half_open");
    const trial = cb.allow("p", 1010);
    expect(trial).toMatchObject({ trial: true });
    expect(cb.allow("p", 1011)).toBeNull(); // only one trial
    trial!.settle("success", 1012);
    expect(cb.state("p", 1012)).toBe("closed");
    expect(cb.allow("p", 1013)).toMatchObject({ trial: false });
  });

  it("re-opens when the half-open trial fails, and a success resets the count", () => {
    const cb = new CircuitBreakers(2, 1000);
    fail(cb, 1, 0);
    cb.allow("p", 0)!.settle("success", 0);
    fail(cb, 1, 1);
    expect(cb.state("p", 1)).toBe("closed");
    fail(cb, 1, 2);
    const trial = cb.allow("p", 1002)!;
    trial.settle("failure", 1003);
    expect(cb.state("p", 1004)).toBe("open");
    expect(cb.snapshot(1004)).toEqual({ p: "open" });
    expect(cb.allow("p", 2002)).toBeNull();
    expect(cb.allow("p", 2003)).toMatchObject({ trial: true });
  });

  it("does not count neutral outcomes (caller errors, local errors, cancels) in a closed circuit", () => {
    const cb = new CircuitBreakers(2, 1000);
    for (let i = 0; i < 10; i++) cb.allow("p", i)!.settle("neutral", i);
    expect(cb.state("p", 10)).toBe("closed");
    fail(cb, 1, 11);
    cb.allow("p", 12)!.settle("neutral", 12); // a neutral outcome does not reset the count either
    fail(cb, 1, 13);
    expect(cb.state("p", 13)).toBe("open");
  });

  // Every way a trial can end hands the half-open state on: none leaves it stuck.
  const endings: [string, CircuitOutcome, "closed" | "open" | "half_open"][] = [
    ["success", "success", "closed"],
    ["a provider failure (5xx, 429, timeout, network)", "failure", "open"],
    ["the caller's 400", "neutral", "half_open"],
    ["a content filter", "neutral", "half_open"],
    ["a missing key", "neutral", "half_open"],
    ["a local error in our own code", "neutral", "half_open"],
    ["a client abort or cancel", "neutral", "half_open"],
  ];
  it.each(endings)("releases the trial when it ends in %s", (_name, outcome, state) => {
    const cb = halfOpen();
    const trial = cb.allow("p", 1000)!;
    expect(trial.trial).toBe(true);
    expect(cb.allow("p", 1001)).toBeNull();
    trial.settle(outcome, 1002);
    expect(cb.state("p", 1002)).toBe(state);
    if (state === "half_open") expect(cb.allow("p", 1003)).toMatchObject({ trial: true });
    if (state === "closed") expect(cb.allow("p", 1003)).toMatchObject({ trial: false });
    if (state === "open") expect(cb.allow("p", 1003)).toBeNull();
  });

  it("frees a trial that is never settled (an exception nobody caught) after its lease", () => {
    const cb = halfOpen();
    const lost = cb.allow("p", 1000, 200);
    expect(lost).not.toBeNull();
    expect(cb.allow("p", 1000 + 200 + 4999)).toBeNull(); // the lease is the timeout plus a margin
    const next = cb.allow("p", 1000 + 200 + 5000, 200);
    expect(next).toMatchObject({ trial: true });
    // The lost pass settling late cannot release the newer trial...
    lost!.settle("neutral", 7000);
    expect(cb.allow("p", 7001)).toBeNull();
    // ...and the newer trial's success closes the circuit.
    next!.settle("success", 7002);
    expect(cb.state("p", 7002)).toBe("closed");
  });

  it("counts a pass only once, whatever settles it again", () => {
    const cb = halfOpen();
    const trial = cb.allow("p", 1000)!;
    trial.settle("neutral", 1001);
    trial.settle("failure", 1002); // e.g. a finally after recordAttempt already settled it
    expect(cb.state("p", 1002)).toBe("half_open");
    const closed = new CircuitBreakers(2, 1000);
    const pass = closed.allow("p", 0)!;
    pass.settle("failure", 0);
    pass.settle("failure", 0);
    expect(closed.state("p", 0)).toBe("closed");
  });

  it("takes outcomes without a pass (the fleet's trial) and closes on reset (the fleet recovered)", () => {
    const cb = new CircuitBreakers(2, 1000);
    cb.note("p", "failure", 0);
    cb.note("p", "neutral", 1);
    cb.note("p", "failure", 2);
    expect(cb.state("p", 2)).toBe("open");
    cb.reset("p");
    expect(cb.state("p", 3)).toBe("closed");
    expect(cb.allow("p", 3)).toMatchObject({ trial: false });
    cb.note("p", "failure", 4);
    cb.note("p", "success", 5);
    cb.note("p", "failure", 6);
    expect(cb.state("p", 6)).toBe("closed");
  });
});
