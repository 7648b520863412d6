import { describe, expect, it } from "vitest";
import {
  canFallBack,
  errorFromStatus,
  errorFromThrown,
  invalidAnswerError,
  isProviderFault,
  localRequestError,
  missingKeyError,
  retryAfterMs,
  scrubSecrets,
  streamCutError,
  timeoutError,
  upstreamDetail,
} from "@/lib/providers/errors";
import { ProviderError } from "@/lib/providers/types";

const KEY = "sk-proj-abcdefghijklmnop1234567890";

describe("errorFromStatus", () => {
  it.each([
    [429, null, "rate_limited", true],
    [429, "insufficient_quota", "rate_limited", false],
    [408, null, "timeout", true],
    [500, null, "upstream_5xx", true],
    [502, null, "upstream_5xx", true],
    [503, null, "upstream_5xx", true],
    [504, null, "upstream_5xx", true],
    [520, null, "upstream_5xx", true],
    [529, null, "overloaded", true],
    [500, "overloaded_error", "overloaded", true],
    [400, null, "bad_request", false],
    [422, null, "bad_request", false],
    [400, "content_filter", "content_filter", false],
    [401, null, "auth", false],
    [403, null, "auth", false],
    [404, null, "not_found", false],
  ] as const)("HTTP %i (%s) → %s, retryable %s", (status, type, code, retryable) => {
    const err = errorFromStatus(status, { error: { message: "upstream says no", type } }, { apiKey: null });
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ code, status, retryable });
    expect(err.message).toContain("upstream says no");
  });

  it("reads the upstream message from each provider's error shape and truncates it", () => {
    expect(upstreamDetail({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } })).toEqual({
      message: "Overloaded",
      type: "overloaded_error",
    });
    expect(upstreamDetail([{ error: { code: 429, message: "Quota", status: "RESOURCE_EXHAUSTED" } }])).toEqual({
      message: "Quota",
      type: "RESOURCE_EXHAUSTED",
    });
    expect(upstreamDetail({ detail: [{ msg: "Extra inputs are not permitted" }] }).message).toContain("Extra inputs");
    expect(upstreamDetail("<html>Bad gateway</html>").message).toBe("<html>Bad gateway</html>");
    expect(errorFromStatus(500, "x".repeat(5000), { apiKey: null }).message.length).toBeLessThan(520);
  });

  it("attaches Retry-After to 429, 503 and overload only", () => {
    expect(errorFromStatus(429, "", { headers: { "retry-after": "7" }, apiKey: null }).retryAfterMs).toBe(7000);
    expect(errorFromStatus(503, "", { headers: { "retry-after": "1" }, apiKey: null }).retryAfterMs).toBe(1000);
    expect(errorFromStatus(400, "", { headers: { "retry-after": "1" }, apiKey: null }).retryAfterMs).toBeNull();
  });
});

describe("retryAfterMs", () => {
  it("reads retry-after-ms, seconds and HTTP dates", () => {
    expect(retryAfterMs({ "retry-after-ms": "250", "retry-after": "9" })).toBe(250);
    expect(retryAfterMs({ "retry-after": "1.5" })).toBe(1500);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }, now)).toBe(30_000);
    expect(retryAfterMs(new Headers({ "retry-after": "2" }))).toBe(2000);
    expect(retryAfterMs({ "retry-after": "soon" })).toBeNull();
    expect(retryAfterMs(undefined)).toBeNull();
  });
});

