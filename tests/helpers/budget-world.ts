import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { DB } from "@/lib/db/schema";
import { serviceDb } from "@/lib/db/service";
import { estimateCost, estimateTokens } from "@/lib/engine/budget";
import type { Dec } from "@/lib/engine/price";
import { resolveRoute } from "@/lib/engine/resolve";
import { budgetWebhooksIdle } from "@/lib/finance/budget-webhooks";
import type { ScopedAdmission, ScopedBudgets } from "@/lib/gateway/budget-scoped";
import type { CallContext } from "@/lib/gateway/context";
import { runtime } from "@/lib/gateway/runtime";
import { startGatedUpstream, until, type GatedUpstream } from "@/tests/integration/gateway/gated-upstream";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "./gateway-world";

/**
 * The setup of the tests of budgets per organization, app, key and day (issue 13): a budget row
 * inserted through the service path (insertBudget, any database), and a gateway world whose
 * `primary` provider is a gated upstream, with Acme's key free of concurrency and rate limits so
 * that only the budgets refuse (startBudgetWorld). Its calls are "classify" calls of Acme's key.
 */

export const MESSAGES = [{ role: "user", content: "Classify this work order please." }];
export const MAX_TOKENS = 1000;

export interface BudgetValues {
  organization_id: string;
  app_id?: string;
  api_key_id?: string;
  period: "month" | "day";
  amount: string;
  currency: string;
  policy: "alert" | "block" | "downgrade";
}

/** Inserts one budget and returns its id. */
export async function insertBudget(db: Kysely<DB>, values: BudgetValues): Promise<string> {
  return (await db.insertInto("budgets").values(values).returning("id").executeTakeFirstOrThrow()).id;
}

export interface BudgetWorld {
  world: GatewayWorld;
  gate: GatedUpstream;
  /** Acme's key (KEYS.pinnedAcme). */
  acmeKeyId: string;
  /** One chat call of Acme's key: action "classify" and MAX_TOKENS unless told. */
  chat(options?: { action?: string; maxTokens?: number }): Promise<Response>;
  /** The estimate of one chat() call on the primary model (USD), as the gateway computes it. */
  estimateUsd(): Promise<Dec>;
  /** An Acme budget in USD, then a configuration reload; returns its id. */
  addBudget(values: Omit<BudgetValues, "organization_id" | "currency">): Promise<string>;
  /** A recorded call of Acme on the app costing `cost` USD (now unless `at`; with Acme's key if `withKey`). */
  spend(cost: string, options?: { at?: Date; withKey?: boolean }): Promise<void>;
  /** No budgets, alerts, reservations, counters or Acme calls (after the recorder and webhooks settled). */
  reset(): Promise<void>;
  /** Fires n calls at once with the upstream held; resolves once all were answered. `reached`: calls the provider got. */
  burst(n: number): Promise<{ reached: number; answers: { status: number; body: string }[] }>;
  /** Admits a chat() call through `budgets` at an instant as the gateway would (route, then budgets), settling an admitted one. */
  admitter(budgets: Pick<ScopedBudgets, "admit">, maxTokens?: number): Promise<(at: number) => Promise<ScopedAdmission>>;
  close(): Promise<void>;
}

export async function startBudgetWorld(target: Parameters<typeof startGatewayWorld>[0]): Promise<BudgetWorld> {
  const world = await startGatewayWorld(target);
  const gate = await startGatedUpstream();
  const db = await serviceDb();
  await db.updateTable("llm_providers").set({ base_url: `${gate.origin}/v1`, timeout_ms: 60_000, max_retries: 0 }).where("code", "=", "primary").execute();
  const acmeKeyId = (await db.selectFrom("api_keys").select("id").where("organization_id", "=", world.ids.acme).executeTakeFirstOrThrow()).id;
  // The bursts exceed the default 20 calls in flight per key: only the budgets may refuse here.
  await db.updateTable("api_keys").set({ max_concurrent: 500, rate_limit_per_minute: 100_000 }).where("id", "=", acmeKeyId).execute();
  await runtime().config.reload();

  const chat: BudgetWorld["chat"] = ({ action = "classify", maxTokens = MAX_TOKENS } = {}) =>
    fetch(`${world.url}/api/llm/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEYS.pinnedAcme}` },
      body: JSON.stringify({ model: "auto", messages: MESSAGES, max_tokens: maxTokens, metadata: { action } }),
    });

  return {
    world,
    gate,
    acmeKeyId,
    chat,
    async estimateUsd() {
      const { snapshot } = await runtime().config.get();
      const tokens = estimateTokens({ messages: MESSAGES, max_tokens: MAX_TOKENS }, { temperature: 0.1 }, 1024);
      return estimateCost(snapshot, world.ids.primaryModel, tokens, Date.now())!.amount;
    },
    async addBudget(values) {
      const id = await insertBudget(await serviceDb(), { organization_id: world.ids.acme, currency: "USD", ...values });
      await runtime().config.reload();
      return id;
    },
    async spend(cost, { at = new Date(), withKey = false } = {}) {
      await (await serviceDb()).insertInto("llm_calls").values({
        request_id: randomUUID(), created_at: at, app_id: world.ids.app, organization_id: world.ids.acme, api_key_id: withKey ? acmeKeyId : null,
        status: "ok", cost, currency: "USD", pricing_source: "database", total_tokens: 10,
      }).execute();
    },
    async reset() {
      await flushed();
      await budgetWebhooksIdle();
      const tx = await serviceDb();
      await tx.deleteFrom("budget_alerts").execute();
      await tx.deleteFrom("budgets").execute();
      await tx.deleteFrom("budget_reservations").execute();
      await tx.deleteFrom("budget_counters").execute();
      await tx.deleteFrom("llm_calls").where("organization_id", "=", world.ids.acme).execute();
    },
    async burst(n) {
      gate.hold();
      const before = gate.arrived;
      const answers: { status: number; body: string }[] = [];
      const calls = Array.from({ length: n }, () => chat().then(async (res) => answers.push({ status: res.status, body: await res.text() })));
      await until(() => gate.arrived - before + answers.length === n, "every call decided");
      const reached = gate.arrived - before;
      gate.release();
      await Promise.all(calls);
      return { reached, answers };
    },
    async admitter(budgets, maxTokens = MAX_TOKENS) {
      const state = await runtime().config.get();
      const org = state.snapshot.organizationsById.get(world.ids.acme)!;
      const app = state.snapshot.appsById.get(world.ids.app)!;
      const key = [...state.keys.values()].find((k) => k.id === acmeKeyId)!;
      const ctx: CallContext = { requestId: randomUUID(), receivedAt: Date.now(), key, app, organization: org, actionType: "classify", explicitModel: null, metadata: {} };
      return async (at) => {
        const decision = resolveRoute(state.snapshot, { appId: app.id, organizationId: org.id, actionType: "classify", queryText: "x", explicitModel: null, budget: null, at });
        if (!decision.ok) throw new Error(decision.message);
        const r = await budgets.admit({ snapshot: state.snapshot, ctx, decision, request: { messages: MESSAGES, max_tokens: maxTokens }, at });
        if (r.ok) r.leases.forEach((l) => l.settle());
        return r;
      };
    },
    async close() {
      await gate.close();
      await world.close();
    },
  };
}
