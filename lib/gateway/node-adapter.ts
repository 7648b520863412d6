import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isDraining, track } from "./drain";
import { attachBody, MAX_BODY_BYTES } from "./body";
import { GatewayError, errorReply } from "./errors";
import { dialectOf, inDialect, type HeaderPresence } from "./dialect";
import { NEXT_ROUTES, findRoute, isGatewayPath, methodNotAllowed, notFound, type Handler, type Method } from "./routes";
import { Reply, StreamReply, type GatewayAnswer, type GatewayRequest } from "./wire";

/**
 * Serves the gateway routes from node:http (server.ts) with the same handlers the Next route
 * handlers call (route table: routes.ts). Returns false for any other path, which then goes to
 * Next. Every request taken here is answered, whatever is thrown: a malformed Host is a 400, an
 * unknown path under /api/llm a 404 and a wrong method a 405, an unexpected error a 500 without
 * internals; every error is JSON in the caller's dialect (OpenAI's shape, or Anthropic's:
 * dialect.ts). While the instance drains (shutdown.ts), requests on
 * connections still open are served with `connection: close`.
 */
export function handleNode(req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? "/").split("?", 1)[0]!;
  const method = req.method ?? "GET";
  // While the instance drains (shutdown.ts), a request that still arrives on an open keep-alive
  // connection is served, and its connection closes after the response: the client opens its next
  // one elsewhere. Refusing it instead would turn a safe hand-over into an error.
  if (isDraining()) res.shouldKeepAlive = false;
  const routes = findRoute(path);
  if (!routes) {
    if (!isGatewayPath(path) || path in NEXT_ROUTES) {
      if (hostOk(req.headers.host)) return false;
      void send(badHost(), res);
      return true;
    }
    void send(notFound(method, path, headerPresence(req)), res);
    return true;
  }
  const handler = routes[method as Method];
  if (!handler) {
    void send(methodNotAllowed(method, path, Object.keys(routes), headerPresence(req)), res);
    return true;
  }
  track(serve(handler, req, res, path));
  return true;
}

let lastGoodHost: string | undefined;

/** Whether the Host header makes a valid URL (the last good one cached: one host is the norm). */
function hostOk(host: string | undefined): boolean {
  if (host === undefined || host === lastGoodHost) return true;
  try {
    new URL(`http://${host}/`);
  } catch {
    return false;
  }
  lastGoodHost = host;
  return true;
}

function badHost(): Reply {
  return errorReply(new GatewayError(400, "invalid_request_error", "The Host header is malformed."));
}

/** Which headers the request has (dialect.ts), from node's parsed headers (their names are lower case). */
function headerPresence(req: IncomingMessage): HeaderPresence {
  return { has: (name) => req.headers[name.toLowerCase()] !== undefined };
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  return headers;
}

/**
 * The request body, read whole from node's stream (handed to body.ts with attachBody). Reading
 * stops one chunk past `limit` (or at once when Content-Length says more): body.ts answers 413,
 * and the connection closes after the response, since the rest of the body was never read.
 */
function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer> {
  if (Number(req.headers["content-length"] ?? 0) > limit) {
    res.shouldKeepAlive = false;
    return Promise.resolve(Buffer.alloc(0));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (err?: Error) => {
      req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      if (err) reject(err);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      chunks.push(chunk);
      if (size > limit) {
        req.pause();
        res.shouldKeepAlive = false;
        finish();
      }
    };
    const onEnd = () => finish();
    const onError = () => finish(new GatewayError(400, "invalid_request_error", "The request body was not received completely."));
    const onClose = () => {
      if (!req.complete) onError();
    };
    req.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
}

/** The client went away before the response ended: complete.ts / stream.ts record `cancelled`. */
function clientGone(): DOMException {
  return new DOMException("The client disconnected", "AbortError");
}

async function serve(handler: Handler, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  let response: GatewayAnswer;
  if (!hostOk(req.headers.host)) {
    response = badHost();
  } else {
    // Aborted when the client leaves early: the handler stops the upstream call (request.signal).
    const abort = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) abort.abort(clientGone());
    });
    try {
      const body = req.method !== "GET" && req.method !== "HEAD" ? await readBody(req, res, MAX_BODY_BYTES) : undefined;
      // What the handlers read of a request (wire.ts); a web Request would cost more than it gives.
      const request: GatewayRequest = {
        method: req.method ?? "GET",
        url: `http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`,
        headers: toHeaders(req),
        signal: abort.signal,
      };
      if (body) attachBody(request, body);
      response = await handler(request);
    } catch (err) {
      response = errorReply(err); // logged by toGatewayError; the client sees no internals
    }
  }
  await send(inDialect(response, dialectOf(path, headerPresence(req))), res);
}

/**
 * Writes an answer to node's response; never throws. The response has ended (or the client has
 * gone) when the returned promise resolves: the place to release per-request resources.
 */
async function send(response: GatewayAnswer, res: ServerResponse): Promise<void> {
  if (res.destroyed) return drop(response);
  const headers = response.headers;
  // Every response under /api/llm carries a request id (handlers set the call's own).
  headers["x-request-id"] ??= randomUUID();
  if (isDraining()) {
    headers.connection = "close";
    res.shouldKeepAlive = false;
  }
  try {
    res.writeHead(response.status, headers);
  } catch (err) {
    // A header value node refuses (invalid characters): answer 500 rather than nothing.
    await drop(response);
    if (!res.headersSent) return send(errorReply(err), res);
    res.destroy();
    return;
  }
  if (response instanceof StreamReply) return pipeFrames(response, res);
  res.end(response.body);
}

/** A streamed answer's frames, written as they come; a client that leaves cancels the stream (its upstream stops). */
async function pipeFrames(stream: StreamReply, res: ServerResponse): Promise<void> {
  res.on("close", () => {
    if (!res.writableFinished) void stream.cancel();
  });
  try {
    for (let frame = await stream.next(); frame !== null; frame = await stream.next()) {
      if (!res.write(frame)) await drained(res);
    }
  } catch {
    // The stream failed or was cancelled because the client left; nothing more to send.
  }
  res.end();
}

/** Until node's buffer drains, or the client has gone (a client that left never drains). */
function drained(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done).off("close", done);
      resolve();
    };
    res.on("drain", done).on("close", done);
  });
}

/** An answer that will not be sent: a stream is cancelled, so its call is recorded and its slot freed. */
async function drop(response: GatewayAnswer): Promise<void> {
  if (response instanceof StreamReply) await response.cancel();
}
