import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { serviceDb } from "@/lib/db/service";
import { shutdownDb } from "@/lib/db/instance";
import { ensurePartitions } from "@/lib/db/partitions";
import { handleNode } from "@/lib/gateway/node-adapter";
import { closeRecorder } from "@/lib/gateway/recorder/instance";
import { resetRuntime, runtime } from "@/lib/gateway/runtime";
import { pointAppAtFreshDatabase } from "./databases";
import type { FakeUpstream } from "./fake-upstreams/harness";
import { startOpenAIFake, type OpenAIFakeOptions } from "./fake-upstreams/openai";

/**
 * A gateway on a real loopback HTTP server (the node:http routes of `npm start`), on a fresh
 * database (PGlite, or a new PostgreSQL database), with two fake OpenAI-compatible upstreams:
 * `primary` and `backup` (the fallback). Keys: see KEYS.
 */
export const KEYS = {
  app: "llmcp_test_app_key_000000000001",
  pinnedAcme: "llmcp_test_acme_key_00000000002",
  revoked: "llmcp_test_revoked_key_000000003",
  limited: "llmcp_test_limited_key_000000004",
  noFeedback: "llmcp_test_nofeedback_key_000005",
} as const;

export interface GatewayWorld {
  url: string;
  primary: FakeUpstream;
  backup: FakeUpstream;
  ids: { app: string; acme: string; wvc: string; tight: string; primaryModel: string; backupModel: string; premiumModel: string; config: string };
  close(): Promise<void>;
}

const hash = (k: string) => createHash("sha256").update(k).digest("hex");

export async function startGatewayWorld(target: { name: string; adminUrl?: string; poolerUrl?: string }, options: { fakes?: OpenAIFakeOptions } = {}): Promise<GatewayWorld> {
  const spool = fs.mkdtempSync(path.join(os.tmpdir(), "llmcp-gw-spool-"));
  vi.stubEnv("DEMO_SEED", "false");
  vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", "");
  vi.stubEnv("RECORDER_SPOOL_DIR", spool);
  vi.stubEnv("PRIMARY_TEST_API_KEY", "sk-primary-SECRET-0123456789");
  vi.stubEnv("BACKUP_TEST_API_KEY", "sk-backup-SECRET-0123456789");
  const dropTemp = await pointAppAtFreshDatabase(target.name === "pglite" ? undefined : target.adminUrl, target.poolerUrl);
  resetEnvCache();
  // A previous world's late work (a budget settle or sync still in flight at its close) may have
  // reopened the app's database from the unstubbed environment; never start on that one.
  await shutdownDb();

  const [primary, backup] = await Promise.all([startOpenAIFake(options.fakes), startOpenAIFake(options.fakes)]);
  const db = await serviceDb();
  await ensurePartitions(db);
  const ids = await db.transaction().execute(async (tx) => {
    const org = (slug: string, name: string, extra: object = {}) =>
      tx.insertInto("organizations").values({ slug, name, ...extra }).returning("id").executeTakeFirstOrThrow();
    const acme = await org("acme", "Acme");
    const wvc = await org("wvc", "WVC", { tier: "premium" });
    const tight = await org("tight", "Tight budget", { monthly_budget: "0.000001", budget_currency: "USD", budget_policy: "block" });
    const provider = (code: string, origin: string, envVar: string) =>
      tx.insertInto("llm_providers")
        .values({ code, name: code, kind: "openai_compatible", base_url: `${origin}/v1`, api_key_env_var: envVar, timeout_ms: 2000, max_retries: 1 })
        .returning("id").executeTakeFirstOrThrow();
    const p1 = await provider("primary", primary.origin, "PRIMARY_TEST_API_KEY");
    const p2 = await provider("backup", backup.origin, "BACKUP_TEST_API_KEY");
    const model = (providerId: string, code: string) =>
      tx.insertInto("llm_models").values({ provider_id: providerId, model_code: code, display_name: code }).returning("id").executeTakeFirstOrThrow();
    const m1 = await model(p1.id, "primary-model");
    const m2 = await model(p2.id, "backup-model");
    const m3 = await model(p1.id, "premium-model");
    for (const [m, input, output, cached] of [[m1.id, "0.15", "0.60", "0.075"], [m2.id, "1.00", "2.00", null], [m3.id, "3.00", "15.00", "0.30"]] as const) {
      await tx.insertInto("model_prices").values({ model_id: m, input_per_mtok: input, output_per_mtok: output, cached_input_per_mtok: cached, currency: "USD", effective_from: new Date("2024-01-01T00:00:00Z") }).execute();
    }
    const app = await tx.insertInto("apps").values({ code: "wb", name: "Werkbon", baseline_model_id: m3.id }).returning("id").executeTakeFirstOrThrow();
    const config = await tx.insertInto("llm_configurations")
      .values({ app_id: app.id, action_type: "classify", model_id: m1.id, fallback_model_ids: [m2.id], priority: 100, params: JSON.stringify({ temperature: 0.1 }) })
      .returning("id").executeTakeFirstOrThrow();
    await tx.insertInto("llm_configurations").values({ app_id: app.id, organization_id: wvc.id, action_type: "classify", model_id: m3.id, priority: 200 }).execute();
    await tx.insertInto("llm_configurations").values({ app_id: app.id, action_type: "draft", model_id: m2.id, priority: 100 }).execute();
    const key = (k: string, extra: object = {}) =>
      tx.insertInto("api_keys").values({ app_id: app.id, name: k, prefix: k.slice(0, 12), key_hash: hash(k), scopes: ["llm", "feedback"], ...extra }).execute();
    await key(KEYS.app);
    await key(KEYS.pinnedAcme, { organization_id: acme.id });
    await key(KEYS.revoked, { revoked_at: new Date(Date.now() - 1000) });
    await key(KEYS.limited, { rate_limit_per_minute: 2 });
    await key(KEYS.noFeedback, { scopes: ["llm"] });
    // The tight organization has already spent more than its budget this month.
    await tx.insertInto("llm_calls").values({
      request_id: "00000000-0000-4000-8000-0000000000aa", created_at: new Date(), app_id: app.id, organization_id: tight.id,
      status: "ok", cost: "0.01", currency: "USD", pricing_source: "database", total_tokens: 10,
    }).execute();
    return { app: app.id, acme: acme.id, wvc: wvc.id, tight: tight.id, primaryModel: m1.id, backupModel: m2.id, premiumModel: m3.id, config: config.id };
  });

  const server = http.createServer((req, res) => {
    if (!handleNode(req, res)) {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await runtime().config.get();

  return {
    url,
    primary,
    backup,
    ids,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closeRecorder();
      resetRuntime();
      await shutdownDb();
      await Promise.all([primary.close(), backup.close()]);
      await dropTemp?.();
      fs.rmSync(spool, { recursive: true, force: true });
      vi.unstubAllEnvs();
      resetEnvCache();
    },
  };
}

/** Waits until the recorder has written everything it was given. */
export async function flushed(): Promise<void> {
  await runtime().recorder.flush();
}
