import { describe, expect, it } from "vitest";
import type { ProviderKind } from "@/lib/engine/types";
import { BILLING_SETTING_NAMES, kindAccepts, refusedField } from "@/lib/providers/request-fields";

const NONE = new Set<string>();
const messages = [{ role: "user", content: "hi" }];
const KINDS: ProviderKind[] = ["openai", "openai_compatible", "openrouter", "mistral", "anthropic", "google", "mock"];

/** What the official openai SDK and common clients send on ordinary calls. */
const ORDINARY = {
  model: "auto", messages, stream: true, stream_options: { include_usage: true }, max_completion_tokens: 100, user: "u-1",
  metadata: { action: "classify" }, temperature: 0.2, top_p: 0.9, stop: ["END"], n: 1,
  tools: [{ type: "function", function: { name: "f", parameters: {} } }], tool_choice: "auto",
};

describe("refusedField", () => {
  it.each(KINDS)("lets the ordinary SDK fields through to %s", (kind) => {
    // Anthropic's current models take temperature or top_p, not both (below).
    const { top_p: _topP, ...ordinary } = ORDINARY;
    expect(refusedField(kind, kind === "anthropic" ? ordinary : ORDINARY, NONE)).toBeNull();
  });

  it("lets Anthropic take what it translates, and refuses by value what it cannot honour", () => {
    const tools = ORDINARY.tools;
    const translated = {
      messages: [{ role: "user", content: [{ type: "text", text: "x", cache_control: { type: "ephemeral", ttl: "1h" } }] }],
      response_format: { type: "json_schema", json_schema: { name: "v", schema: { type: "object" } } }, parallel_tool_calls: false, tools,
      logprobs: false, top_logprobs: null, temperature: 1, user: "u-1",
    };
    expect(refusedField("anthropic", translated, NONE)).toBeNull();
    expect(refusedField("anthropic", { messages, response_format: { type: "json_object" } }, NONE)).toBeNull();
    for (const [body, field, why] of [
      [{ temperature: 1.5 }, "temperature", /0 to 1/],
      [{ temperature: 0.5, top_p: 0.9 }, "top_p", /not both/],
      [{ logprobs: true }, "logprobs", /log probabilities/],
      [{ top_logprobs: 3 }, "top_logprobs", /log probabilities/],
      [{ parallel_tool_calls: false }, "parallel_tool_calls", /only with tools/],
      [{ response_format: { type: "regex" } }, "response_format", /no Anthropic equivalent/],
      [{ response_format: { type: "json_schema", json_schema: { name: "v" } } }, "response_format", /json_schema\.schema/],
      [{ messages: [{ role: "user", content: "x", cache_control: { type: "ephemeral", ttl: "2h" } }] }, "messages", /messages\[0\]\.cache_control/],
      [{ messages: [{ role: "user", content: Array.from({ length: 5 }, () => ({ type: "text", text: "x", cache_control: { type: "ephemeral" } })) }] }, "messages", /at most 4/],
    ] as const) {
      expect(refusedField("anthropic", { messages, ...body }, NONE)).toMatchObject({ field, reason: "value", kind: "anthropic", why: expect.stringMatching(why) });
    }
    // Other kinds take these values as they are.
    expect(refusedField("openai", { messages, temperature: 1.5, logprobs: true }, NONE)).toBeNull();
  });

  it("lets OpenAI-shaped kinds take response_format, seed, logprobs and prediction", () => {
    const body = { messages, response_format: { type: "json_object" }, seed: 7, logprobs: true, top_logprobs: 2, prediction: { type: "content", content: "x" } };
    for (const kind of ["openai", "openai_compatible", "openrouter", "mock"] as const) expect(refusedField(kind, body, NONE)).toBeNull();
  });

  it.each([
    ["service_tier", "priority", "service_tier"],
    ["service_tier", "flex", "service_tier"],
    ["store", true, "store"],
    ["prompt_cache_retention", "24h", "prompt_cache_retention"],
    ["modalities", ["text", "audio"], "audio"],
    ["audio", { voice: "alloy", format: "wav" }, "audio"],
    ["web_search_options", {}, "web_search_options"],
  ])("refuses the billing field %s = %j on openai unless %s is allowed", (field, value, setting) => {
    const body = { messages, [field]: value };
    expect(refusedField("openai", body, NONE)).toMatchObject({ field, reason: "billing", setting });
    expect(refusedField("openai", body, new Set([setting]))).toBeNull();
  });

  it.each([
    ["service_tier", "default"],
    ["service_tier", null],
    ["store", false],
    ["prompt_cache_retention", "in-memory"],
    ["modalities", ["text"]],
  ])("accepts %s = %j (the provider's default: nothing billed apart)", (field, value) => {
    expect(refusedField("openai", { messages, [field]: value }, NONE)).toBeNull();
  });

  it.each(["models", "plugins", "route", "provider", "transforms"])("refuses OpenRouter's %s unless allowed", (field) => {
    const value = field === "route" ? "fallback" : field === "provider" ? { sort: "price" } : [{ id: "web" }];
    expect(refusedField("openrouter", { messages, [field]: value }, NONE)).toMatchObject({ field, reason: "billing" });
    expect(refusedField("openrouter", { messages, [field]: value }, new Set([field]))).toBeNull();
  });

  it("refuses fields a kind does not take, naming the kind, and never passes an unknown field", () => {
    expect(refusedField("openai", { messages, models: ["a"] }, new Set(["models"]))).toEqual({ field: "models", reason: "unsupported", kind: "openai" });
    expect(refusedField("mistral", { messages, logprobs: true }, NONE)).toMatchObject({ field: "logprobs", reason: "unsupported" });
    expect(refusedField("mistral", { messages, response_format: { type: "json_object" }, top_logprobs: 1 }, NONE)).toMatchObject({ field: "top_logprobs", reason: "unsupported" });
    expect(refusedField("anthropic", { messages, seed: 1 }, NONE)).toMatchObject({ field: "seed", reason: "unsupported" });
    expect(refusedField("google", { messages, seed: 1 }, NONE)).toBeNull();
    for (const kind of KINDS) expect(refusedField(kind, { messages, foo_bar: 1 }, NONE)).toMatchObject({ field: "foo_bar", reason: "unsupported" });
  });

  it("ignores fields set to undefined and lets Mistral take both seed spellings", () => {
    expect(refusedField("mistral", { messages, logprobs: undefined, seed: 1, random_seed: 2, safe_prompt: true }, NONE)).toBeNull();
    expect(kindAccepts("mistral", "max_completion_tokens")).toBe(true);
  });

  it("refuses input_audio content parts where the kind forwards them, unless input_audio is allowed", () => {
    const audio = [{ role: "system", content: "be brief" }, { role: "user", content: [{ type: "text", text: "what is said?" }, { type: "input_audio", input_audio: { data: "AAAA", format: "wav" } }] }];
    for (const kind of ["openai", "openai_compatible", "openrouter", "mistral", "mock"] as const) {
      expect(refusedField(kind, { messages: audio }, NONE)).toMatchObject({ field: "messages", reason: "billing", setting: "input_audio", why: expect.stringContaining("messages[1].content[1] is an input_audio part") });
      expect(refusedField(kind, { messages: audio }, new Set(["input_audio"]))).toBeNull();
      // "audio" (audio output) does not allow audio input.
      expect(refusedField(kind, { messages: audio }, new Set(["audio"]))).toMatchObject({ setting: "input_audio" });
    }
    // The AI SDK kinds refuse it when mapping the messages (a local 400), not here.
    for (const kind of ["anthropic", "google"] as const) expect(refusedField(kind, { messages: audio }, NONE)).toBeNull();
    const image = [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } }] }];
    expect(refusedField("openai", { messages: image }, NONE)).toBeNull();
  });

  it("names every billing setting once", () => {
    expect([...BILLING_SETTING_NAMES].sort()).toEqual(
      ["audio", "input_audio", "models", "plugins", "prompt_cache_retention", "provider", "route", "service_tier", "store", "transforms", "web_search_options"],
    );
  });

  describe("Gemini values", () => {
    const tools = [{ type: "function", function: { name: "f", parameters: { type: "object", properties: {} } } }];
    const gemini = { stream: false, modelCode: "gemini-2.0-flash" };
    it("translates structured output, penalties, seed, tool_choice and default values", () => {
      for (const body of [
        { response_format: { type: "json_object" } },
        { response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "object" } } } },
        { presence_penalty: 0.5, frequency_penalty: -0.5, seed: 7, logprobs: false, parallel_tool_calls: true },
        { tools, tool_choice: { type: "function", function: { name: "f" } } },
        { stop: ["a", "b", "c", "d", "e"], n: 3 },
      ]) expect(refusedField("google", { messages, ...body }, NONE, gemini)).toBeNull();
    });
    it.each([
      [{ logprobs: true }, "logprobs", /not available from Gemini/],
      [{ top_logprobs: 2 }, "top_logprobs", /not available from Gemini/],
      [{ tools, parallel_tool_calls: false }, "parallel_tool_calls", /no switch/],
      [{ stop: ["a", "b", "c", "d", "e", "f"] }, "stop", /at most 5 stop sequences; the request has 6/],
      [{ response_format: { type: "json_schema", json_schema: { name: "x" } } }, "response_format", /json_schema\.schema/],
      [{ tool_choice: "required" }, "tool_choice", /only with tools/],
      [{ tools, tool_choice: { type: "allowed_tools" } }, "tool_choice", /must be/],
    ])("refuses %j naming %s", (body, field, why) => {
      expect(refusedField("google", { messages, ...body }, NONE, gemini)).toMatchObject({ field, reason: "value", kind: "google", why: expect.stringMatching(why) });
    });
    it("refuses penalties for Gemini 2.5 models only (the SDK would leave them out)", () => {
      const on25 = { stream: false, modelCode: "gemini-2.5-flash" };
      expect(refusedField("google", { messages, presence_penalty: 0.1 }, NONE, on25)).toMatchObject({ field: "presence_penalty", why: expect.stringMatching(/Gemini 2\.5/) });
      expect(refusedField("google", { messages, frequency_penalty: 0.1 }, NONE, on25)).toMatchObject({ field: "frequency_penalty" });
    });
  });

  it("tool_choice for Anthropic: only beside tools, and only the shapes the SDK maps", () => {
    const tools = [{ type: "function", function: { name: "f", parameters: { type: "object", properties: {} } } }];
    expect(refusedField("anthropic", { messages, tools, tool_choice: "required" }, NONE)).toBeNull();
    expect(refusedField("anthropic", { messages, tool_choice: "auto" }, NONE)).toMatchObject({ field: "tool_choice", reason: "value" });
    expect(refusedField("anthropic", { messages, tools, tool_choice: { type: "allowed_tools" } }, NONE)).toMatchObject({ field: "tool_choice" });
  });

  it("n > 1: fanned out by Anthropic and Gemini unless streamed; refused where the upstream answers one choice", () => {
    for (const kind of ["openai", "openai_compatible", "mistral", "anthropic", "google"] as const) expect(refusedField(kind, { messages, n: 4 }, NONE)).toBeNull();
    for (const kind of ["anthropic", "google"] as const) {
      expect(refusedField(kind, { messages, n: 2 }, NONE, { stream: true, modelCode: null })).toMatchObject({ field: "n", reason: "value", why: expect.stringMatching(/non-streamed/) });
    }
    expect(refusedField("openai", { messages, n: 2 }, NONE, { stream: true, modelCode: null })).toBeNull();
    for (const kind of ["openrouter", "mock"] as const) expect(refusedField(kind, { messages, n: 2 }, NONE)).toMatchObject({ field: "n", reason: "value" });
  });
});

describe("tool results marked is_error (from the Messages API)", () => {
  const messages = [{ role: "user", content: "x" }, { role: "tool", tool_call_id: "t", content: "failed", is_error: true }];
  it.each(["openai", "openai_compatible", "openrouter", "mistral"] as const)("%s refuses them naming messages", (kind) => {
    expect(refusedField(kind, { messages }, new Set())).toMatchObject({ field: "messages", reason: "value", why: expect.stringContaining("messages[1]") });
  });
  it.each(["anthropic", "google", "mock"] as const)("%s takes them", (kind) => {
    expect(refusedField(kind, { messages }, new Set())).toBeNull();
  });
});
