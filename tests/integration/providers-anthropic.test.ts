import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fallbackPrice } from "@/lib/engine/fallback-prices";
import { priceUsage } from "@/lib/engine/price";
import { closePools } from "@/lib/providers/http/pool";
import { getAdapter } from "@/lib/providers/registry";
import { ANTHROPIC_MODEL_VERSION, ANTHROPIC_TEXT, ANTHROPIC_USAGE, startAnthropicFake } from "@/tests/helpers/fake-upstreams/anthropic";
import { collect, failure, REQUEST, SECRET_KEY, target } from "@/tests/helpers/fake-upstreams/collect";
import type { FakeUpstream } from "@/tests/helpers/fake-upstreams/harness";

// Anthropic counts cache reads (5) and writes (3) apart from input_tokens (10); the prompt is all
// three, and reads and writes are both reported as subsets of it.
const EXPECTED_USAGE = { promptTokens: 18, completionTokens: 7, cachedTokens: 5, cacheWriteTokens: 3, reasoningTokens: null, totalTokens: 25 };
const never = new AbortController().signal;
const adapter = getAdapter("anthropic");

let fake: FakeUpstream;
beforeAll(async () => {
  fake = await startAnthropicFake();
});
afterAll(async () => {
  await fake.close();
  await closePools();
});
beforeEach(() => fake.reset());

// A model the SDK knows accepts sampling parameters (it drops them for unknown future models).
const t = (extra: Partial<Parameters<typeof target>[0]> = {}) =>
  target({ kind: "anthropic", baseUrl: `${fake.origin}/v1`, modelCode: "claude-sonnet-4-5", ...extra });

