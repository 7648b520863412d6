import { createHash, randomUUID } from "node:crypto";
import { vi } from "vitest";
import type { SessionUser } from "@/lib/db/sessions";
import { shutdownDb } from "@/lib/db/instance";
import { serviceDb } from "@/lib/db/service";
import { resetEnvCache } from "@/lib/env";
import { closeRecorder } from "@/lib/gateway/recorder/instance";
import { resetRuntime, runtime } from "@/lib/gateway/runtime";
import { pointAppAtFreshDatabase } from "@/tests/helpers/databases";

/**
 * A learning world on a fresh database: one app whose default rule for "classify" is an
 * expensive model, a client (wvc) pinned to it, a cheap model as good on "classification" and a
 * cheaper, worse one; feedback for two patterns; keys with and without the admin scope.
 */
export const LKEYS = { admin: "llmcp_learn_admin_key_0000000001", llm: "llmcp_learn_llm_key_000000000002", pinnedAdmin: "llmcp_learn_pinned_key_00000003" } as const;
export const PLATFORM_ADMIN = "0b000000-0000-4000-8000-0000000000a1";
const VIEWER = "0b000000-0000-4000-8000-0000000000a2";

export interface LearningWorld {
  ids: { app: string; acme: string; wvc: string; large: string; small: string; tiny: string };
  admin: () => Promise<SessionUser>;
  viewer: () => Promise<SessionUser>;
  nobody: () => Promise<SessionUser | null>;
  close(): Promise<void>;
}

const hash = (k: string) => createHash("sha256").update(k).digest("hex");

function session(id: string, orgId: string | null, role: "admin" | "viewer"): SessionUser {
  return {
    id, email: `${id}@learn.test`, claims: { sub: id, role: "authenticated" },
    memberships: [{ organizationId: orgId, organizationName: null, organizationSlug: null, role }],
    isPlatformAdmin: orgId === null && role === "admin",
  };
}

export async function startLearningWorld(target: { name: string; adminUrl?: string }): Promise<LearningWorld> {
  vi.stubEnv("DEMO_SEED", "false");
  vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", "");
  const dropTemp = await pointAppAtFreshDatabase(target.name === "postgres" ? target.adminUrl : undefined);
  resetEnvCache();
  const db = await serviceDb();
  const ids = await db.transaction().execute(async (tx) => {
    await tx.insertInto("auth.users").values([{ id: PLATFORM_ADMIN, email: "admin@learn.test" }, { id: VIEWER, email: "viewer@learn.test" }]).execute();
    const acme = await tx.insertInto("organizations").values({ slug: "acme", name: "Acme" }).returning("id").executeTakeFirstOrThrow();
    const wvc = await tx.insertInto("organizations").values({ slug: "wvc", name: "WVC" }).returning("id").executeTakeFirstOrThrow();
    await tx.insertInto("memberships").values([
      { user_id: PLATFORM_ADMIN, organization_id: null, role: "admin" },
      { user_id: VIEWER, organization_id: acme.id, role: "viewer" },
    ]).execute();
    // A provider with a real upstream (never called here): feedback on mock models is not learned from.
    const provider = await tx.insertInto("llm_providers")
      .values({ code: "upstream", name: "Upstream", kind: "openai_compatible", base_url: "http://127.0.0.1:9/v1" }).returning("id").executeTakeFirstOrThrow();
    const model = async (code: string, input: string, output: string) => {
      const m = await tx.insertInto("llm_models").values({ provider_id: provider.id, model_code: code, display_name: code }).returning("id").executeTakeFirstOrThrow();
      await tx.insertInto("model_prices").values({ model_id: m.id, input_per_mtok: input, output_per_mtok: output, currency: "USD", effective_from: new Date("2024-01-01T00:00:00Z") }).execute();
      return m.id;
    };
    const large = await model("large", "3.00", "15.00");
    const small = await model("small", "0.15", "0.60");
    const tiny = await model("tiny", "0.05", "0.10");
    const app = await tx.insertInto("apps").values({ code: "wb", name: "Werkbon", baseline_model_id: large }).returning("id").executeTakeFirstOrThrow();
    await tx.insertInto("llm_configurations").values([
      { app_id: app.id, action_type: "classify", model_id: large, priority: 100 },
      { app_id: app.id, organization_id: wvc.id, action_type: "classify", model_id: large, priority: 200 },
    ]).execute();
    const key = (k: string, scopes: string[], organizationId: string | null = null) =>
      tx.insertInto("api_keys").values({ app_id: app.id, organization_id: organizationId, name: k, prefix: k.slice(0, 12), key_hash: hash(k), scopes }).execute();
    await key(LKEYS.admin, ["admin"]);
    await key(LKEYS.llm, ["llm", "feedback"]);
    await key(LKEYS.pinnedAdmin, ["admin"], acme.id);
    // 30 scores per (pattern, model): a 4/5 alternation has mean 4.5 and std ~0.51.
    const scores = (n: number, pick: (i: number) => number) => Array.from({ length: n }, (_, i) => pick(i));
    const feedback = (pattern: string, code: string, list: number[], org = acme.id) =>
      tx.insertInto("production_feedback").values(list.map((s, i) => ({
        request_id: randomUUID(), organization_id: org, app_id: app.id, action_type: "classify", query_pattern: pattern,
        provider_code: "upstream", model_code: code, quality_score: s, is_correct: s >= 4, source: "seed" as const,
        created_at: new Date(Date.now() - (i + 1) * 3_600_000),
      }))).execute();
    await feedback("classification", "large", scores(30, (i) => (i % 2 ? 4 : 5)));
    await feedback("classification", "small", scores(30, (i) => (i % 2 ? 5 : 4)));
    await feedback("classification", "tiny", scores(30, (i) => (i % 3 ? 3 : 4)));
    await feedback("code", "large", scores(30, (i) => (i % 2 ? 4 : 5)), wvc.id);
    await feedback("code", "small", scores(30, () => 2), wvc.id);
    return { app: app.id, acme: acme.id, wvc: wvc.id, large, small, tiny };
  });
  await runtime().config.get();
  return {
    ids,
    admin: () => Promise.resolve(session(PLATFORM_ADMIN, null, "admin")),
    viewer: () => Promise.resolve(session(VIEWER, ids.acme, "viewer")),
    nobody: () => Promise.resolve(null),
    async close() {
      await closeRecorder();
      resetRuntime();
      await shutdownDb();
      await dropTemp?.();
      vi.unstubAllEnvs();
      resetEnvCache();
    },
  };
}
