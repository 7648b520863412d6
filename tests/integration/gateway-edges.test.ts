import net from "node:net";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import * as catchAll from "@/app/api/llm/[...path]/route";
import * as chatRoute from "@/app/api/llm/v1/chat/completions/route";
import * as modelsRoute from "@/app/api/llm/v1/models/route";
import { serviceDb } from "@/lib/db/service";
import { GATEWAY_ROUTES } from "@/lib/gateway/routes";
import { runtime } from "@/lib/gateway/runtime";
import { getHealth } from "@/lib/health/health";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";
import { waitFor } from "./recorder/helpers";

/**
 * Edges of the gateway's HTTP surface on a real loopback server (the node:http routes of `npm
 * start`) and through the Next route handlers: a malformed Host, unknown paths and methods, a
 * handler that throws, clients that leave mid-call, and a recorder that cannot record.
 */
const adminUrl = inject("pgAdminUrl");
const targets = [{ name: "pglite" }, ...(adminUrl ? [{ name: "postgres", adminUrl }] : [])];
const CHAT = "/api/llm/v1/chat/completions";
const body = { model: "auto", messages: [{ role: "user", content: "hello" }], metadata: { action: "classify", organization: "acme" } };

/** Sends raw bytes and returns everything the server answers until it closes or `until` matches. */
function raw(url: string, text: string, until: RegExp): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let got = "";
    socket.on("data", (c: Buffer) => {
      got += c.toString();
      if (until.test(got)) {
        socket.destroy();
        resolve(got);
      }
    });
    socket.on("close", () => resolve(got));
    socket.on("error", reject);
    socket.write(text);
  });
}

async function cancelledRows(model: string): Promise<{ status: string; error_type: string | null; streamed: boolean; cost: string | null }[]> {
  const db = await serviceDb();
  const { rows } = await sql<{ status: string; error_type: string | null; streamed: boolean; cost: string | null }>`
    select status, error_type, streamed, cost::text from public.llm_calls where model_code = ${model} and error_type = 'cancelled'`.execute(db);
  return rows;
}

