import { describe, expect, it } from "vitest";
import { prepareCall } from "@/lib/providers/openai-compatible/request";
import type { ChatRequest, ProviderTarget } from "@/lib/providers/types";

const target: ProviderTarget = { kind: "openai_compatible", baseUrl: "http://127.0.0.1:9/v1", apiKey: null, modelCode: "m", timeoutMs: 1000 };
const options = { label: "openai_compatible", defaultBaseUrl: null, defaultPath: "/v1", requiresKey: false };

describe("prepareCall", () => {
  it("turns a body JSON cannot serialise into the caller's 400, never a provider failure", () => {
    let nested: unknown = 1;
    for (let i = 0; i < 200_000; i++) nested = [nested];
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const extra of [{ x: nested }, { x: cyclic }, { x: 10n }]) {
      const request = { messages: [{ role: "user", content: "hi" }], ...extra } as ChatRequest;
      expect(() => prepareCall(options, target, request, false)).toThrow(expect.objectContaining({ code: "local_invalid_request", origin: "local", status: 400 }));
    }
  });

  it("serialises an ordinary body with the target's model", () => {
    const call = prepareCall(options, target, { messages: [{ role: "user", content: "hi" }], temperature: 0 }, false);
    expect(JSON.parse(call.body)).toEqual({ messages: [{ role: "user", content: "hi" }], temperature: 0, model: "m" });
  });
});
