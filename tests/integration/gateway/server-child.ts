import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { getDb } from "@/lib/db/instance";
import { ensurePartitions } from "@/lib/db/partitions";
import { serviceDb } from "@/lib/db/service";
import { handleNode } from "@/lib/gateway/node-adapter";
import { createRecorder } from "@/lib/gateway/recorder/recorder";
import { spoolDirFromEnv } from "@/lib/gateway/recorder/instance";
import { runtime } from "@/lib/gateway/runtime";
import { installGracefulShutdown, shutdownGraceMs } from "@/lib/gateway/shutdown";
import { getHealth } from "@/lib/health/health";
import { getReadiness, readinessStatus } from "@/lib/health/readiness";

/**
 * server.ts's gateway part in a child process, for gateway-shutdown.test.ts: the same request
 * callback (handleNode, then "Next", here a stand-in that serves /api/llm/health and 404s the
 * rest) and the same graceful shutdown, on the database and spool the environment names.
 *   server-child.ts serve <upstreamOrigin>     as `npm start` runs it
 *   server-child.ts noflush <upstreamOrigin>   the recorder never flushes on its own: a kill -9
 *                                              finds every answered call only in the journal
 * Seeds one app (key CHILD_KEY) routing action "classify" to the upstream. Prints `ready <port>`.
 */
const CHILD_KEY = "llmcp_test_child_key_0000000001";
const [mode, upstream] = process.argv.slice(2);

const db = await serviceDb();
await getDb();
await ensurePartitions(db);
await db.transaction().execute(async (tx) => {
  const provider = await tx.insertInto("llm_providers")
    .values({ code: "held", name: "held", kind: "openai_compatible", base_url: `${upstream}/v1`, api_key_env_var: null, timeout_ms: 60_000, max_retries: 1 })
    .returning("id").executeTakeFirstOrThrow();
  const model = await tx.insertInto("llm_models").values({ provider_id: provider.id, model_code: "held-model", display_name: "held" }).returning("id").executeTakeFirstOrThrow();
  await tx.insertInto("model_prices").values({ model_id: model.id, input_per_mtok: "1.00", output_per_mtok: "2.00", currency: "USD", effective_from: new Date("2024-01-01T00:00:00Z") }).execute();
  const app = await tx.insertInto("apps").values({ code: "child", name: "Child" }).returning("id").executeTakeFirstOrThrow();
  await tx.insertInto("llm_configurations").values({ app_id: app.id, action_type: "classify", model_id: model.id, priority: 100 }).execute();
  await tx.insertInto("api_keys").values({
    app_id: app.id, name: "child", prefix: CHILD_KEY.slice(0, 12), key_hash: createHash("sha256").update(CHILD_KEY).digest("hex"), scopes: ["llm", "feedback"],
  }).execute();
});

if (mode === "noflush") {
  // The process-wide recorder, made before anything asks for it, with a flush interval no test outlives.
  const holder = (globalThis as { __llmcpRecorder?: { recorder?: unknown } }).__llmcpRecorder ??= {};
  holder.recorder = createRecorder({ getDb: serviceDb, spoolDir: spoolDirFromEnv(), flushIntervalMs: 600_000, maxBatch: 10_000, maxBuffer: 100_000 });
}

const server = http.createServer((req, res) => {
  if (handleNode(req, res)) return;
  // Next's stand-in: health and the probes as the route handlers serve them, 404 for the rest.
  if (req.url === "/api/llm/health/live") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: "live" }));
    return;
  }
  if (req.url === "/api/llm/health/ready") {
    void getReadiness().then((r) => {
      res.writeHead(readinessStatus(r), { "content-type": "application/json" });
      res.end(JSON.stringify(r));
    });
    return;
  }
  if (req.url === "/api/llm/health") {
    void getHealth().then((h) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(h));
    });
    return;
  }
  res.writeHead(404).end();
});
server.keepAliveTimeout = 65_000;
await runtime().config.get();
installGracefulShutdown(server, { graceMs: shutdownGraceMs() });
server.listen(0, "127.0.0.1", () => process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`));
