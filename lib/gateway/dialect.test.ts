import { describe, expect, it } from "vitest";
import { anthropicErrorType, dialectOf, dialectOfRequest, inDialect } from "./dialect";
import { GatewayError, errorReply } from "./errors";
import { Reply, StreamReply } from "./wire";

describe("dialectOf", () => {
  const h = (init: Record<string, string> = {}) => new Headers(init);

  it("speaks OpenAI by default, with or without a bearer key", () => {
    expect(dialectOf("/api/llm/v1/nope", h())).toBe("openai");
    expect(dialectOf("/api/llm/v1/chat/completions", h({ authorization: "Bearer k" }))).toBe("openai");
    expect(dialectOf("/api/llm/v1/messagesx", h())).toBe("openai");
  });

  it("speaks Anthropic under /v1/messages, with anthropic-version, or with x-api-key and no Authorization", () => {
    expect(dialectOf("/api/llm/v1/messages", h())).toBe("anthropic");
    expect(dialectOf("/api/llm/v1/messages/count_tokens", h())).toBe("anthropic");
    expect(dialectOf("/api/llm/v1/nope", h({ "anthropic-version": "2023-06-01" }))).toBe("anthropic");
    expect(dialectOf("/api/llm/v1/nope", h({ "x-api-key": "k" }))).toBe("anthropic");
    expect(dialectOf("/api/llm/v1/nope", h({ "x-api-key": "k", authorization: "Bearer k" }))).toBe("openai");
  });

  it("reads a full URL or a bare path with a query", () => {
    expect(dialectOfRequest({ url: "http://x/api/llm/v1/messages?beta=true", headers: h() })).toBe("anthropic");
    expect(dialectOfRequest({ url: "/api/llm/v1/messages?beta=true", headers: h() })).toBe("anthropic");
    expect(dialectOfRequest({ url: "http://x/api/llm/v1/models", headers: h() })).toBe("openai");
  });
});

describe("inDialect", () => {
  const notFound = () => errorReply(new GatewayError(404, "not_found_error", "No route GET /api/llm/x."), { "x-request-id": "rid-1" });

  it("leaves OpenAI callers' errors in OpenAI's shape", () => {
    const reply = notFound();
    expect(inDialect(reply, "openai")).toBe(reply);
  });

  it("rewrites an error to Anthropic's shape, keeping status, headers and the request id", () => {
    const reply = errorReply(new GatewayError(405, "invalid_request_error", "Method GET is not allowed", { headers: { allow: "POST" } }), { "x-request-id": "rid-2" });
    const out = inDialect(reply, "anthropic") as Reply;
    expect(out.status).toBe(405);
    expect(out.headers).toMatchObject({ allow: "POST", "x-request-id": "rid-2", "content-type": "application/json" });
    expect(JSON.parse(out.body)).toEqual({ type: "error", error: { type: "invalid_request_error", message: "Method GET is not allowed" }, request_id: "rid-2" });
  });

  it("passes successes, streams and bodies already in Anthropic's shape untouched", () => {
    const ok = Reply.json({ id: "msg_1" });
    expect(inDialect(ok, "anthropic")).toBe(ok);
    const already = Reply.json({ type: "error", error: { type: "not_found_error", message: "x" } }, { status: 404 });
    expect(inDialect(already, "anthropic")).toBe(already);
    const stream = StreamReply.framed(200, { "content-type": "text/event-stream" }, (async function* () {
      yield "x";
    })(), (d) => `data: ${d}\n\n`);
    expect(inDialect(stream, "anthropic")).toBe(stream);
  });

  it("maps statuses to Anthropic's error types", () => {
    expect([400, 401, 402, 403, 404, 405, 413, 415, 429, 500, 502, 503, 504, 529].map(anthropicErrorType)).toEqual([
      "invalid_request_error", "authentication_error", "billing_error", "permission_error", "not_found_error", "invalid_request_error",
      "request_too_large", "invalid_request_error", "rate_limit_error", "api_error", "api_error", "api_error", "timeout_error", "overloaded_error",
    ]);
  });
});
