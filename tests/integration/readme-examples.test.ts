import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import Ajv from "ajv";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { getDb, shutdownDb } from "@/lib/db/instance";
import { handleNode } from "@/lib/gateway/node-adapter";
import { openApiDocument } from "@/lib/gateway/openapi";
import { closeRecorder } from "@/lib/gateway/recorder/instance";
import { resetRuntime, runtime } from "@/lib/gateway/runtime";
import { databaseTargets, pointAppAtFreshDatabase } from "../helpers/databases";
import { startRouteServer, type RouteServer } from "../helpers/next-routes";
import { extractExamples, runExample, runnableCode, startRecordingProxy, type Exchange, type RecordingProxy } from "../helpers/readme-examples";

/**
 * Issue 10, "Done when": the README's examples for each endpoint work on a fresh install against
 * the sandbox organization's mock models. Every example under "## Calling the gateway" that calls
 * the gateway (curl blocks; TypeScript blocks, run with tsx and LLMCP_KEY set to the demo key) runs
 * as printed, only `http://localhost:3000` replaced and `npm run dev` lines left out, against a
 * fresh database that getDb() migrates and seeds exactly as `npm run dev` does on its first start
 * with DEMO_API_KEY=llmcp_demo_key_0123456789, with no provider key anywhere in the environment.
 * Each example runs twice: on `npm start`'s node:http routes (with Next's routes behind them, as
 * server.ts) and on the app/api/llm route files `next dev` serves (helpers/next-routes.ts), so a
 * route missing from either server fails here.
 * Nothing is expected per example: every HTTP exchange must be 2xx, answer a content type the
 * OpenAPI document lists for that route and status (JSON valid against its schema, or server-sent
 * events whose data are JSON or [DONE]), carry x-request-id, and, for an LLM call, have an ok
 * ledger row of the sandbox organization on the mock provider with a cost. An example opts out only
 * with `<!-- not-run: reason -->` on the line before its fence.
 */
const DEMO_KEY = "llmcp_demo_key_0123456789";
const README = fs.readFileSync(path.join(process.cwd(), "README.md"), "utf8");
const examples = extractExamples(README);
/** POST routes that are LLM calls; any other answer naming a provider (x-llm-provider) counts too. */
/** Both ways the app serves /api/llm: `npm start` (node-adapter.ts) and `npm run dev` (app/api/llm route files). */
const SERVERS = ["npm start", "next dev"] as const;
type ServerName = (typeof SERVERS)[number];
const LLM_ROUTES = /^\/api\/llm\/(v1\/(chat\/completions|embeddings|responses|messages)|generate)$/;

type Json = Record<string, unknown>;
interface OpenApi { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: Json }> }> }>>; components?: Json }

function withoutSchemaKeyword(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSchemaKeyword);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "$schema").map(([k, v]) => [k, withoutSchemaKeyword(v)]));
  }
  return value;
}

/** The OpenAPI operation for a concrete path (`{id}` matches the rest of the path, `/` included). */
function operation(doc: OpenApi, method: string, pathname: string) {
  for (const [template, ops] of Object.entries(doc.paths)) {
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, ".+")}$`);
    if (pattern.test(pathname)) return { template, op: ops[method.toLowerCase()] };
  }
  return { template: undefined, op: undefined };
}

function checkSse(body: string, where: string): void {
  const data = body.split(/\r?\n/).filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim());
  expect(data.length, `${where}: no server-sent event`).toBeGreaterThan(0);
  for (const d of data) if (d !== "[DONE]") expect(() => JSON.parse(d), `${where}: event data is not JSON: ${d.slice(0, 200)}`).not.toThrow();
}

describe("README example extraction", () => {
  it("takes the section's curl and script blocks that call the gateway, honours not-run, drops npm run dev lines", () => {
    const fence = "```";
    const readme = [
      "## Quick start", `${fence}bash`, "curl -s http://localhost:3000/api/llm/v1/models", fence,
      "## Calling the gateway", `${fence}bash`, "DEMO_API_KEY=x npm run dev   # in one terminal", "curl -s http://localhost:3000/api/llm/v1/models", fence,
      "### Sub", "<!-- not-run: needs a request id -->", "", `${fence}bash`, "curl -s http://localhost:3000/api/llm/feedback", fence,
      `${fence}json`, '{"url":"http://localhost:3000/api/llm/x"}', fence, `${fence}bash`, "npm test", fence,
      `${fence}ts`, 'const c = new OpenAI({ baseURL: "http://localhost:3000/api/llm/v1" });', fence,
      "## Threat model", `${fence}bash`, "curl -s http://localhost:3000/api/llm/v1/models", fence,
    ].join("\n");
    const found = extractExamples(readme);
    expect(found.map(({ kind, line, heading, notRun }) => ({ kind, line, heading, notRun }))).toEqual([
      { kind: "shell", line: 6, heading: "Calling the gateway", notRun: undefined },
      { kind: "shell", line: 13, heading: "Sub", notRun: "needs a request id" },
      { kind: "script", line: 22, heading: "Sub", notRun: undefined },
    ]);
    expect(runnableCode(found[0]!, "http://127.0.0.1:9")).toBe("curl -s http://127.0.0.1:9/api/llm/v1/models");
  });
});

