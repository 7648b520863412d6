import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ProviderKind } from "@/lib/engine/types";
import { closePools } from "@/lib/providers/http/pool";
import { getAdapter } from "@/lib/providers/registry";
import { collect, failure, REQUEST, SECRET_KEY, target } from "@/tests/helpers/fake-upstreams/collect";
import type { FakeUpstream } from "@/tests/helpers/fake-upstreams/harness";
import { OPENAI_TEXT, OPENAI_USAGE, startOpenAIFake } from "@/tests/helpers/fake-upstreams/openai";

const EXPECTED_USAGE = { promptTokens: 12, completionTokens: 7, cachedTokens: 4, reasoningTokens: 2, totalTokens: 19 };
const never = new AbortController().signal;

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startOpenAIFake();
});
afterAll(async () => {
  await fake.close();
  await closePools();
});
beforeEach(() => fake.reset());

// Every kind on the fast path, pointed through base_url at a fake of its own dialect.
describe.each<ProviderKind>(["openai", "mistral", "openrouter", "openai_compatible", "mock"])("%s over the OpenAI-compatible base", (kind) => {
  let fake: FakeUpstream;
  beforeAll(async () => {
    fake = await startOpenAIFake({ mistralStyle: kind === "mistral", keepAlives: kind === "openrouter" });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());
  const t = () => target({ kind, baseUrl: `${fake.origin}/v1`, modelCode: "gpt-fake" });

  it("completes: text, usage with cached and reasoning tokens, model version, the body as received", async () => {
    const res = await getAdapter(kind).complete(t(), REQUEST, never);
    expect(res.text).toBe(OPENAI_TEXT);
    expect(res.usage).toEqual(EXPECTED_USAGE);
    expect(res.finishReason).toBe("stop");
    expect(res.modelVersion).toBe("gpt-fake-2024-08-06");
    expect(res.body).toMatchObject({ object: "chat.completion", usage: OPENAI_USAGE });
    expect(JSON.parse(res.rawBody ?? "")).toEqual(res.body);

    const sent = fake.requests[0];
    expect(sent?.path).toBe("/v1/chat/completions");
    expect(sent?.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(sent?.body).toEqual({ ...REQUEST, model: "gpt-fake" });
  });

  it("streams: chunks, text, one usage event with the include_usage chunk, then the end", async () => {
    const out = await collect(getAdapter(kind).stream(t(), REQUEST, never));
    expect(out.error).toBeNull();
    expect(out.text).toBe(OPENAI_TEXT);
    expect(out.usage).toEqual(EXPECTED_USAGE);
    expect(out.usageChunk).toMatchObject({ object: "chat.completion.chunk", choices: [], usage: OPENAI_USAGE });
    expect(out.modelVersion).toBe("gpt-fake-2024-08-06");
    expect(out.finishReason).toBe("stop");
    expect(out.events.map((e) => e.type).slice(-2)).toEqual(["usage", "end"]);
    const sent = fake.requests[0]?.body;
    expect(sent?.stream).toBe(true);
    if (kind !== "mistral") expect(sent?.stream_options).toEqual({ include_usage: true });
  });

  it("classifies 429 as rate_limited with Retry-After, 5xx as retryable, 400 as not", async () => {
    fake.script(
      { kind: "status", status: 429, message: "Rate limit reached for requests", headers: { "retry-after": "2" } },
      { kind: "status", status: 503 },
      { kind: "status", status: 400, message: "Invalid 'messages'", errorType: "invalid_request_error" },
    );
    const limited = await failure(() => getAdapter(kind).complete(t(), REQUEST, never));
    expect(limited).toMatchObject({ code: "rate_limited", status: 429, retryable: true, retryAfterMs: 2000 });
    expect(limited.message).toContain("Rate limit reached");
    expect(await failure(() => getAdapter(kind).complete(t(), REQUEST, never))).toMatchObject({ code: "upstream_5xx", status: 503, retryable: true });
    const bad = await failure(() => getAdapter(kind).complete(t(), REQUEST, never));
    expect(bad).toMatchObject({ code: "bad_request", status: 400, retryable: false });
  });

  it("reports a hung upstream as a timeout close to timeoutMs", async () => {
    fake.script({ kind: "hang" }, { kind: "hang" });
    const slow = { ...t(), timeoutMs: 300 };
    const err = await failure(() => getAdapter(kind).complete(slow, REQUEST, never));
    expect(err).toMatchObject({ code: "timeout", retryable: true });
    expect(err.ms).toBeGreaterThanOrEqual(250);
    expect(err.ms).toBeLessThan(2_000);
    const streamed = await collect(getAdapter(kind).stream(slow, REQUEST, never));
    expect(streamed.error).toMatchObject({ code: "timeout", retryable: true });
    expect(streamed.ms).toBeLessThan(2_000);
  });

  it("reports a stream cut mid-answer as stream_cut after the chunks that did arrive", async () => {
    // The role chunk and two pieces (OpenRouter's fake opens with a keep-alive comment).
    fake.script({ kind: "cut", afterEvents: kind === "openrouter" ? 4 : 3 });
    const out = await collect(getAdapter(kind).stream(t(), REQUEST, never));
    expect(out.error).toMatchObject({ code: "stream_cut", retryable: true });
    expect(out.text).toBe("Hello from the");
    expect(out.events.some((e) => e.type === "end" || e.type === "usage")).toBe(false);
  });
});

describe("OpenAI-compatible edge cases", () => {
  const t = (extra: Partial<Parameters<typeof target>[0]> = {}) =>
    target({ kind: "openai_compatible", baseUrl: `${fake.origin}/v1`, modelCode: "gpt-fake", ...extra });

  it("honours base_url paths and appends /v1 to a bare origin (Ollama-style URLs)", async () => {
    await getAdapter("openai_compatible").complete(t({ baseUrl: `${fake.origin}/proxy/openai/v1/` }), REQUEST, never);
    await getAdapter("openai_compatible").complete(t({ baseUrl: fake.origin }), REQUEST, never);
    expect(fake.requests.map((r) => r.path)).toEqual(["/proxy/openai/v1/chat/completions", "/v1/chat/completions"]);
  });

  it("sends no Authorization header when a self-hosted server has no key", async () => {
    await getAdapter("openai_compatible").complete(t({ apiKey: null }), REQUEST, never);
    expect(fake.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("needs a key for public providers and a base_url for self-hosted ones", async () => {
    expect(await failure(() => getAdapter("openai").complete(t({ kind: "openai", apiKey: null }), REQUEST, never))).toMatchObject({
      code: "missing_key",
      retryable: false,
    });
    expect(await failure(() => getAdapter("openai_compatible").complete(t({ baseUrl: null }), REQUEST, never))).toMatchObject({
      code: "not_found",
    });
  });

  it("classifies 401, 404, 500 and 529", async () => {
    fake.script(
      { kind: "status", status: 401 },
      { kind: "status", status: 404 },
      { kind: "status", status: 500 },
      { kind: "status", status: 529, errorType: "overloaded_error" },
    );
    const a = getAdapter("openai_compatible");
    expect(await failure(() => a.complete(t(), REQUEST, never))).toMatchObject({ code: "auth", retryable: false });
    expect(await failure(() => a.complete(t(), REQUEST, never))).toMatchObject({ code: "not_found", retryable: false });
    expect(await failure(() => a.complete(t(), REQUEST, never))).toMatchObject({ code: "upstream_5xx", retryable: true });
    expect(await failure(() => a.complete(t(), REQUEST, never))).toMatchObject({ code: "overloaded", retryable: true });
  });

  it("never puts the API key in an error message, even when the upstream echoes it", async () => {
    fake.script(
      { kind: "status", status: 401, message: `Incorrect API key provided: ${SECRET_KEY}.` },
      { kind: "stream-error", afterEvents: 2, status: 401, message: `bad key Bearer ${SECRET_KEY}` },
    );
    const err = await failure(() => getAdapter("openai").complete(t({ kind: "openai" }), REQUEST, never));
    expect(err.message).toContain("Incorrect API key provided");
    expect(err.message).not.toContain(SECRET_KEY);
    const out = await collect(getAdapter("openai").stream(t({ kind: "openai" }), REQUEST, never));
    expect(out.error?.code).toBe("auth");
    expect(out.error?.message).not.toContain(SECRET_KEY);
  });

  it("treats a stalled stream as cut, after timeoutMs of silence", async () => {
    fake.script({ kind: "stall", afterEvents: 2 });
    const out = await collect(getAdapter("openai_compatible").stream(t({ timeoutMs: 300 }), REQUEST, never));
    expect(out.error).toMatchObject({ code: "stream_cut", retryable: true });
    expect(out.error?.message).toContain("no data for 300 ms");
    expect(out.ms).toBeLessThan(2_000);
  });

  it("treats a stream that ends cleanly but early (no finish, no [DONE]) as cut", async () => {
    fake.script({ kind: "truncate", afterEvents: 3 });
    const out = await collect(getAdapter("openai_compatible").stream(t(), REQUEST, never));
    expect(out.error).toMatchObject({ code: "stream_cut", retryable: true });
  });

  it("classifies an error event inside a 200 stream (OpenRouter, vLLM) by its code", async () => {
    fake.script({ kind: "stream-error", afterEvents: 2, status: 502, message: "provider returned error" });
    const out = await collect(getAdapter("openrouter").stream(t({ kind: "openrouter" }), REQUEST, never));
    expect(out.error).toMatchObject({ code: "upstream_5xx", status: 502, retryable: true });
  });

  it("reports malformed JSON as invalid_response", async () => {
    fake.script({ kind: "malformed" }, { kind: "malformed" }, { kind: "cut", afterEvents: 0 });
    const a = getAdapter("openai_compatible");
    expect(await failure(() => a.complete(t(), REQUEST, never))).toMatchObject({ code: "invalid_response" });
    expect((await collect(a.stream(t(), REQUEST, never))).error).toMatchObject({ code: "invalid_response" });
    // A body cut in half is a broken connection, not a parse error.
    expect(await failure(() => a.complete(t(), REQUEST, never))).toMatchObject({ code: "network", retryable: true });
  });

  it("turns a JSON answer to a stream request (a server that ignores `stream`) into one chunk", async () => {
    fake.script({ kind: "json" });
    const out = await collect(getAdapter("openai_compatible").stream(t(), REQUEST, never));
    expect(out.error).toBeNull();
    expect(out.text).toBe(OPENAI_TEXT);
    expect(out.usage).toEqual(EXPECTED_USAGE);
    expect(out.finishReason).toBe("stop");
  });

  it("drops the connection when the consumer stops early, and the pool keeps working", async () => {
    fake.script({ kind: "stall", afterEvents: 3 });
    for await (const e of getAdapter("openai_compatible").stream(t(), REQUEST, never)) {
      if (e.type === "chunk" && e.text) break;
    }
    expect((await getAdapter("openai_compatible").complete(t(), REQUEST, never)).text).toBe(OPENAI_TEXT);
  });

  it("reports a refused connection as a retryable network error", async () => {
    const err = await failure(() => getAdapter("openai_compatible").complete(t({ baseUrl: "http://127.0.0.1:1/v1" }), REQUEST, never));
    expect(err).toMatchObject({ code: "network", retryable: true, status: null });
  });

  it("surfaces the caller's abort as the abort reason, not as a provider failure", async () => {
    fake.script({ kind: "hang" });
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(new Error("client went away")), 50);
    await expect(getAdapter("openai_compatible").complete(t(), REQUEST, ctrl.signal)).rejects.toThrow("client went away");
  });

  it("maps Mistral's request quirks and its usage-on-the-last-chunk stream", async () => {
    const mistral = await startOpenAIFake({ mistralStyle: true });
    try {
      const req = { ...REQUEST, seed: 7, user: "u1", max_completion_tokens: 32, max_tokens: undefined };
      const out = await collect(getAdapter("mistral").stream(target({ kind: "mistral", baseUrl: `${mistral.origin}/v1` }), req, never));
      expect(out.error).toBeNull();
      expect(out.usage).toEqual(EXPECTED_USAGE);
      expect(out.usageChunk).toMatchObject({ choices: [], usage: OPENAI_USAGE });
      const sent = mistral.requests[0]?.body ?? {};
      expect(sent).toMatchObject({ random_seed: 7, max_tokens: 32, stream: true });
      for (const gone of ["seed", "user", "stream_options", "max_completion_tokens"]) expect(sent).not.toHaveProperty(gone);
    } finally {
      await mistral.close();
    }
  });

  it("ignores SSE comments and keep-alives (OpenRouter)", async () => {
    const router = await startOpenAIFake({ keepAlives: true });
    try {
      const out = await collect(getAdapter("openrouter").stream(target({ kind: "openrouter", baseUrl: `${router.origin}/api/v1` }), REQUEST, never));
      expect(out.text).toBe(OPENAI_TEXT);
      expect(router.requests[0]?.path).toBe("/api/v1/chat/completions");
    } finally {
      await router.close();
    }
  });

  it("the fake speaks OpenAI's real wire format: the official SDK reads it", async () => {
    const client = new OpenAI({ apiKey: "sk-test", baseURL: `${fake.origin}/v1`, maxRetries: 0 });
    const res = await client.chat.completions.create({ model: "gpt-fake", messages: [{ role: "user", content: "hi" }] });
    expect(res.choices[0]?.message.content).toBe(OPENAI_TEXT);
    const stream = await client.chat.completions.create({
      model: "gpt-fake",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: unknown = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(OPENAI_TEXT);
    expect(usage).toEqual(OPENAI_USAGE);
  });
});