describe("scrubSecrets", () => {
  it("removes the known key and anything shaped like a credential", () => {
    const text = `Incorrect API key ${KEY}; Authorization: Bearer abc.def-ghi; url ?key=AIzaSyA1234567890abcdefghijk&alt=sse; x-api-key: sk-ant-api03-zzzzzzzzzzzzzzzz`;
    const out = scrubSecrets(text, KEY);
    expect(out).not.toContain(KEY);
    expect(out).not.toContain("abc.def-ghi");
    expect(out).not.toContain("AIzaSy");
    expect(out).not.toContain("sk-ant-api03-zzzz");
    expect(out).toContain("&alt=sse");
    expect(out).toContain("Incorrect API key");
  });

  it("redacts the key inside error messages built from upstream bodies", () => {
    expect(errorFromStatus(401, { error: { message: `bad key ${KEY}` } }, { apiKey: KEY }).message).not.toContain(KEY);
    expect(errorFromThrown(new Error(`connect to https://x/?key=${KEY} failed`), KEY).message).not.toContain(KEY);
  });
});

describe("errorFromThrown", () => {
  const withCode = (code: string) => Object.assign(new Error("boom"), { code });
  it.each([
    ["ECONNREFUSED", "network"],
    ["ECONNRESET", "network"],
    ["ENOTFOUND", "network"],
    ["UND_ERR_SOCKET", "network"],
    ["UND_ERR_CONNECT_TIMEOUT", "timeout"],
    ["UND_ERR_HEADERS_TIMEOUT", "timeout"],
  ])("%s → %s, retryable", (code, expected) => {
    expect(errorFromThrown(withCode(code), null)).toMatchObject({ code: expected, retryable: true, status: null });
  });

  it("follows the cause chain that fetch wraps socket errors in", () => {
    const err = new TypeError("fetch failed", { cause: withCode("ECONNREFUSED") });
    expect(errorFromThrown(err, null).code).toBe("network");
  });

  it("marks transport failures as the provider's and anything else thrown as local", () => {
    expect(errorFromThrown(withCode("ECONNRESET"), null).origin).toBe("provider");
    expect(errorFromThrown(withCode("HPE_INVALID_CONSTANT"), null)).toMatchObject({ code: "invalid_response", origin: "provider" });
    expect(errorFromThrown(new RangeError("Maximum call stack size exceeded"), null)).toMatchObject({ code: "local_error", origin: "local", retryable: false });
  });
});

describe("error origin and the circuit", () => {
  it.each([
    ["a provider 5xx", errorFromStatus(503, "down", { apiKey: null }), true],
    ["a provider 429", errorFromStatus(429, "slow", { apiKey: null }), true],
    ["a provider overload", errorFromStatus(529, "busy", { apiKey: null }), true],
    ["a timeout", timeoutError(100), true],
    ["a stream cut by the upstream", streamCutError("socket closed", null), true],
    ["a network error", errorFromThrown(Object.assign(new Error("x"), { code: "ECONNREFUSED" }), null), true],
    ["the provider's 400", errorFromStatus(400, "bad", { apiKey: null }), false],
    ["the provider's auth error", errorFromStatus(401, "key", { apiKey: null }), false],
    ["a garbled answer", invalidAnswerError("malformed JSON"), false],
    ["a missing key", missingKeyError("openai"), false],
    ["a request we cannot map", localRequestError("input_audio not supported"), false],
    ["a local 5xx-looking code", new ProviderError("upstream_5xx", "made up locally", { status: 500, retryable: true }), false],
  ])("%s counts against the circuit: %s", (_name, err, counts) => {
    expect(isProviderFault(err)).toBe(counts);
  });
});

describe("canFallBack", () => {
  it("falls back on transient and provider-specific failures, not on a bad request", () => {
    expect(canFallBack(new ProviderError("rate_limited", "", { status: 429, retryable: true }))).toBe(true);
    expect(canFallBack(new ProviderError("auth", "", { status: 401, retryable: false }))).toBe(true);
    expect(canFallBack(new ProviderError("not_found", "", { status: 404, retryable: false }))).toBe(true);
    expect(canFallBack(new ProviderError("missing_key", "", { retryable: false }))).toBe(true);
    expect(canFallBack(new ProviderError("bad_request", "", { status: 400, retryable: false }))).toBe(false);
    expect(canFallBack(new ProviderError("content_filter", "", { status: 400, retryable: false }))).toBe(false);
  });
});
