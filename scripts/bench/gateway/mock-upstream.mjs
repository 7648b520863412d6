#!/usr/bin/env node
/**
 * A zero-latency OpenAI-compatible upstream for `npm run bench:gateway` and the Portkey comparison,
 * so the figures measure the gateways and not a provider. Loopback by default.
 *
 *   POST /v1/chat/completions            -> one chat.completion with usage (12 + 9 tokens)
 *   POST /v1/chat/completions {stream}   -> SSE: role, three content deltas, finish, a usage chunk
 *                                           (choices: []), then `data: [DONE]`
 *   anything else                        -> 404 with an OpenAI error body
 *
 * Usage: node scripts/bench/gateway/mock-upstream.mjs [port=9001] [host=127.0.0.1]
 */
import http from "node:http";

const port = Number(process.argv[2] ?? process.env.MOCK_PORT ?? 9001);
const host = process.argv[3] ?? "127.0.0.1";
const created = Math.floor(Date.now() / 1000);
const usage = { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 };
const REPLY = ["Hello", "! This is", " a mock reply."];
const DEFAULT_MODEL = "gpt-4o-mini";
const base = (model, object) => ({ id: "chatcmpl-mock123", object, created, model, system_fingerprint: "fp_mock" });

function completion(model) {
  const message = { role: "assistant", content: REPLY.join(""), refusal: null };
  return Buffer.from(JSON.stringify({ ...base(model, "chat.completion"), choices: [{ index: 0, message, logprobs: null, finish_reason: "stop" }], usage }));
}

function stream(model) {
  const frame = (choices, extra = {}) => `data: ${JSON.stringify({ ...base(model, "chat.completion.chunk"), choices, ...extra })}\n\n`;
  const delta = (d, finish = null) => [{ index: 0, delta: d, logprobs: null, finish_reason: finish }];
  return (
    frame(delta({ role: "assistant", content: "" })) +
    REPLY.map((content) => frame(delta({ content }))).join("") +
    frame(delta({}, "stop")) +
    frame([], { usage }) +
    "data: [DONE]\n\n"
  );
}

// The default model's answer is rendered once: the hot path does no JSON work.
const cached = completion(DEFAULT_MODEL);
const NOT_FOUND = '{"error":{"message":"not found","type":"invalid_request_error","param":null,"code":null}}';

const server = http.createServer((req, res) => {
  if (req.method !== "POST" || !req.url?.startsWith("/v1/chat/completions")) {
    res.writeHead(404, { "content-type": "application/json" }).end(NOT_FOUND);
    return;
  }
  const parts = [];
  req.on("data", (c) => parts.push(c));
  req.on("end", () => {
    let body = {};
    try {
      body = JSON.parse(Buffer.concat(parts).toString("utf8") || "{}") ?? {};
    } catch {
      body = {};
    }
    const model = typeof body.model === "string" ? body.model : DEFAULT_MODEL;
    if (body.stream === true) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" }).end(stream(model));
      return;
    }
    const out = model === DEFAULT_MODEL ? cached : completion(model);
    res.writeHead(200, { "content-type": "application/json", "content-length": out.length }).end(out);
  });
});
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.listen(port, host, () => console.log(`mock upstream on http://${host}:${port}`));
const stop = () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 500).unref();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
