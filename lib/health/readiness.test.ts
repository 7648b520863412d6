import { describe, expect, it } from "vitest";
import { evaluateReadiness, readinessStatus, startupState, type ReadinessInput } from "./readiness";

const fine: ReadinessInput = { startup: { state: "ok" }, draining: false, accepting: true, refusal: null };

describe("readiness", () => {
  it("is ready (200) when started, not draining and the recorder accepts", () => {
    const r = evaluateReadiness(fine);
    expect(r).toMatchObject({ status: "ready", checks: { startup: "ok", draining: false, recorder: { accepting: true } } });
    expect(r.reason).toBeUndefined();
    expect(readinessStatus(r)).toBe(200);
  });

  it.each([
    [{ startup: { state: "failed", error: "ECONNREFUSED" } }, "startup_failed"],
    [{ startup: { state: "pending" } }, "starting"],
    [{ draining: true }, "draining"],
    [{ accepting: false, refusal: "database unreachable and spool not writable" }, "cannot_record"],
  ] as [Partial<ReadinessInput>, string][])("is not ready (503) when %o: %s", (change, reason) => {
    const r = evaluateReadiness({ ...fine, ...change });
    expect(r.status).toBe("not_ready");
    expect(r.reason).toBe(reason);
    expect(r.message).toBeTruthy();
    expect(readinessStatus(r)).toBe(503);
  });

  it("names the first reason: a failed startup before a drain before the recorder", () => {
    expect(evaluateReadiness({ startup: { state: "failed", error: "x" }, draining: true, accepting: false, refusal: "r" }).reason).toBe("startup_failed");
    expect(evaluateReadiness({ ...fine, draining: true, accepting: false, refusal: "r" }).reason).toBe("draining");
    expect(evaluateReadiness({ ...fine, accepting: false, refusal: "spool not writable" }).message).toContain("spool not writable");
  });
});

describe("startupState", () => {
  it("is ok once the database opened", async () => {
    expect(await startupState(async () => ({}))).toEqual({ state: "ok" });
  });

  it("reports a failed startup by the error's code only, never its message (it can hold the URL)", async () => {
    const secret = "postgres://user:hunter2@db.internal:5432/app";
    const state = await startupState(async () => {
      throw Object.assign(new Error(`connect failed to ${secret}`), { code: "ECONNREFUSED" });
    });
    expect(state).toEqual({ state: "failed", error: "ECONNREFUSED" });
    const noCode = await startupState(async () => {
      throw new TypeError(`migration 42 failed: ${secret}`);
    });
    expect(noCode).toEqual({ state: "failed", error: "TypeError" });
    expect(JSON.stringify(evaluateReadiness({ ...fine, startup: noCode }))).not.toContain("hunter2");
  });

  it("is pending while the startup is still running", async () => {
    expect(await startupState(() => new Promise(() => undefined), 20)).toEqual({ state: "pending" });
  });
});
