import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";

/**
 * The gateway's route files (app/api/llm/**\/route.ts) served the way `next dev` resolves them, on
 * a plain loopback server: static segments before `[param]` before `[...catchAll]`, the exported
 * method handler called with a web Request, HEAD answered by GET when the file has no HEAD. It lets
 * a test run what `npm run dev` serves (the route files, Next-only routes such as openapi.json
 * included) without a Next build. Like proxy.ts, it gives responses under /api/llm an x-request-id
 * when the route did not set one. Not a Next emulation beyond that: no middleware chain, no caching.
 */
type RouteHandler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Response | Promise<Response>;

interface Match {
  file: string;
  params: Record<string, string | string[]>;
}

const ROUTE = "route.ts";
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length"]);

function directories(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
}

/** The route file for `segments` under `dir`, by Next's precedence, or undefined. */
export function matchRoute(dir: string, segments: string[]): Match | undefined {
  if (segments.length === 0 && fs.existsSync(path.join(dir, ROUTE))) return { file: path.join(dir, ROUTE), params: {} };
  const names = directories(dir);
  const [head, ...rest] = segments;
  if (head !== undefined) {
    if (names.includes(head) && !/^[[(]/.test(head)) {
      const found = matchRoute(path.join(dir, head), rest);
      if (found) return found;
    }
    for (const name of names.filter((n) => /^\[[^.[\]]+\]$/.test(n))) {
      const found = matchRoute(path.join(dir, name), rest);
      if (found) return { file: found.file, params: { ...found.params, [name.slice(1, -1)]: head } };
    }
  }
  for (const name of names) {
    const catchAll = /^\[\.\.\.([^\]]+)\]$/.exec(name);
    const optional = /^\[\[\.\.\.([^\]]+)\]\]$/.exec(name);
    const param = catchAll?.[1] ?? optional?.[1];
    if (!param || (catchAll && segments.length === 0)) continue;
    const file = path.join(dir, name, ROUTE);
    if (fs.existsSync(file)) return { file, params: segments.length ? { [param]: segments } : {} };
  }
  // Route groups "(name)" add no segment.
  for (const name of names.filter((n) => /^\(.+\)$/.test(n))) {
    const found = matchRoute(path.join(dir, name), segments);
    if (found) return found;
  }
  return undefined;
}

export interface RouteServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves `<appDir>/**\/route.ts` on 127.0.0.1 (port chosen by the system). */
export async function startRouteServer(appDir: string): Promise<RouteServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void answer(appDir, req, Buffer.concat(chunks), res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(`route server: ${String(err)}`);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function answer(appDir: string, req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
  const segments = url.pathname.split("/").filter(Boolean).map((s) => decodeURIComponent(s));
  const method = req.method ?? "GET";
  const match = matchRoute(appDir, segments);
  const mod = match ? ((await import(match.file)) as Record<string, RouteHandler | undefined>) : undefined;
  const handler = mod?.[method] ?? (method === "HEAD" ? mod?.GET : undefined);
  if (!match || !handler) {
    res.writeHead(match ? 405 : 404, { "content-type": "text/plain" }).end(match ? "no handler for the method" : "no route file");
    return;
  }
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined && !HOP_BY_HOP.has(k)) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
  }
  const request = new Request(url, { method, headers, body: method === "GET" || method === "HEAD" ? undefined : new Uint8Array(body) });
  const response = await handler(request, { params: Promise.resolve(match.params) });
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((v, k) => (out[k] = k === "set-cookie" ? response.headers.getSetCookie() : v));
  if (url.pathname.startsWith("/api/llm/") && !out["x-request-id"]) out["x-request-id"] = crypto.randomUUID();
  res.writeHead(response.status, out);
  if (!response.body || method === "HEAD") {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  res.on("close", () => void reader.cancel().catch(() => {}));
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    res.write(value);
  }
  res.end();
}
