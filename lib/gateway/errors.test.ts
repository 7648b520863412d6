import { describe, expect, it, vi } from "vitest";
import { GatewayError, toGatewayError } from "./errors";

describe("GatewayError across bundles", () => {
  it("recognises a GatewayError thrown by another copy of the class (the other bundle's)", async () => {
    // A fresh module instance stands in for the second bundle's copy of errors.ts.
    vi.resetModules();
    const other = (await import(/* @vite-ignore */ "./errors?copy" as string)) as typeof import("./errors");
    const foreign = new other.GatewayError(429, "rate_limit_error", "slow down", { headers: { "retry-after": "3" } });
    expect(other.GatewayError).not.toBe(GatewayError);
    expect(foreign instanceof GatewayError).toBe(true);
    const mapped = toGatewayError(foreign);
    expect(mapped).toBe(foreign);
    expect(mapped.status).toBe(429);
  });

  it("still turns anything else into a 500 without internals", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const mapped = toGatewayError(Object.assign(new Error("secret sk-123"), { status: 429 }));
    expect(mapped.status).toBe(500);
    expect(mapped.message).not.toContain("sk-123");
    expect({} instanceof GatewayError).toBe(false);
    expect((null as unknown) instanceof GatewayError).toBe(false);
    spy.mockRestore();
  });
});