describe.each(targets)("gateway edges on $name", (target) => {
  let world: GatewayWorld;
  const post = (path: string, payload: unknown, init: RequestInit = {}) =>
    fetch(`${world.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEYS.app}` },
      body: JSON.stringify(payload),
      ...init,
    });

  beforeAll(async () => {
    world = await startGatewayWorld(target);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    world.primary.reset();
    world.backup.reset();
  });
  afterAll(async () => {
    await world?.close();
  });

  it("answers a malformed Host header with 400 JSON, on gateway paths and any other", async () => {
    for (const path of [CHAT, "/somewhere/else"]) {
      const answer = await raw(world.url, `POST ${path} HTTP/1.1\r\nHost: a b\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}`, /\r\n0\r\n\r\n$/);
      expect(answer).toMatch(/^HTTP\/1\.1 400/);
      expect(answer).toContain('"type":"invalid_request_error"');
      expect(answer).toContain("Host header is malformed");
    }
  });

  it("reads chunked bodies whole, answers 413 past 4 MiB and closes that connection, and survives a client that leaves mid-body", async () => {
    const head = `POST ${CHAT} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEYS.app}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
    // A small body in three chunks: served as usual.
    const json = JSON.stringify(body);
    const ok = await raw(world.url, head + chunk(json.slice(0, 10)) + chunk(json.slice(10, 30)) + chunk(json.slice(30)) + "0\r\n\r\n", /"choices"/);
    expect(ok).toMatch(/^HTTP\/1\.1 200/);
    // No Content-Length and more than 4 MiB: 413 in the OpenAI shape, and the server closes the connection.
    const big = JSON.stringify({ ...body, messages: [{ role: "user", content: "x".repeat(5 * 1024 * 1024) }] });
    const refused = await raw(world.url, head + chunk(big) + "0\r\n\r\n", /\}$/);
    expect(refused).toMatch(/^HTTP\/1\.1 413/);
    expect(refused.toLowerCase()).toContain("connection: close");
    expect(refused).toContain('"type":"request_too_large"');
    // A client that sends half a body and leaves: nothing hangs, the next call is served.
    const { hostname, port } = new URL(world.url);
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(Number(port), hostname, () => {
        socket.write(head + chunk(json.slice(0, 20)), () => {
          socket.destroy();
          resolve();
        });
      });
      socket.on("error", reject);
    });
    const after = await post(CHAT, body);
    expect(after.status).toBe(200);
  });

  it("answers an unknown path under /api/llm with 404 and a wrong method with 405 + Allow, in the OpenAI error shape", async () => {
    const unknown = await post("/api/llm/v1/embeddingz", body);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe("application/json");
    expect(await unknown.json()).toEqual({ error: { type: "not_found_error", code: "not_found_error", param: null, message: expect.stringMatching(/No route POST \/api\/llm\/v1\/embeddingz/) } });
    expect((await fetch(`${world.url}/api/llm/v1/chat`)).status).toBe(404);

    const wrong = await fetch(`${world.url}${CHAT}`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    expect(await wrong.json()).toMatchObject({ error: { type: "invalid_request_error", message: expect.stringMatching(/GET is not allowed/) } });
    const del = await fetch(`${world.url}/api/llm/v1/models`, { method: "DELETE" });
    expect(del.status).toBe(405);
    expect(del.headers.get("allow")).toBe("GET");
  });

  it("answers the same 404 / 405 JSON through the Next route handlers (next dev, Vercel)", async () => {
    const get = chatRoute.GET(new Request(`http://localhost${CHAT}`));
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(await get.json()).toMatchObject({ error: { type: "invalid_request_error" } });
    const post405 = modelsRoute.POST(new Request("http://localhost/api/llm/v1/models", { method: "POST" }));
    expect(post405.status).toBe(405);
    expect(post405.headers.get("allow")).toBe("GET, HEAD");
    const missing = catchAll.POST(new Request("http://localhost/api/llm/v2/whatever", { method: "POST" }));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { type: "not_found_error", message: expect.stringContaining("/api/llm/v2/whatever") } });
  });

  it("answers 500 JSON without internals when a handler throws or rejects", async () => {
    const routes = GATEWAY_ROUTES as Record<string, Record<string, (r: Request) => Promise<Response>>>;
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    routes["/api/llm/test-throws"] = { POST: () => { throw new Error("secret internals"); } };
    routes["/api/llm/test-rejects"] = { POST: async () => Promise.reject(new Error("secret internals")) };
    try {
      for (const path of ["/api/llm/test-throws", "/api/llm/test-rejects"]) {
        const res = await post(path, {});
        expect(res.status).toBe(500);
        const text = await res.text();
        expect(JSON.parse(text)).toMatchObject({ error: { type: "service_unavailable" } });
        expect(text).not.toContain("secret");
      }
      expect(error).toHaveBeenCalled();
    } finally {
      delete routes["/api/llm/test-throws"];
      delete routes["/api/llm/test-rejects"];
    }
  });

  it("a client leaving a non-streamed call aborts the upstream and records it as cancelled: no retry, no fallback, not the provider's fault", async () => {
    for (let i = 1; i <= 5; i++) {
      world.primary.script({ kind: "hang" });
      const abort = new AbortController();
      const call = post(CHAT, body, { signal: abort.signal }).catch((err: Error) => err);
      await waitFor(() => world.primary.requests.length === i);
      abort.abort();
      expect(await call).toBeInstanceOf(Error);
      await flushed();
      await waitFor(async () => {
        await flushed();
        return (await cancelledRows("primary-model")).length === i;
      });
    }
    expect(await cancelledRows("primary-model")).toEqual(Array(5).fill({ status: "failed", error_type: "cancelled", streamed: false, cost: null }));
    // Five cancels in a row: each was tried once, nothing fell back, and the circuit stayed closed.
    expect(world.primary.requests).toHaveLength(5);
    expect(world.backup.requests).toHaveLength(0);
    expect(runtime().circuits.state("primary")).toBe("closed");
  });

  it("a client leaving a stream stops the upstream and records the attempt as cancelled", async () => {
    world.primary.script({ kind: "stall", afterEvents: 2 });
    const abort = new AbortController();
    const res = await post(CHAT, { ...body, stream: true }, { signal: abort.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read();
    abort.abort();
    await reader.cancel().catch(() => undefined);
    await waitFor(async () => {
      await flushed();
      return (await cancelledRows("primary-model")).some((r) => r.streamed);
    });
    expect(world.backup.requests).toHaveLength(0);
    expect(runtime().circuits.state("primary")).toBe("closed");
  });

  it("refuses calls with 503 while the recorder cannot record, and says so in health", async () => {
    vi.spyOn(runtime().recorder, "accepting").mockReturnValue(false);
    for (const path of [CHAT, "/api/llm/generate"]) {
      const res = await post(path, path === CHAT ? body : { action: "classify", prompt: "hi" });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(await res.json()).toMatchObject({
        error: { type: "service_unavailable", message: expect.stringContaining("cannot record calls: database unreachable and spool not writable") },
      });
    }
    expect(world.primary.requests).toHaveLength(0);
    const health = await getHealth();
    expect(health.recorder.accepting).toBe(false);
    expect(health.status).toBe("degraded");
    vi.restoreAllMocks();
    expect((await post(CHAT, body)).status).toBe(200);
  });
});
