import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { databaseTargets } from "@/tests/helpers/databases";
import { CHILD_KEY, chat, rawChat, rawConnection, startChild, type ChildWorld } from "./gateway/child-process";
import { startHeldUpstream, type HeldUpstream } from "./gateway/held-upstream";
import { waitFor } from "./recorder/helpers";

/**
 * Liveness and readiness of a gateway process (server.ts's request path and graceful shutdown, in
 * a child): both 200 while it serves; on SIGTERM, readiness 503 "draining" while liveness stays
 * 200 until the process exits. Neither names a key.
 */
function get(port: number, path: string): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown>, text }));
    }).on("error", reject);
  });
}

/** The last response on a raw connection. */
function parse(all: string): { status: number; body: Record<string, unknown> } {
  const raw = all.slice(all.lastIndexOf("HTTP/1.1 "));
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
  const body = raw.slice(raw.indexOf("\r\n\r\n") + 4);
  const json = body.slice(body.indexOf("{"), body.lastIndexOf("}") + 1);
  return { status, body: JSON.parse(json) as Record<string, unknown> };
}

describe.each(databaseTargets())("gateway probes on $name", { timeout: 180_000 }, (target) => {
  let upstream: HeldUpstream | undefined;
  let child: ChildWorld | undefined;

  afterEach(async () => {
    await child?.cleanup();
    await upstream?.close();
    child = undefined;
    upstream = undefined;
  });

  it("live and ready answer 200 while serving; on SIGTERM ready answers 503 draining, live 200", async () => {
    upstream = await startHeldUpstream();
    child = await startChild(target, "serve", upstream.origin, { SHUTDOWN_GRACE_MS: "30000" });
    const port = child.port;
    const live = await get(port, "/api/llm/health/live");
    expect(live).toMatchObject({ status: 200, body: { status: "live" } });
    const ready = await get(port, "/api/llm/health/ready");
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: "ready", checks: { startup: "ok", draining: false, recorder: { accepting: true, refusal: null } } });
    expect(ready.text).not.toContain(CHILD_KEY);

    // Calls in flight keep the process draining; two of them on raw connections, which then carry
    // the probes (new connections are refused once draining starts).
    const agent = new http.Agent({ keepAlive: true });
    const inFlight = chat(port, agent);
    const a = rawConnection(port);
    const b = rawConnection(port);
    // Streams: their heads (keep-alive) go out before the signal, so the connections stay usable.
    a.write(rawChat(true));
    b.write(rawChat(true));
    await waitFor(() => upstream!.received() === 3 && a.text().startsWith("HTTP/1.1 200") && b.text().startsWith("HTTP/1.1 200"));
    child.proc.kill("SIGTERM");
    await waitFor(() => child!.stdout.some((l) => l.includes("draining")));
    a.write("GET /api/llm/health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    b.write("GET /api/llm/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    upstream.release();
    const [readyRaw, liveRaw] = await Promise.all([a.closed, b.closed]);
    const drainingReady = parse(readyRaw);
    expect(drainingReady.status).toBe(503);
    expect(drainingReady.body).toMatchObject({ status: "not_ready", reason: "draining", checks: { draining: true } });
    expect(parse(liveRaw)).toMatchObject({ status: 200, body: { status: "live" } });

    expect((await inFlight).status).toBe(200);
    agent.destroy();
    expect(await child.exited).toMatchObject({ code: 0 });
  });
});
