import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { createRecorder } from "@/lib/gateway/recorder/recorder";
import { databaseTargets } from "@/tests/helpers/databases";
import { chat, connects, rawChat, rawConnection, startChild, type Answer, type ChildWorld } from "./gateway/child-process";
import { startHeldUpstream, type HeldUpstream } from "./gateway/held-upstream";
import { quietLog, waitFor } from "./recorder/helpers";

/**
 * The gateway as `npm start` runs it (server.ts's request callback and graceful shutdown, in a
 * child process) told to stop, and killed: calls in flight finish, nothing is reset, and every
 * attempt the upstream saw has its ledger row, whether the process drained or died by kill -9.
 */
async function rows(db: Database): Promise<{ status: string; error_type: string | null; streamed: boolean }[]> {
  const { rows } = await sql<{ status: string; error_type: string | null; streamed: boolean }>`
    select status, error_type, streamed from public.llm_calls where model_code = 'held-model'`.execute(db.kysely);
  return rows;
}

// Recursive: the server's recorder claims its own directory under RECORDER_SPOOL_DIR (claim.ts).
const journals = (dir: string) => fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => path.basename(f).startsWith("jrn-"));

// A child on PGlite migrates its own database first: tens of seconds on a busy two-core machine.
describe.each(databaseTargets())("gateway shutdown and crash on $name", { timeout: 180_000 }, (target) => {
  let upstream: HeldUpstream | undefined;
  let child: ChildWorld | undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  afterEach(async () => {
    agent.destroy();
    await child?.cleanup();
    await upstream?.close();
    child = undefined;
    upstream = undefined;
  });

  it("SIGTERM: refuses new connections, finishes the JSON and streamed calls in flight, serves a call arriving on an open connection with connection: close, then records every attempt and exits 0", async () => {
    upstream = await startHeldUpstream();
    child = await startChild(target, "serve", upstream.origin, { SHUTDOWN_GRACE_MS: "30000" });
    const port = child.port;
    const calls: Promise<Answer>[] = [];
    for (let i = 0; i < 8; i++) calls.push(chat(port, agent));
    for (let i = 0; i < 2; i++) calls.push(chat(port, agent, true));
    // Two raw keep-alive connections with a stream in flight (its head already sent): a request
    // sent on them during the drain is answered once the stream ends.
    const a = rawConnection(port);
    const b = rawConnection(port);
    a.write(rawChat(true));
    b.write(rawChat(true));
    await waitFor(() => upstream!.received() === 12 && a.text().startsWith("HTTP/1.1 200") && b.text().startsWith("HTTP/1.1 200"));

    child.proc.kill("SIGTERM");
    await waitFor(() => child!.stdout.some((l) => l.includes("draining")));
    expect(await connects(port)).toBe(false);
    // A client between two requests on a keep-alive connection: its next call is served (not
    // reset, not refused) and the connection closes after it.
    a.write(rawChat(false));
    b.write(`GET /api/llm/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);

    upstream.release();
    const answers = await Promise.all(calls);
    for (const answer of answers) expect(answer.status).toBe(200);
    for (const answer of answers.slice(8)) expect(answer.text).toContain("data: [DONE]");
    expect(JSON.parse(answers[0]!.text)).toMatchObject({ choices: [{ message: { content: "held answer" } }] });

    const rawA = await a.closed;
    expect(rawA).toMatch(/^HTTP\/1\.1 200/);
    expect(rawA).toContain("data: [DONE]");
    const second = rawA.slice(rawA.indexOf("HTTP/1.1 200", 1));
    expect(second).toMatch(/^HTTP\/1\.1 200/);
    expect(second.toLowerCase()).toContain("connection: close");
    expect(second).toContain("held answer");
    const rawB = await b.closed;
    expect(rawB).toContain("data: [DONE]");
    expect(rawB).toContain('"draining":true');

    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(child.stdout.some((l) => l.includes("drained; records flushed"))).toBe(true);
    const db = await child.openDb();
    try {
      const recorded = await rows(db);
      expect(recorded).toHaveLength(upstream.received());
      expect(recorded.filter((r) => r.status === "ok")).toHaveLength(13);
      expect(recorded.filter((r) => r.streamed)).toHaveLength(4);
    } finally {
      await db.close();
    }
    expect(journals(child.spoolDir)).toEqual([]);
  });

  it("past SHUTDOWN_GRACE_MS, a call still running is aborted upstream and recorded as cancelled", async () => {
    upstream = await startHeldUpstream();
    child = await startChild(target, "serve", upstream.origin, { SHUTDOWN_GRACE_MS: "200" });
    const call = chat(child.port, agent).then(
      (answer) => answer,
      (err: Error) => err,
    );
    await waitFor(() => upstream!.received() === 1);
    child.proc.kill("SIGTERM");
    expect(await child.exited).toEqual({ code: 0, signal: null });
    // The client's connection was closed past the grace period; the upstream call was aborted.
    expect(await call).toBeInstanceOf(Error);
    await waitFor(() => upstream!.aborted() === 1);
    const db = await child.openDb();
    try {
      expect(await rows(db)).toEqual([{ status: "failed", error_type: "cancelled", streamed: false }]);
    } finally {
      await db.close();
    }
    // No retry and no fallback after a cancel.
    expect(upstream.received()).toBe(1);
  });

  it("kill -9 loses no answered call: the next recorder replays the journal exactly once", async () => {
    upstream = await startHeldUpstream();
    upstream.release();
    child = await startChild(target, "noflush", upstream.origin);
    const N = 40;
    for (let round = 0; round < N / 10; round++) {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => chat(child!.port, agent, i % 4 === 0)));
      for (const answer of answers) expect(answer.status).toBe(200);
    }
    child.proc.kill("SIGKILL");
    expect(await child.exited).toEqual({ code: null, signal: "SIGKILL" });
    expect(journals(child.spoolDir).length).toBeGreaterThan(0);

    const db = await child.openDb();
    try {
      expect(await rows(db)).toHaveLength(0); // nothing was flushed: the journal is all there is
      const recorder = createRecorder({ getDb: async () => db.kysely, spoolDir: child.spoolDir, log: quietLog, retryMinMs: 20 });
      try {
        await waitFor(async () => (await rows(db)).length >= N);
        await recorder.replay();
        await recorder.flush();
        expect(await rows(db)).toHaveLength(N);
        expect(recorder.stats()).toMatchObject({ written: N, duplicates: 0, spooled: 0 });
      } finally {
        await recorder.close();
      }
      // A second recorder on the same directory finds nothing left to replay.
      const again = createRecorder({ getDb: async () => db.kysely, spoolDir: child.spoolDir, log: quietLog });
      await again.replay();
      await again.close();
      expect(again.stats().written).toBe(0);
      expect(await rows(db)).toHaveLength(N);
    } finally {
      await db.close();
    }
    expect(journals(child.spoolDir)).toEqual([]);
  });
});
