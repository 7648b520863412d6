import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { handleChatCompletions } from "./handlers/chat-completions";
import { handleFeedback } from "./handlers/feedback";
import { handleGenerate } from "./handlers/generate";
import { handleModels } from "./handlers/models";

/**
 * Serves the gateway routes from node:http (server.ts) with the same handlers the Next route
 * handlers call. Returns false for any other path, which then goes to Next.
 */
type Handler = (request: Request) => Promise<Response>;

const ROUTES: Record<string, Partial<Record<string, Handler>>> = {
  "/api/llm/v1/chat/completions": { POST: handleChatCompletions },
  "/api/llm/generate": { POST: handleGenerate },
  "/api/llm/feedback": { POST: handleFeedback },
  "/api/llm/v1/models": { GET: handleModels },
};

export function handleNode(req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? "/").split("?", 1)[0]!;
  const handler = ROUTES[path]?.[req.method ?? "GET"];
  if (!handler) return false;
  void serve(handler, req, res);
  return true;
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  return headers;
}

async function serve(handler: Handler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
    method: req.method,
    headers: toHeaders(req),
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    duplex: hasBody ? "half" : undefined,
  } as RequestInit & { duplex?: "half" });
  const response = await handler(request);
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  // A client that goes away cancels the body, which lets a streamed call stop its upstream.
  res.on("close", () => {
    if (!res.writableFinished) void reader.cancel();
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise((resolve) => res.once("drain", resolve));
    }
  } catch {
    // The stream was cancelled because the client left; nothing more to send.
  }
  res.end();
}
