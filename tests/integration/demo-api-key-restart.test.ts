import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { sql } from "kysely";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { getDb, shutdownDb } from "@/lib/db/instance";
import { handleNode } from "@/lib/gateway/node-adapter";
import { closeRecorder } from "@/lib/gateway/recorder/instance";
import { resetRuntime, runtime } from "@/lib/gateway/runtime";
import { databaseTargets, pointAppAtFreshDatabase } from "../helpers/databases";

/**
 * Issue 12 ("DEMO_API_KEY works only on the first start of an empty database; later: 401, no log
 * line"): a later start with DEMO_API_KEY set adds the key once (same hash, no second row) and says
 * so; when the key cannot work (revoked, demo seeding off) the start says why in one line instead of
 * leaving a silent 401. Through getDb(), as `npm run dev` starts, on a database that outlives the
 * restart (a PGlite data directory, or a PostgreSQL database).
 */
const KEY = "llmcp_demo_restart_key_0123456789";

describe.each(databaseTargets())("DEMO_API_KEY on a later start on $name", (target) => {
  const dirs: string[] = [];
  let drop: (() => Promise<void>) | undefined;
  let lines: string[] = [];

  async function start(vars: Record<string, string>): Promise<void> {
    await closeRecorder();
    resetRuntime();
    await shutdownDb();
    for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
    resetEnvCache();
    lines = [];
    await getDb();
  }

  async function fresh(): Promise<void> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmcp-demo-key-"));
    dirs.push(dir);
    vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", "");
    vi.stubEnv("DEMO_DAYS", "1");
    vi.stubEnv("DEMO_PASSWORD", "correct-horse-battery");
    vi.stubEnv("RECORDER_SPOOL_DIR", path.join(dir, "spool"));
    drop = await pointAppAtFreshDatabase(target.name === "postgres" ? inject("pgAdminUrl") : undefined);
    if (target.name === "pglite") vi.stubEnv("PGLITE_DATA_DIR", path.join(dir, "pglite"));
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  }

  afterEach(async () => {
    await closeRecorder();
    resetRuntime();
    await shutdownDb();
    await drop?.();
    drop = undefined;
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    resetEnvCache();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function chat(key: string): Promise<number> {
    await runtime().config.get();
    const server = http.createServer((req, res) => {
      if (!handleNode(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/llm/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: "auto", messages: [{ role: "user", content: "hi" }], metadata: { action: "werkbon_classification", organization: "sandbox" } }),
      });
      await res.arrayBuffer();
      return res.status;
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  const keyRows = async () => {
    const { rows } = await sql<{ n: number; revoked: boolean }>`select count(*)::int as n, bool_or(revoked_at is not null) as revoked
      from api_keys where name = 'Demo key'`.execute((await getDb()).kysely);
    return rows[0];
  };
  const said = (text: string) => lines.filter((l) => l.includes(text));

  it("adds the key on a later start (one row, one log line) and the gateway takes it; a revoked key stays revoked and is named", async () => {
    await fresh();
    await start({ DEMO_API_KEY: "" });
    expect(said("demo data:")).toHaveLength(1);
    expect(await chat(KEY)).toBe(401);

    await start({ DEMO_API_KEY: KEY });
    expect(said("demo data:")).toEqual([]);
    expect(said("DEMO_API_KEY added to the seeded database")).toHaveLength(1);
    expect(await keyRows()).toEqual({ n: 1, revoked: false });
    expect(await chat(KEY)).toBe(200);

    // Idempotent: the same key again adds nothing and says nothing.
    await start({ DEMO_API_KEY: KEY });
    expect(said("DEMO_API_KEY")).toEqual([]);
    expect(await keyRows()).toEqual({ n: 1, revoked: false });

    await sql`update api_keys set revoked_at = now() where name = 'Demo key'`.execute((await getDb()).kysely);
    await start({ DEMO_API_KEY: KEY });
    expect(said("DEMO_API_KEY will be refused (401): this key was revoked")).toHaveLength(1);
    expect(await keyRows()).toEqual({ n: 1, revoked: true });
    expect(await chat(KEY)).toBe(401);
    // The line names the variable, never its value.
    expect(lines.filter((l) => l.includes(KEY))).toEqual([]);
  });

  it("says in one line that DEMO_API_KEY is ignored when demo seeding is off", async () => {
    await fresh();
    await start({ DEMO_API_KEY: KEY, DEMO_SEED: "false" });
    expect(said("DEMO_API_KEY ignored: demo seeding is off (DEMO_SEED=false)")).toHaveLength(1);
    expect(await keyRows()).toEqual({ n: 0, revoked: null });
  });
});
