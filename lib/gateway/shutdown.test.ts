import { describe, expect, it } from "vitest";
import { shutdownGraceMs } from "./shutdown";

describe("SHUTDOWN_GRACE_MS", () => {
  it("defaults to 25 s when unset or blank", () => {
    expect(shutdownGraceMs({})).toBe(25_000);
    expect(shutdownGraceMs({ SHUTDOWN_GRACE_MS: "  " })).toBe(25_000);
  });

  it("takes a whole number of milliseconds from 0 to 10 minutes", () => {
    expect(shutdownGraceMs({ SHUTDOWN_GRACE_MS: "0" })).toBe(0);
    expect(shutdownGraceMs({ SHUTDOWN_GRACE_MS: "5000" })).toBe(5_000);
    expect(shutdownGraceMs({ SHUTDOWN_GRACE_MS: "600000" })).toBe(600_000);
  });

  it.each(["abc", "-1", "1.5", "600001", "25s"])("refuses %s with a message naming the variable", (value) => {
    expect(() => shutdownGraceMs({ SHUTDOWN_GRACE_MS: value })).toThrow(/^SHUTDOWN_GRACE_MS /);
  });
});
