import { describe, expect, it } from "vitest";
import { mockAdapter } from "@/lib/providers/mock";
import { ProviderError, type ProviderTarget, type StreamEvent } from "@/lib/providers/types";

const never = new AbortController().signal;
const t = (modelCode = "mock-model", timeoutMs = 5_000): ProviderTarget => ({ kind: "mock", baseUrl: null, apiKey: null, modelCode, timeoutMs });
const request = { messages: [{ role: "system" as const, content: "Be brief." }, { role: "user" as const, content: "Classify this work order." }] };

async function drain(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const e of stream) out.push(e);
  return out;
}

describe("mock adapter without base_url (in-process)", () => {
  it("answers deterministically from the last user message, with usage sized to the text", async () => {
    const a = await mockAdapter.complete(t(), request, never);
    const b = await mockAdapter.complete(t(), request, never);
    expect(a.text).toBe(b.text);
    expect(a.text).toContain("Classify this work order.");
    expect(a.usage?.completionTokens).toBe(Math.ceil(a.text.length / 4));
    expect(a.usage?.totalTokens).toBe((a.usage?.promptTokens ?? 0) + (a.usage?.completionTokens ?? 0));
    expect(a.body).toMatchObject({ object: "chat.completion", choices: [{ message: { content: a.text }, finish_reason: "stop" }] });
  });

  it("honours max_tokens with finish_reason length", async () => {
    const res = await mockAdapter.complete(t(), { ...request, max_tokens: 3 }, never);
    expect(res.finishReason).toBe("length");
    expect(res.usage?.completionTokens).toBeLessThanOrEqual(3);
  });

  it("streams the same text in a few chunks, then usage and end", async () => {
    const full = await mockAdapter.complete(t(), request, never);
    const events = await drain(mockAdapter.stream(t(), request, never));
    const text = events.map((e) => (e.type === "chunk" ? e.text : "")).join("");
    expect(text).toBe(full.text);
    expect(events.filter((e) => e.type === "chunk").length).toBeGreaterThan(3);
    expect(events.at(-2)).toMatchObject({ type: "usage", usage: full.usage });
    expect(events.at(-1)).toEqual({ type: "end", finishReason: "stop" });
  });

  it("scripts failures through the model code", async () => {
    await expect(mockAdapter.complete(t("mock-fail-429"), request, never)).rejects.toMatchObject({
      code: "rate_limited",
      retryable: true,
      retryAfterMs: 1000,
    });
    await expect(mockAdapter.complete(t("mock-fail-503"), request, never)).rejects.toMatchObject({ code: "upstream_5xx" });
    await expect(mockAdapter.complete(t("mock-fail-401"), request, never)).rejects.toMatchObject({ code: "auth", retryable: false });
    await expect(mockAdapter.complete(t("mock-slow-500", 50), request, never)).rejects.toMatchObject({ code: "timeout" });
    expect((await mockAdapter.complete(t("mock-slow-20"), request, never)).text.length).toBeGreaterThan(0);
    const cut = drain(mockAdapter.stream(t("mock-cut"), request, never));
    await expect(cut).rejects.toBeInstanceOf(ProviderError);
    await expect(cut).rejects.toMatchObject({ code: "stream_cut", retryable: true });
  });
});
