/**
 * A fake OpenAI-compatible upstream for `bench:faults`, in the benchmark's own process on
 * 127.0.0.1. Unlike tests/helpers/fake-upstreams (scripted per request, no latency), its mode can
 * be changed while load runs: a latency, an error status with Retry-After, or hanging; and it
 * counts what the fault scenarios measure: requests received, answered, abandoned by the gateway
 * before the answer (an aborted upstream call), and the peak number in flight.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface UpstreamMode {
  /** Milliseconds before answering (or before the error). */
  latencyMs: number;
  /** Answer this HTTP status with an OpenAI error body instead of a completion. */
  status?: number;
  /** Retry-After header (seconds) sent with `status`. */
  retryAfter?: number;
  /** Accept the request and never answer. */
  hang?: boolean;
}

export interface SeenRequest {
  at: number;
  body: Record<string, unknown>;
}

export interface FakeUpstream {
  name: string;
  port: number;
  /** http://127.0.0.1:<port>/v1, the provider's base_url. */
  baseUrl: string;
  mode: UpstreamMode;
  /** Modes for the next requests, before `mode` applies again. */
  queue: UpstreamMode[];
  received: number;
  answered: number;
  /** Requests whose connection the gateway closed before the answer was sent. */
  aborted: number;
  inFlight: number;
  peakInFlight: number;
  seen: SeenRequest[];
  reset(mode?: Partial<UpstreamMode>): void;
  close(): Promise<void>;
}

const PROMPT_TOKENS = 10;

/** The completion the fake returns: 10 prompt tokens, `max_tokens` (default 20) completion tokens. */
function completion(body: Record<string, unknown>): string {
  const out = typeof body.max_tokens === "number" && body.max_tokens > 0 ? body.max_tokens : 20;
  return JSON.stringify({
    id: `chatcmpl-faults-${Math.random().toString(36).slice(2, 10)}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: String(body.model ?? "fake"),
    choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
    usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: out, total_tokens: PROMPT_TOKENS + out },
  });
}

function streamed(body: Record<string, unknown>): string {
  const out = typeof body.max_tokens === "number" && body.max_tokens > 0 ? body.max_tokens : 20;
  const base = { id: "chatcmpl-faults", object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model: String(body.model ?? "fake") };
  const frame = (x: unknown) => `data: ${JSON.stringify(x)}\n\n`;
  return (
    frame({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "ok" }, finish_reason: null }] }) +
    frame({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }) +
    frame({ ...base, choices: [], usage: { prompt_tokens: PROMPT_TOKENS, completion_tokens: out, total_tokens: PROMPT_TOKENS + out } }) +
    "data: [DONE]\n\n"
  );
}

export async function startUpstream(name: string, mode: Partial<UpstreamMode> = {}, listenPort = 0): Promise<FakeUpstream> {
  const sockets = new Set<Socket>();
  const up: FakeUpstream = {
    name,
    port: 0,
    baseUrl: "",
    mode: { latencyMs: 0, ...mode },
    queue: [],
    received: 0,
    answered: 0,
    aborted: 0,
    inFlight: 0,
    peakInFlight: 0,
    seen: [],
    reset(next = {}) {
      up.mode = { latencyMs: 0, ...next };
      up.queue = [];
      up.received = up.answered = up.aborted = up.inFlight = up.peakInFlight = 0;
      up.seen = [];
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      } catch {
        body = {};
      }
      const m = up.queue.shift() ?? up.mode;
      up.received += 1;
      up.inFlight += 1;
      up.peakInFlight = Math.max(up.peakInFlight, up.inFlight);
      if (up.seen.length < 200) up.seen.push({ at: Date.now(), body });
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        up.inFlight -= 1;
      };
      res.on("close", () => {
        if (!res.writableFinished && !done) up.aborted += 1;
        finish();
      });
      if (m.hang) return;
      const timer = setTimeout(() => {
        if (res.destroyed) return;
        if (m.status) {
          const text = JSON.stringify({ error: { message: `fake ${m.status}`, type: m.status === 429 ? "rate_limit_exceeded" : "server_error", param: null, code: null } });
          const headers: Record<string, string> = { "content-type": "application/json" };
          if (m.retryAfter !== undefined) headers["retry-after"] = String(m.retryAfter);
          res.writeHead(m.status, headers);
          res.end(text);
        } else if (body.stream === true) {
          res.writeHead(200, { "content-type": "text/event-stream" });
          res.end(streamed(body));
        } else {
          const text = completion(body);
          res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
          res.end(text);
        }
        up.answered += 1;
        finish();
      }, m.latencyMs);
      res.on("close", () => clearTimeout(timer));
    });
  });
  server.keepAliveTimeout = 65_000;
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(listenPort, "127.0.0.1", resolve));
  up.port = (server.address() as AddressInfo).port;
  up.baseUrl = `http://127.0.0.1:${up.port}/v1`;
  return up;
}
