import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "kysely";
import { afterEach, describe, expect, inject, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { getDb, shutdownDb } from "@/lib/db/instance";
import { handleNode } from "@/lib/gateway/node-adapter";
import { closeRecorder } from "@/lib/gateway/recorder/instance";
import { resetRuntime } from "@/lib/gateway/runtime";
import { databaseTargets, pointAppAtFreshDatabase } from "../helpers/databases";

/**
 * Item 16 of issue 9: where getDb() decides to seed demo data. A production server (DATABASE_URL,
 * NODE_ENV=production) gets no demo admin unless DEMO_SEED=true; embedded mode keeps seeding. The
 * seeded DEMO_API_KEY only reaches the sandbox organization (mock models) and is rate-limited.
 */
const DEMO_KEY = "llmcp_demo_edges_0123456789abcdef";

type Row = Record<string, unknown>;

async function boot(adminUrl: string | undefined, vars: Record<string, string>): Promise<() => Promise<void>> {
  vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", "");
  vi.stubEnv("NODE_ENV", "production");
  vi.stubEnv("DEMO_DAYS", "1");
  vi.stubEnv("DEMO_PASSWORD", "correct-horse-battery");
  vi.stubEnv("DEMO_API_KEY", DEMO_KEY);
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
  const drop = await pointAppAtFreshDatabase(adminUrl);
  resetEnvCache();
  return drop;
}

async function counts(): Promise<Row> {
  const db = await getDb();
  const { rows } = await sql<Row>`select (select count(*)::int from auth.users) as users,
    (select count(*)::int from api_keys) as keys, (select count(*)::int from llm_calls) as calls`.execute(db.kysely);
  return rows[0] ?? {};
}

describe.each(databaseTargets())("demo seed decision on $name", (target) => {
  let drop: (() => Promise<void>) | undefined;
  const adminUrl = target.name === "postgres" ? inject("pgAdminUrl") : undefined;

  afterEach(async () => {
    await closeRecorder();
    resetRuntime();
    await shutdownDb();
    await drop?.();
    drop = undefined;
    vi.unstubAllEnvs();
    resetEnvCache();
  });

  // Server mode needs a PostgreSQL URL; on PGlite the app is in embedded mode, which keeps seeding.
  if (target.name === "postgres") {
    it("does not seed a production server without DEMO_SEED=true", async () => {
      drop = await boot(adminUrl, { DEMO_SEED: "" });
      expect(await counts()).toEqual({ users: 0, keys: 0, calls: 0 });
    });
  }

  it("seeds with DEMO_SEED=true (and embedded mode by default); the demo key is pinned to sandbox and rate-limited", async () => {
    drop = await boot(adminUrl, { DEMO_SEED: target.name === "postgres" ? "true" : "" });
    expect(await counts()).toMatchObject({ users: 4, keys: 1 });
    const db = await getDb();
    const { rows } = await sql<Row>`select o.slug, k.rate_limit_per_minute from api_keys k
      join organizations o on o.id = k.organization_id`.execute(db.kysely);
    expect(rows).toEqual([{ slug: "sandbox", rate_limit_per_minute: 60 }]);

    const server = http.createServer((req, res) => {
      if (!handleNode(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/llm/v1/chat/completions`;
      const call = (metadata: object) =>
        fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${DEMO_KEY}` },
          body: JSON.stringify({ model: "auto", messages: [{ role: "user", content: "hi" }], metadata: { action: "werkbon_classification", ...metadata } }),
        });
      const own = await call({});
      expect(own.status).toBe(200);
      expect(own.headers.get("x-llm-provider")).toBe("mock");
      // The README's Responses API example, as printed.
      const responses = await fetch(url.replace("chat/completions", "responses"), {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${DEMO_KEY}` },
        body: JSON.stringify({ model: "werkbon_classification", input: "Classificeer: lekkage", metadata: { organization: "sandbox" } }),
      });
      expect(responses.status).toBe(200);
      expect(await responses.json()).toMatchObject({ object: "response", status: "completed", output: [{ type: "message" }] });
      const other = await call({ organization: "wvc" });
      expect(other.status).toBe(403);
      expect(((await other.json()) as { error: { message: string } }).error.message).toContain("sandbox");
      // 60 per minute: the first refusal comes at or before the 61st call (the 403 may count too).
      let status = 200;
      for (let i = 0; i < 61 && status !== 429; i++) status = (await call({})).status;
      expect(status).toBe(429);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
