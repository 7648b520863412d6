import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * An OpenAI-compatible upstream on 127.0.0.1 that holds every request until the test releases it,
 * so "calls in flight" is a state the test controls rather than a race against a delay. Answers
 * JSON, or SSE when `stream: true` (chunks, a usage chunk, [DONE]); a held stream sends its head
 * and first chunk at once and the rest on release. Free of vitest imports.
 */
export interface HeldUpstream {
  origin: string;
  /** Requests received so far (held or answered). */
  received(): number;
  /** Upstream requests whose client (the gateway) went away before the answer. */
  aborted(): number;
  /** Answers every held request, and from now on answers at once. */
  release(): void;
  close(): Promise<void>;
}

const USAGE = { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 };

const chunk = (model: string, delta: object, finish: string | null) =>
  `data: ${JSON.stringify({ id: "chatcmpl-held", object: "chat.completion.chunk", created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

/** A stream's head and first chunk go out at once; the rest waits for release(). */
function startStream(res: http.ServerResponse, model: string): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.write(chunk(model, { role: "assistant", content: "held" }, null));
}

function answer(res: http.ServerResponse, body: { stream?: boolean; model?: string }): void {
  const model = body.model ?? "held-model";
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({
      id: "chatcmpl-held", object: "chat.completion", created: 1, model,
      choices: [{ index: 0, message: { role: "assistant", content: "held answer" }, finish_reason: "stop" }],
      usage: USAGE,
    }));
    return;
  }
  if (!res.headersSent) startStream(res, model);
  res.write(chunk(model, { content: " answer" }, null));
  res.write(chunk(model, {}, "stop"));
  res.write(`data: ${JSON.stringify({ id: "chatcmpl-held", object: "chat.completion.chunk", created: 1, model, choices: [], usage: USAGE })}\n\n`);
  res.end("data: [DONE]\n\n");
}

export async function startHeldUpstream(): Promise<HeldUpstream> {
  let released = false;
  let received = 0;
  let aborted = 0;
  const held: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      received += 1;
      const body = JSON.parse(text || "{}") as { stream?: boolean; model?: string };
      res.on("close", () => {
        if (!res.writableFinished) aborted += 1;
      });
      if (!released && body.stream) startStream(res, body.model ?? "held-model");
      if (released) answer(res, body);
      else held.push(() => answer(res, body));
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => received,
    aborted: () => aborted,
    release() {
      released = true;
      for (const go of held.splice(0)) go();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
