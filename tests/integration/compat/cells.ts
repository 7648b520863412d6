import Decimal from "decimal.js";
import { expect } from "vitest";
import { expectedCost, type LedgerRow, type Upstream, type UpstreamName } from "@/tests/helpers/compat-world";
import { fakeEmbedding, fakeEmbeddingTokens } from "@/tests/helpers/fake-upstreams/openai-embeddings";
import type { RecordedRequest } from "@/tests/helpers/fake-upstreams/harness";
import { FAKE_TOOL_CALL_ID } from "@/tests/helpers/fake-upstreams/openai-compat";
import { EMBED_INPUTS, IMAGE_PROMPT, LOOKUP, PNG_BASE64, PNG_DATA_URL, PROMPT, TOOL_PROMPT, TOOL_RESULT, VERDICT, type Feature } from "./inputs";

/**
 * The expectations of the compatibility matrix, the same for every client: what each fake
 * upstream must have received for a feature, what the client must have surfaced, and the exact
 * llm_calls rows (tokens from the fake's usage, cost computed here from the price row).
 */

/** A cell's id: `<client>/<feature>/<upstream>` (also its pipeline_stage, which finds its rows). */
export const cellId = (client: string, feature: Feature, upstream: UpstreamName) => `${client}/${feature}/${upstream}`;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The one request of a single-call cell, to the chat endpoint of the upstream's wire. */
function only(requests: RecordedRequest[]): RecordedRequest {
  expect(requests).toHaveLength(1);
  return requests[0]!;
}

const CHAT_PATH: Record<UpstreamName, (streamed: boolean) => string> = {
  openai: () => "/v1/chat/completions",
  anthropic: () => "/v1/messages",
  gemini: (streamed) => `/v1beta/models/gemini-2.5-flash:${streamed ? "streamGenerateContent" : "generateContent"}`,
};

/** The upstream's own key went upstream (never the app key). */
function expectProviderKey(up: Upstream, req: RecordedRequest) {
  const key = `sk-${up.name}-SECRET-0123456789`;
  if (up.name === "openai") expect(req.headers.authorization).toBe(`Bearer ${key}`);
  if (up.name === "anthropic") expect(req.headers["x-api-key"]).toBe(key);
  if (up.name === "gemini") expect(req.headers["x-goog-api-key"]).toBe(key);
}

function expectChatRequest(up: Upstream, req: RecordedRequest, streamed: boolean, text: string) {
  expect(req.path).toBe(CHAT_PATH[up.name](streamed));
  expectProviderKey(up, req);
  if (up.name !== "gemini") expect(req.body.model).toBe(up.chatModel);
  expect(JSON.stringify(req.body)).toContain(text);
  if (!streamed) expect(req.body.stream ?? false).toBe(false);
  if (streamed && up.name === "openai") expect(req.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  if (streamed && up.name === "anthropic") expect(req.body.stream).toBe(true);
  if (streamed && up.name === "gemini") expect(req.query.get("alt")).toBe("sse");
}

/** The JSON schema the upstream was asked to answer in (structured output, or a forced tool). */
function schemaSent(up: Upstream, body: Record<string, unknown>): unknown {
  const pick = (...path: string[]) => path.reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), body);
  if (up.name === "openai") return pick("response_format", "json_schema", "schema");
  if (up.name === "anthropic") return pick("output_config", "format", "schema") ?? (Array.isArray(body.tools) && isObject(body.tools[0]) ? body.tools[0].input_schema : undefined);
  expect(pick("generationConfig", "responseMimeType")).toBe("application/json");
  return pick("generationConfig", "responseJsonSchema") ?? pick("generationConfig", "responseSchema");
}

function expectToolDeclared(up: Upstream, body: Record<string, unknown>) {
  if (up.name === "openai") expect(body).toMatchObject({ tools: [{ type: "function", function: { name: LOOKUP.name } }], tool_choice: "required" });
  if (up.name === "anthropic") expect(body).toMatchObject({ tools: [{ name: LOOKUP.name, input_schema: { type: "object" } }], tool_choice: { type: "any" } });
  if (up.name === "gemini") expect(body).toMatchObject({ tools: [{ functionDeclarations: [{ name: LOOKUP.name }] }], toolConfig: { functionCallingConfig: { mode: "ANY" } } });
}