describe.each(databaseTargets())("README gateway examples on $name", (target) => {
  let gateway: http.Server;
  let routes: RouteServer;
  /** One recording proxy per server: `npm start`'s node:http routes, and the route files `next dev` serves. */
  const proxies: Partial<Record<ServerName, RecordingProxy>> = {};
  let doc: OpenApi;
  const ajv = new Ajv({ allErrors: true, unknownFormats: "ignore" });
  let drop: (() => Promise<void>) | undefined;
  const spool = fs.mkdtempSync(path.join(os.tmpdir(), "llmcp-readme-spool-"));

  beforeAll(async () => {
    // `npm run dev` on a fresh install: embedded PGlite (or server mode on a new PostgreSQL
    // database), default DEMO_DAYS, a generated demo password, the demo key of the README.
    vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", "");
    vi.stubEnv("DEMO_SEED", "");
    vi.stubEnv("DEMO_DAYS", "");
    vi.stubEnv("DEMO_PASSWORD", "");
    vi.stubEnv("DEMO_API_KEY", DEMO_KEY);
    vi.stubEnv("RECORDER_SPOOL_DIR", spool);
    for (const name of Object.keys(process.env)) if (/_API_KEY$/.test(name) && name !== "DEMO_API_KEY") vi.stubEnv(name, "");
    drop = await pointAppAtFreshDatabase(target.name === "postgres" ? inject("pgAdminUrl") : undefined);
    resetEnvCache();
    await shutdownDb();
    await getDb();

    routes = await startRouteServer(path.join(process.cwd(), "app"));
    // As server.ts: the gateway's node:http routes, everything else (openapi.json, health) to Next.
    gateway = http.createServer((req, res) => {
      if (handleNode(req, res)) return;
      req.pipe(http.request(`${routes.origin}${req.url ?? "/"}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      }).on("error", (err) => res.destroy(err)));
    });
    await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
    await runtime().config.get();
    proxies["npm start"] = await startRecordingProxy(origin);
    proxies["next dev"] = await startRecordingProxy(routes.origin);
    // The document GET /api/llm/openapi.json serves (a Next-only route, not on this node:http server).
    doc = withoutSchemaKeyword(JSON.parse(JSON.stringify(openApiDocument()))) as OpenApi;
  }, 300_000);

  afterAll(async () => {
    for (const proxy of Object.values(proxies)) await proxy.close();
    await routes?.close();
    gateway?.closeAllConnections();
    await new Promise<void>((resolve) => (gateway ? gateway.close(() => resolve()) : resolve()));
    await closeRecorder();
    resetRuntime();
    await shutdownDb();
    await drop?.();
    fs.rmSync(spool, { recursive: true, force: true });
    vi.unstubAllEnvs();
    resetEnvCache();
  });

  it("finds the examples: chat completions (curl and the openai SDK) and embeddings at least", () => {
    const run = examples.filter((e) => !e.notRun);
    expect(run.filter((e) => e.kind === "script").length).toBeGreaterThanOrEqual(1);
    const curlPaths = run.filter((e) => e.kind === "shell").flatMap((e) => [...e.code.matchAll(/localhost:3000(\/api\/llm\/[\w/.-]+)/g)].map((m) => m[1]));
    expect(curlPaths).toEqual(expect.arrayContaining(["/api/llm/v1/chat/completions", "/api/llm/v1/embeddings"]));
  });

  async function checkExchange(x: Exchange, where: string): Promise<void> {
    const at = `${where}: ${x.method} ${x.path} → ${x.status}`;
    expect(x.status, `${at}: ${x.body.slice(0, 500)}`).toBeGreaterThanOrEqual(200);
    expect(x.status, `${at}: ${x.body.slice(0, 500)}`).toBeLessThan(300);
    expect(x.headers["x-request-id"], `${at}: no x-request-id`).toBeTruthy();

    // The document itself is the one route it does not list.
    if (x.path === "/api/llm/openapi.json") {
      expect(() => JSON.parse(x.body), `${at}: body is not JSON`).not.toThrow();
      return;
    }
    const { template, op } = operation(doc, x.method, x.path);
    expect(op, `${at}: not in the OpenAPI document`).toBeDefined();
    const documented = op?.responses?.[String(x.status)];
    expect(documented, `${at}: status not documented for ${template}`).toBeDefined();
    const type = String(x.headers["content-type"] ?? "").split(";", 1)[0]!.trim();
    const content = documented?.content ?? {};
    expect(Object.keys(content), `${at}: content type ${type} not documented`).toContain(type);
    if (type === "text/event-stream") {
      checkSse(x.body, at);
    } else {
      expect(type, `${at}: neither JSON nor server-sent events`).toBe("application/json");
      let json: unknown;
      expect(() => (json = JSON.parse(x.body)), `${at}: body is not JSON`).not.toThrow();
      const schema = content[type]?.schema;
      if (schema) {
        const validate = ajv.compile({ components: doc.components, allOf: [schema] });
        expect(validate(json), `${at}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      }
    }

    const provider = x.headers["x-llm-provider"];
    if (x.method === "POST" && (LLM_ROUTES.test(x.path) || provider !== undefined)) {
      await runtime().recorder.flush();
      const db = await getDb();
      const { rows } = await sql<{ status: string; organization: string | null; provider_code: string | null; cost: string | null }>`
        select c.status, o.slug as organization, c.provider_code, c.cost::text as cost
        from llm_calls c left join organizations o on o.id = c.organization_id
        where c.request_id::text = ${String(x.headers["x-request-id"])} order by c.attempt`.execute(db.kysely);
      expect(rows.length, `${at}: no llm_calls row`).toBeGreaterThan(0);
      // One ok row per answered call (a fan-out, e.g. `n`, may record several): the sandbox, the mock, priced.
      const answered = rows.filter((r) => r.status === "ok");
      expect(answered.length, `${at}: no ok llm_calls row: ${JSON.stringify(rows)}`).toBeGreaterThan(0);
      for (const row of answered) {
        expect({ organization: row.organization, provider_code: row.provider_code, priced: row.cost !== null }, `${at}: ${JSON.stringify(rows)}`)
          .toEqual({ organization: "sandbox", provider_code: "mock", priced: true });
      }
    }
  }

  for (const example of examples) for (const server of SERVERS) {
    const where = `${example.lang} example at README.md:${example.line} (${example.heading}) on ${server}`;
    it(where, async () => {
      const proxy = proxies[server]!;
      if (example.notRun) {
        console.info(`[readme-examples] not run, as the README says: ${where}: ${example.notRun}`);
        return;
      }
      proxy.take();
      const result = await runExample(example, proxy.origin, { LLMCP_KEY: DEMO_KEY });
      const exchanges = proxy.take();
      expect(result.exitCode, `${where} exited ${result.exitCode}\n${result.stderr}\n${result.stdout}`).toBe(0);
      expect(exchanges.length, `${where}: made no request to the gateway\n${result.stderr}`).toBeGreaterThan(0);
      for (const x of exchanges) await checkExchange(x, where);
    });
  }
});