describe("anthropic adapter (AI SDK) against a fake Messages API", () => {
  it("completes: maps the OpenAI request in and the message, usage and model version out", async () => {
    const res = await adapter.complete(t(), REQUEST, never);
    expect(res.text).toBe(ANTHROPIC_TEXT);
    expect(res.usage).toEqual(EXPECTED_USAGE);
    expect(res.finishReason).toBe("stop");
    expect(res.modelVersion).toBe(ANTHROPIC_MODEL_VERSION);
    expect(res.body).toMatchObject({
      object: "chat.completion",
      model: ANTHROPIC_MODEL_VERSION,
      choices: [{ index: 0, message: { role: "assistant", content: ANTHROPIC_TEXT }, finish_reason: "stop" }],
      usage: { prompt_tokens: 18, completion_tokens: 7, total_tokens: 25, prompt_tokens_details: { cached_tokens: 5 } },
    });

    const sent = fake.requests[0];
    expect(sent?.path).toBe("/v1/messages");
    expect(sent?.headers["x-api-key"]).toBe(SECRET_KEY);
    expect(sent?.headers["anthropic-version"]).toBeTruthy();
    expect(sent?.body).toMatchObject({
      model: "claude-sonnet-4-5",
      max_tokens: 64,
      temperature: 0.2,
      system: [{ type: "text", text: "You are terse." }],
      messages: [{ role: "user", content: [{ type: "text", text: "Say hello." }] }],
    });
  });

  it("streams: OpenAI chunks, the finish chunk, usage (with its include_usage chunk), end", async () => {
    const out = await collect(adapter.stream(t(), REQUEST, never));
    expect(out.error).toBeNull();
    expect(out.text).toBe(ANTHROPIC_TEXT);
    expect(out.usage).toEqual(EXPECTED_USAGE);
    expect(out.modelVersion).toBe(ANTHROPIC_MODEL_VERSION);
    expect(out.finishReason).toBe("stop");
    expect(out.chunks[0]).toMatchObject({ object: "chat.completion.chunk", choices: [{ delta: { role: "assistant" } }] });
    expect(out.chunks.at(-1)).toMatchObject({ choices: [{ delta: {}, finish_reason: "stop" }] });
    expect(out.usageChunk).toMatchObject({ choices: [], usage: { prompt_tokens: 18, completion_tokens: 7 } });
    expect(fake.requests[0]?.body.stream).toBe(true);
  });

  it("prices the reported cache writes at the cache-write price, exactly, without counting them twice", async () => {
    expect(ANTHROPIC_USAGE).toMatchObject({ input_tokens: 10, cache_read_input_tokens: 5, cache_creation_input_tokens: 3, output_tokens: 7 });
    const sonnet = fallbackPrice("claude-sonnet-4-20250514");
    expect(sonnet).toMatchObject({ inputPerMtok: "3.00", outputPerMtok: "15.00", cachedInputPerMtok: "0.30", cacheWritePerMtok: "3.75" });
    if (!sonnet) throw new Error("no fallback price for Claude Sonnet 4");
    const streamed = await collect(adapter.stream(t(), REQUEST, never));
    for (const usage of [(await adapter.complete(t(), REQUEST, never)).usage, streamed.usage]) {
      if (!usage) throw new Error("no usage reported");
      // (10 x 3 + 5 x 0.30 + 3 x 3.75 + 7 x 15) / 1e6 = (30 + 1.5 + 11.25 + 105) / 1e6
      expect(priceUsage(usage, sonnet)).toBe("0.00014775");
      // Before cache writes were priced: the 3 written tokens at the input price, 2.25e-6 less.
      expect(priceUsage({ ...usage, cacheWriteTokens: null }, sonnet)).toBe("0.0001455");
    }
  });

  it("structured output on a model without native support: a forced json tool, its input as the text, streamed and not", async () => {
    const schema = { type: "object", properties: { label: { type: "string" } }, required: ["label"], additionalProperties: false };
    const request = { ...REQUEST, response_format: { type: "json_schema", json_schema: { name: "label", schema, strict: true } } };
    const older = t({ modelCode: "claude-sonnet-4-20250514" });
    const res = await adapter.complete(older, request, never);
    expect(res.text).toBe('{"label":"fake"}');
    expect(res.finishReason).toBe("stop");
    expect(res.body).toMatchObject({ choices: [{ message: { content: '{"label":"fake"}' }, finish_reason: "stop" }] });
    expect(fake.requests[0]?.body).toMatchObject({ tools: [{ name: "json", input_schema: schema }], tool_choice: { type: "any", disable_parallel_tool_use: true } });
    expect(fake.requests[0]?.body.output_config).toBeUndefined();
    const streamed = await collect(adapter.stream(older, request, never));
    expect(streamed.error).toBeNull();
    expect(JSON.parse(streamed.text)).toEqual({ label: "fake" });
    expect(streamed.finishReason).toBe("stop");
  });

  it("refuses sampling parameters a model does not take (the SDK would drop them), before anything is sent", async () => {
    // claude-sonnet-5-5 takes no temperature / top_p / top_k: the SDK strips them with a warning.
    const newer = t({ modelCode: "claude-sonnet-5-5" });
    for (const [request, field] of [[REQUEST, "temperature"], [{ ...REQUEST, temperature: undefined, top_k: 5 }, "top_k"]] as const) {
      const refused = { code: "local_invalid_request", status: 400, retryable: false, origin: "local", message: expect.stringContaining(`"${field}" is not accepted by claude-sonnet-5-5`) };
      expect(await failure(() => adapter.complete(newer, request, never))).toMatchObject(refused);
      expect((await collect(adapter.stream(newer, request, never))).error).toMatchObject(refused);
    }
    expect(fake.requests).toHaveLength(0);
    // Without sampling parameters the same model is called.
    const { temperature: _t, ...plain } = REQUEST;
    expect((await adapter.complete(newer, plain, never)).text).toBe(ANTHROPIC_TEXT);
    expect(fake.requests[0]?.body).not.toHaveProperty("temperature");
  });

  it("appends /v1 to a bare base_url origin", async () => {
    await adapter.complete(t({ baseUrl: fake.origin }), REQUEST, never);
    expect(fake.requests[0]?.path).toBe("/v1/messages");
  });

  it("classifies 429 (with Retry-After), 529 overloaded, 500 and 400", async () => {
    fake.script(
      { kind: "status", status: 429, message: "Number of requests has exceeded your rate limit", headers: { "retry-after": "3" } },
      { kind: "status", status: 529, message: "Overloaded" },
      { kind: "status", status: 500 },
      { kind: "status", status: 400, message: "max_tokens: must be positive" },
    );
    const limited = await failure(() => adapter.complete(t(), REQUEST, never));
    expect(limited).toMatchObject({ code: "rate_limited", status: 429, retryable: true, retryAfterMs: 3000 });
    expect(limited.message).toContain("exceeded your rate limit");
    expect(await failure(() => adapter.complete(t(), REQUEST, never))).toMatchObject({ code: "overloaded", retryable: true });
    expect(await failure(() => adapter.complete(t(), REQUEST, never))).toMatchObject({ code: "upstream_5xx", retryable: true });
    expect(await failure(() => adapter.complete(t(), REQUEST, never))).toMatchObject({ code: "bad_request", retryable: false });
  });

  it("classifies an overloaded error event inside the stream", async () => {
    fake.script({ kind: "stream-error", afterEvents: 4, status: 529, message: "Overloaded" });
    const out = await collect(adapter.stream(t(), REQUEST, never));
    expect(out.error).toMatchObject({ code: "overloaded", retryable: true });
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
    fake.script({ kind: "cut", afterEvents: 5 }, { kind: "stall", afterEvents: 5 }, { kind: "truncate", afterEvents: 6 });
    const cut = await collect(adapter.stream(t(), REQUEST, never));
    expect(cut.error).toMatchObject({ code: "stream_cut", retryable: true });
    expect(cut.text).toBe("Hello from fake");
    const stalled = await collect(adapter.stream(t({ timeoutMs: 300 }), REQUEST, never));
    expect(stalled.error).toMatchObject({ code: "stream_cut", retryable: true });
    expect(stalled.ms).toBeLessThan(2_000);
    const truncated = await collect(adapter.stream(t(), REQUEST, never));
    expect(truncated.error).toMatchObject({ code: "stream_cut", retryable: true });
  });

  it("never puts the API key in an error message", async () => {
    fake.script({ kind: "status", status: 401, message: `invalid x-api-key: ${SECRET_KEY}` });
    const err = await failure(() => adapter.complete(t(), REQUEST, never));
    expect(err).toMatchObject({ code: "auth", retryable: false });
    expect(err.message).not.toContain(SECRET_KEY);
  });

  it("needs a key", async () => {
    expect(await failure(() => adapter.complete(t({ apiKey: null }), REQUEST, never))).toMatchObject({ code: "missing_key" });
  });
});