/** The second call carried the first call's tool call and its result, in the upstream's wire form. */
function expectToolResultSent(up: Upstream, body: Record<string, unknown>) {
  const text = JSON.stringify(body);
  expect(text).toContain(TOOL_PROMPT);
  if (up.name === "openai") {
    expect(body.messages).toContainEqual(expect.objectContaining({ role: "assistant", tool_calls: [expect.objectContaining({ id: FAKE_TOOL_CALL_ID, function: expect.objectContaining({ name: LOOKUP.name }) })] }));
    expect(body.messages).toContainEqual(expect.objectContaining({ role: "tool", tool_call_id: FAKE_TOOL_CALL_ID }));
  }
  if (up.name === "anthropic") {
    expect(body.messages).toContainEqual({ role: "assistant", content: [expect.objectContaining({ type: "tool_use", id: "toolu_fake01", name: LOOKUP.name, input: { id: "fake" } })] });
    const toolResult = (body.messages as { content: unknown }[]).flatMap((m) => (Array.isArray(m.content) ? m.content : [])).find((b) => isObject(b) && b.type === "tool_result");
    expect(toolResult).toMatchObject({ tool_use_id: "toolu_fake01" });
  }
  if (up.name === "gemini") {
    expect(text).toContain(JSON.stringify({ name: LOOKUP.name, args: { id: "fake" } }).slice(1, -1));
    expect(text).toContain('"functionResponse"');
  }
  expect(text).toContain(TOOL_RESULT.slice(1, -1).replaceAll('"', '\\"'));
}

function expectImageSent(up: Upstream, body: Record<string, unknown>) {
  const parts = JSON.stringify(body);
  expect(parts).toContain(IMAGE_PROMPT);
  if (up.name === "openai") expect(parts).toContain(JSON.stringify({ url: PNG_DATA_URL }).slice(0, -1));
  if (up.name === "anthropic") expect(parts).toContain(JSON.stringify({ type: "base64", media_type: "image/png", data: PNG_BASE64 }));
  if (up.name === "gemini") expect(parts).toContain(JSON.stringify({ mimeType: "image/png", data: PNG_BASE64 }));
}

/** What the upstream must have received for a feature. */
export function expectReceived(up: Upstream, feature: Feature, requests: RecordedRequest[]) {
  switch (feature) {
    case "chat":
      return expectChatRequest(up, only(requests), false, PROMPT);
    case "stream":
      return expectChatRequest(up, only(requests), true, PROMPT);
    case "structured": {
      const req = only(requests);
      expectChatRequest(up, req, false, PROMPT);
      expect(schemaSent(up, req.body)).toMatchObject({ properties: { category: {}, urgent: {}, rooms: {} } });
      return;
    }
    case "image": {
      const req = only(requests);
      expectChatRequest(up, req, false, IMAGE_PROMPT);
      return expectImageSent(up, req.body);
    }
    case "tools": {
      expect(requests).toHaveLength(2);
      expectChatRequest(up, requests[0]!, false, TOOL_PROMPT);
      expectToolDeclared(up, requests[0]!.body);
      expectChatRequest(up, requests[1]!, false, TOOL_PROMPT);
      return expectToolResultSent(up, requests[1]!.body);
    }
    case "embeddings":
      if (up.name !== "openai") return expect(requests).toEqual([]);
      expect(only(requests)).toMatchObject({ path: "/v1/embeddings", body: { model: up.embedModel, input: EMBED_INPUTS } });
      return expectProviderKey(up, requests[0]!);
  }
}

/** The request_type the chat lanes send (x-llm-request-type); embeddings lanes send none: "embedding". */
export const CHAT_REQUEST_TYPE = "compat";

/** The ledger row of one answered chat call (answered calls carry no http_status). */
export function chatRow(up: Upstream, streamed: boolean): LedgerRow {
  const t = up.tokens;
  return {
    status: "ok", error_type: null, http_status: null, request_type: CHAT_REQUEST_TYPE, provider_code: up.providerCode, model_code: up.chatModel,
    prompt_tokens: t.prompt, completion_tokens: t.completion, cached_tokens: t.cached, cache_write_tokens: t.cacheWrite, reasoning_tokens: t.reasoning,
    total_tokens: t.prompt + t.completion, streamed, cost: expectedCost(t, up.price), currency: up.price.currency, pricing_source: "database", record_complete: true,
  };
}

export const EMBED_TOKENS = EMBED_INPUTS.reduce((n, text) => n + fakeEmbeddingTokens(text), 0);
export const EMBED_VECTORS = EMBED_INPUTS.map((text) => fakeEmbedding(text));

/** The ledger row of the embeddings call (OpenAI), priced per input token. */
export function embeddingRow(up: Upstream): LedgerRow {
  return {
    status: "ok", error_type: null, http_status: null, request_type: "embedding", provider_code: up.providerCode, model_code: up.embedModel,
    prompt_tokens: EMBED_TOKENS, completion_tokens: 0, cached_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, total_tokens: EMBED_TOKENS,
    streamed: false, cost: new Decimal(EMBED_TOKENS).mul(up.price.input).div(1_000_000).toFixed(), currency: up.price.currency, pricing_source: "database", record_complete: true,
  };
}

/** The answer every feature must surface in the client, from the upstream's fake answer. */
export function expectedOutcome(up: Upstream, feature: Feature): unknown {
  switch (feature) {
    case "chat":
    case "image":
      return up.text;
    case "stream":
      return { text: up.text, usage: { prompt: up.tokens.prompt, completion: up.tokens.completion } };
    case "tools":
      return { call: { name: LOOKUP.name, args: { id: "fake" } }, final: up.text };
    case "structured":
      return VERDICT;
    case "embeddings":
      return EMBED_VECTORS;
  }
}
