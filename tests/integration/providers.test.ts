import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProviderKind } from "@/lib/engine/types";
import { closePools } from "@/lib/providers/http/pool";
import { getAdapter } from "@/lib/providers/registry";
import type { ProviderTarget } from "@/lib/providers/types";
import { startAnthropicFake } from "@/tests/helpers/fake-upstreams/anthropic";
import { collect, REQUEST, target } from "@/tests/helpers/fake-upstreams/collect";
import { startGeminiFake } from "@/tests/helpers/fake-upstreams/gemini";
import type { FakeUpstream } from "@/tests/helpers/fake-upstreams/harness";
import { startOpenAIFake } from "@/tests/helpers/fake-upstreams/openai";

/**
 * The contract every adapter keeps, whatever protocol is behind it: the gateway can forward
 * the body and the chunks to OpenAI-compatible callers unchanged and record usage the same way.
 */
const never = new AbortController().signal;
const fakes: FakeUpstream[] = [];
const targets = new Map<ProviderKind, ProviderTarget>();

beforeAll(async () => {
  const openai = await startOpenAIFake();
  const mistral = await startOpenAIFake({ mistralStyle: true });
  const anthropic = await startAnthropicFake();
  const gemini = await startGeminiFake();
  fakes.push(openai, mistral, anthropic, gemini);
  const at = (kind: ProviderKind, baseUrl: string | null, modelCode = "model-x") => targets.set(kind, target({ kind, baseUrl, modelCode }));
  at("openai", `${openai.origin}/v1`);
  at("openrouter", `${openai.origin}/v1`);
  at("openai_compatible", openai.origin);
  at("mistral", `${mistral.origin}/v1`);
  at("anthropic", `${anthropic.origin}/v1`, "claude-sonnet-4-5");
  at("google", `${gemini.origin}/v1beta`, "gemini-2.5-flash");
  at("mock", null);
});
afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  await closePools();
});

const KINDS: ProviderKind[] = ["openai", "openrouter", "openai_compatible", "mistral", "anthropic", "google", "mock"];

describe.each(KINDS)("%s keeps the adapter contract", (kind) => {
  const t = () => targets.get(kind) as ProviderTarget;

  it("complete(): an OpenAI chat.completion body that agrees with text, finish reason and usage", async () => {
    const res = await getAdapter(kind).complete(t(), REQUEST, never);
    expect(res.text.length).toBeGreaterThan(0);
    expect(res.body).toMatchObject({
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: res.text }, finish_reason: res.finishReason }],
    });
    expect(res.usage?.promptTokens).toBeGreaterThan(0);
    expect(res.usage?.completionTokens).toBeGreaterThan(0);
    expect(res.body.usage).toMatchObject({ prompt_tokens: res.usage?.promptTokens, completion_tokens: res.usage?.completionTokens });
    expect(typeof res.modelVersion).toBe("string");
  });

  it("stream(): chat.completion.chunk objects (and partial usage where the provider shows it), then exactly one usage event, then end", async () => {
    const out = await collect(getAdapter(kind).stream(t(), REQUEST, never));
    expect(out.error).toBeNull();
    const types = out.events.map((e) => e.type);
    expect(types.at(-1)).toBe("end");
    expect(types.at(-2)).toBe("usage");
    expect(types.filter((x) => x === "usage")).toHaveLength(1);
    expect(types.slice(0, -2).every((x) => x === "chunk" || x === "partial_usage")).toBe(true);
    // A partial usage never claims more than the final one.
    if (out.partialUsage) expect(out.partialUsage.promptTokens).toBe(out.usage?.promptTokens);
    for (const chunk of out.chunks) {
      expect(chunk).toMatchObject({ object: "chat.completion.chunk", choices: [{ index: 0, delta: expect.any(Object) }] });
    }
    expect(out.chunks[0]).toMatchObject({ choices: [{ delta: { role: "assistant" } }] });
    expect(out.text.length).toBeGreaterThan(0);
    expect(out.finishReason).toBe("stop");
    expect(out.usage?.promptTokens).toBeGreaterThan(0);
    expect(out.usageChunk).toMatchObject({ object: "chat.completion.chunk", choices: [], usage: { prompt_tokens: out.usage?.promptTokens } });
  });

  it("answers concurrent calls independently", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => getAdapter(kind).complete(t(), REQUEST, never)));
    expect(new Set(results.map((r) => r.text)).size).toBe(1);
  });
});

describe("registry", () => {
  it("has an adapter for every provider kind and rejects unknown ones", () => {
    for (const kind of KINDS) expect(getAdapter(kind)).toHaveProperty("complete");
    expect(() => getAdapter("bogus" as ProviderKind)).toThrow("unknown provider kind");
  });
});
