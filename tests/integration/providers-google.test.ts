import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closePools } from "@/lib/providers/http/pool";
import { getAdapter } from "@/lib/providers/registry";
import { collect, failure, REQUEST, SECRET_KEY, target } from "@/tests/helpers/fake-upstreams/collect";
import { GEMINI_MODEL_VERSION, GEMINI_TEXT, startGeminiFake } from "@/tests/helpers/fake-upstreams/gemini";
import type { FakeUpstream } from "@/tests/helpers/fake-upstreams/harness";

// Gemini's prompt count includes the cached 6; output is candidates 8 + thoughts 3.
// Gemini reports no prompt-cache writes (implicit caching has no write surcharge): null, not 0.
const EXPECTED_USAGE = { promptTokens: 20, completionTokens: 11, cachedTokens: 6, cacheWriteTokens: null, reasoningTokens: 3, totalTokens: 31 };
const never = new AbortController().signal;
const adapter = getAdapter("google");

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startGeminiFake();
});
afterAll(async () => {
  await fake.close();
  await closePools();
});
beforeEach(() => fake.reset());

const t = (extra: Partial<Parameters<typeof target>[0]> = {}) =>
  target({ kind: "google", baseUrl: `${fake.origin}/v1beta`, modelCode: "gemini-2.5-flash", ...extra });

describe("google adapter (AI SDK) against a fake Gemini API", () => {
  it("completes: maps the OpenAI request in and the candidate, usage and model version out", async () => {
    const res = await adapter.complete(t(), REQUEST, never);
    expect(res.text).toBe(GEMINI_TEXT);
    expect(res.usage).toEqual(EXPECTED_USAGE);
    expect(res.finishReason).toBe("stop");
    expect(res.modelVersion).toBe(GEMINI_MODEL_VERSION);
    expect(res.body).toMatchObject({
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: GEMINI_TEXT }, finish_reason: "stop" }],
      usage: {
        prompt_tokens: 20,
        completion_tokens: 11,
        total_tokens: 31,
        prompt_tokens_details: { cached_tokens: 6 },
        completion_tokens_details: { reasoning_tokens: 3 },
      },
    });

    const sent = fake.requests[0];
    expect(sent?.path).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect(sent?.headers["x-goog-api-key"]).toBe(SECRET_KEY);
    expect(sent?.query.get("key")).toBeNull();
    expect(sent?.body).toMatchObject({
      systemInstruction: { parts: [{ text: "You are terse." }] },
      contents: [{ role: "user", parts: [{ text: "Say hello." }] }],
      generationConfig: { temperature: 0.2, maxOutputTokens: 64 },
    });
  });

  it("streams over ?alt=sse: OpenAI chunks, finish, usage, end", async () => {
    const out = await collect(adapter.stream(t(), REQUEST, never));
    expect(out.error).toBeNull();
    expect(out.text).toBe(GEMINI_TEXT);
    expect(out.usage).toEqual(EXPECTED_USAGE);
    expect(out.modelVersion).toBe(GEMINI_MODEL_VERSION);
    expect(out.finishReason).toBe("stop");
    expect(out.usageChunk).toMatchObject({ choices: [], usage: { prompt_tokens: 20, completion_tokens: 11 } });
    expect(fake.requests[0]?.path).toBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    expect(fake.requests[0]?.query.get("alt")).toBe("sse");
  });

  it("appends /v1beta to a bare base_url origin", async () => {
    await adapter.complete(t({ baseUrl: fake.origin }), REQUEST, never);
    expect(fake.requests[0]?.path).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
  });

  it("classifies 429 RESOURCE_EXHAUSTED (with Retry-After), 503, 500 and 400", async () => {
    fake.script(
      { kind: "status", status: 429, message: "Resource has been exhausted (e.g. check quota).", headers: { "retry-after": "1" } },
      { kind: "status", status: 503, message: "The model is overloaded." },
      { kind: "status", status: 500 },
      { kind: "status", status: 400, message: "Invalid JSON payload" },
    );
    const limited = await failure(() => adapter.complete(t(), REQUEST, never));
    expect(limited).toMatchObject({ code: "rate_limited", status: 429, retryable: true, retryAfterMs: 1000 });
    expect(limited.message).toContain("Resource has been exhausted");
    expect(await failure(() => adapter.complete(t(), REQUEST, never))).toMatchObject({ code: "upstream_5xx", status: 503, retryable: true });
    expect(await failure(() => adapter.complete(t(), REQUEST, never))).toMatchObject({ code: "upstream_5xx", retryable: true });
    expect(await failure(() => adapter.complete(t(), REQUEST, never))).toMatchObject({ code: "bad_request", retryable: false });
  });

  it("classifies an error payload inside the stream by its code", async () => {
    fake.script({ kind: "stream-error", afterEvents: 1, status: 503, message: "The model is overloaded." });
    const out = await collect(adapter.stream(t(), REQUEST, never));
    expect(out.error).toMatchObject({ code: "upstream_5xx", status: 503, retryable: true });
  });

  it("reports a hung upstream as a timeout close to timeoutMs", async () => {
    fake.script({ kind: "hang" }, { kind: "hang" });
    const err = await failure(() => adapter.complete(t({ timeoutMs: 300 }), REQUEST, never));
    expect(err).toMatchObject({ code: "timeout", retryable: true });
    expect(err.ms).toBeLessThan(2_000);
    const out = await collect(adapter.stream(t({ timeoutMs: 300 }), REQUEST, never));
    expect(out.error).toMatchObject({ code: "timeout", retryable: true });
    expect(out.ms).toBeLessThan(2_000);
  });

  it("reports a socket cut mid-answer, a stall and an early clean end as stream_cut", async () => {
    fake.script({ kind: "cut", afterEvents: 2 }, { kind: "stall", afterEvents: 2 }, { kind: "truncate", afterEvents: 2 });
    const cut = await collect(adapter.stream(t(), REQUEST, never));
    expect(cut.error).toMatchObject({ code: "stream_cut", retryable: true });
    expect(cut.text).toBe("Hello from fake");
    const stalled = await collect(adapter.stream(t({ timeoutMs: 300 }), REQUEST, never));
    expect(stalled.error).toMatchObject({ code: "stream_cut", retryable: true });
    const truncated = await collect(adapter.stream(t(), REQUEST, never));
    expect(truncated.error).toMatchObject({ code: "stream_cut", retryable: true });
  });

  it("never puts the API key in an error message", async () => {
    fake.script({ kind: "status", status: 400, message: `API key not valid: ${SECRET_KEY}` });
    const err = await failure(() => adapter.complete(t(), REQUEST, never));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("API key not valid");
    expect(err.message).not.toContain(SECRET_KEY);
  });
});
