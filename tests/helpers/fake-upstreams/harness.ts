import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A real HTTP server on 127.0.0.1 that plays one provider's wire format. Each request takes
 * the next scripted behaviour (default "ok") and is recorded, so tests can script failures
 * and assert exactly what the adapter sent (path, auth headers, body).
 */
export type Behaviour =
  | { kind: "ok" }
  /** An HTTP error answer with the provider's error body. */
  | { kind: "status"; status: number; message?: string; errorType?: string; headers?: Record<string, string> }
  /** Accepts the request and never answers. */
  | { kind: "hang" }
  /** Holds the request until `until` settles, then answers as "ok": a slow upstream the test releases. */
  | { kind: "gate"; until: Promise<unknown> }
  /** Streams: sends N events, then destroys the socket. Non-streams: half a body, then destroys. */
  | { kind: "cut"; afterEvents: number }
  /** Streams: sends N events, then goes silent with the connection open. */
  | { kind: "stall"; afterEvents: number }
  /** Streams: sends N events, then ends cleanly without the terminal event. */
  | { kind: "truncate"; afterEvents: number }
  /** Streams: sends N events, then the provider's in-stream error event. */
  | { kind: "stream-error"; afterEvents: number; status: number; message?: string; errorType?: string }
  /** 200 with a body (or a stream event) that is not JSON. */
  | { kind: "malformed" }
  /** The non-streamed JSON answer even when a stream was asked for (servers that ignore `stream`). */
  | { kind: "json" };

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** How one provider speaks; the harness supplies the failure behaviours around it. */
export interface Wire {
  isStream(req: RecordedRequest): boolean;
  /** The non-streamed success body. */
  json(req: RecordedRequest): unknown;
  /** The streamed success as complete SSE frames; the terminal frames are the last `terminal`. */
  frames(req: RecordedRequest): { frames: string[]; terminal: number };
  errorBody(status: number, message: string, errorType?: string): unknown;
  /** An in-stream error frame. */
  errorFrame(status: number, message: string, errorType?: string): string;
  /** A validation error the real API answers before anything else (e.g. an unknown field), or null. */
  refuse?(req: RecordedRequest): { status: number; message: string; errorType?: string } | null;
}

export interface FakeUpstream {
  /** http://127.0.0.1:<port> (no path). */
  origin: string;
  requests: RecordedRequest[];
  script(...behaviours: Behaviour[]): void;
  reset(): void;
  close(): Promise<void>;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

async function writeFrames(res: http.ServerResponse, frames: string[]): Promise<void> {
  for (const frame of frames) {
    res.write(frame);
    // Separate writes and a turn of the event loop: the client sees several network chunks.
    await tick();
  }
}

async function answer(wire: Wire, req: RecordedRequest, res: http.ServerResponse, b: Behaviour): Promise<void> {
  const stream = wire.isStream(req);
  const sse = { "content-type": "text/event-stream", "cache-control": "no-cache" };
  switch (b.kind) {
    case "ok":
    case "json":
      if (!stream || b.kind === "json") {
        const text = JSON.stringify(wire.json(req));
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      res.writeHead(200, sse);
      await writeFrames(res, wire.frames(req).frames);
      res.end();
      return;
    case "status": {
      const text = JSON.stringify(wire.errorBody(b.status, b.message ?? `fake failure ${b.status}`, b.errorType));
      res.writeHead(b.status, { "content-type": "application/json", ...b.headers });
      res.end(text);
      return;
    }
    case "hang":
      return;
    case "gate":
      await b.until;
      return answer(wire, req, res, { kind: "ok" });
    case "malformed":
      res.writeHead(200, stream ? sse : { "content-type": "application/json" });
      res.end(stream ? "data: {\"choices\": [oops\n\n" : "{\"id\": \"x\", \"choices\": [");
      return;
    case "cut":
      if (!stream) {
        const text = JSON.stringify(wire.json(req));
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
        res.write(text.slice(0, Math.floor(text.length / 2)), () => res.socket?.destroy());
        return;
      }
      res.writeHead(200, sse);
      await writeFrames(res, wire.frames(req).frames.slice(0, b.afterEvents));
      res.socket?.destroy();
      return;
    case "stall":
      res.writeHead(200, sse);
      await writeFrames(res, wire.frames(req).frames.slice(0, b.afterEvents));
      return;
    case "truncate": {
      const { frames, terminal } = wire.frames(req);
      res.writeHead(200, sse);
      await writeFrames(res, frames.slice(0, Math.min(b.afterEvents, frames.length - terminal)));
      res.end();
      return;
    }
    case "stream-error":
      res.writeHead(200, sse);
      await writeFrames(res, wire.frames(req).frames.slice(0, b.afterEvents));
      res.end(wire.errorFrame(b.status, b.message ?? `fake failure ${b.status}`, b.errorType));
      return;
  }
}

export async function startFakeUpstream(wire: Wire): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  let queue: Behaviour[] = [];
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: Record<string, unknown> = {};
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        body = { __unparsed: raw };
      }
      const recorded: RecordedRequest = { method: req.method ?? "", path: url.pathname, query: url.searchParams, headers: req.headers, body };
      requests.push(recorded);
      const refusal = wire.refuse?.(recorded);
      const behaviour: Behaviour = refusal ? { kind: "status", ...refusal } : (queue.shift() ?? { kind: "ok" });
      answer(wire, recorded, res, behaviour).catch(() => res.socket?.destroy());
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    script: (...behaviours) => {
      queue = behaviours;
    },
    reset: () => {
      queue = [];
      requests.length = 0;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An SSE frame: `event:` only when named (OpenAI and Gemini use bare data frames). */
export function sseFrame(data: unknown, event?: string, eol = "\n"): string {
  const payload = typeof data === "string" ? data : JSON.stringify(data);
  return `${event ? `event: ${event}${eol}` : ""}data: ${payload}${eol}${eol}`;
}
