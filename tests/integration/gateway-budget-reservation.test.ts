import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceDb } from "@/lib/db/service";
import { estimateCost, estimateTokens } from "@/lib/engine/budget";
import { Dec } from "@/lib/engine/price";
import type { SnapshotOrganization } from "@/lib/engine/types";
import { BudgetReservations, monthOf } from "@/lib/gateway/budget-reservations";
import { PostgresBudgetStore } from "@/lib/gateway/budget-store";
import { metrics } from "@/lib/gateway/metrics";
import { runtime } from "@/lib/gateway/runtime";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";
import { gatewayTargets } from "@/tests/helpers/databases";
import { startGatedUpstream, until } from "./gateway/gated-upstream";

/**
 * Budget reservations (issue 9 items 10 and 11) on a real gateway and a real database: a burst
 * of concurrent calls admits only what the headroom covers (the calls are held at a gated
 * upstream, so every decision is taken while the others are in flight), two instances sharing
 * the store admit the headroom once, an EUR budget counts a USD-priced model's spend, a missing
 * rate refuses with budget_unconvertible, settling replaces the reservation with the actual cost,
 * and a lapsed lease (a crashed instance) frees its headroom.
 */

// PGlite, PostgreSQL, and PostgreSQL through PgBouncer (transaction mode) when TEST_PGBOUNCER_URL is set.
const targets = gatewayTargets({ pooler: true });
const MESSAGES = [{ role: "user", content: "Classify this work order please." }];
const MAX_TOKENS = 1000;

describe.each(targets)("budget reservations through the gateway on $name", (target) => {
  let world: GatewayWorld;
  let gate: Awaited<ReturnType<typeof startGatedUpstream>>;

  const chat = (extra: Record<string, unknown> = {}) =>
    fetch(`${world.url}/api/llm/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEYS.pinnedAcme}` },
      body: JSON.stringify({ model: "auto", messages: MESSAGES, max_tokens: MAX_TOKENS, metadata: { action: "classify" }, ...extra }),
    });

  /** The estimate of one such call on the primary model (USD), as the gateway computes it. */
  async function estimateUsd(): Promise<Dec> {
    const { snapshot } = await runtime().config.get();
    const tokens = estimateTokens({ messages: MESSAGES, max_tokens: MAX_TOKENS }, { temperature: 0.1 }, 1024);
    return estimateCost(snapshot, world.ids.primaryModel, tokens, Date.now())!.amount;
  }

  async function setBudget(amount: string, currency: string, policy = "block"): Promise<void> {
    const db = await serviceDb();
    await db.updateTable("organizations").set({ monthly_budget: amount, budget_currency: currency, budget_policy: policy as "block" }).where("id", "=", world.ids.acme).execute();
    await runtime().config.reload();
  }

  async function counter(currency: string) {
    const db = await serviceDb();
    return db.selectFrom("budget_counters").select(["spent", "reserved"])
      .where("organization_id", "=", world.ids.acme).where("currency", "=", currency).executeTakeFirst();
  }

  async function resetSpend(): Promise<void> {
    await flushed(); // the earlier calls' records land in the rollups before these are cleared
    const db = await serviceDb();
    await db.deleteFrom("budget_reservations").execute();
    await db.deleteFrom("budget_counters").execute();
    await db.deleteFrom("llm_call_daily").where("organization_id", "=", world.ids.acme).execute();
  }

  beforeAll(async () => {
    world = await startGatewayWorld(target);
    gate = await startGatedUpstream();
    const db = await serviceDb();
    await db.updateTable("llm_providers").set({ base_url: `${gate.origin}/v1`, timeout_ms: 60_000, max_retries: 0 }).where("code", "=", "primary").execute();
    await runtime().config.reload();
  }, 120_000);

  afterAll(async () => {
    await gate?.close();
    await world?.close();
  });

  it("admits only the headroom of a burst: 50 concurrent calls, headroom for 5", async () => {
    const est = await estimateUsd();
    await setBudget(est.times(5).toFixed(), "USD");
    gate.hold();
    const before = gate.arrived;
    const statuses: number[] = [];
    const calls = Array.from({ length: 50 }, () => chat().then(async (res) => {
      statuses.push(res.status);
      await res.text();
    }));
    // Every call either reached the (held) upstream or was refused while the others were in flight.
    await until(() => gate.arrived - before + statuses.length === 50, "every call decided");
    expect(gate.arrived - before).toBe(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(45);
    const c = await counter("USD");
    expect(new Dec(c!.reserved).eq(est.times(5))).toBe(true);
    gate.release();
    await Promise.all(calls);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
  });

  it("settles: the reservation is replaced by the recorded cost of the call", async () => {
    await flushed();
    const db = await serviceDb();
    // Everything settled: nothing reserved, and spent is the ledger's cost of the admitted calls.
    await until(async () => new Dec((await counter("USD"))!.reserved).isZero(), "settled reservations");
    const ledger = await db.selectFrom("llm_calls").select(sql<string>`coalesce(sum(cost), 0)::text`.as("cost"))
      .where("organization_id", "=", world.ids.acme).where("status", "=", "ok").executeTakeFirstOrThrow();
    expect(new Dec((await counter("USD"))!.spent).eq(ledger.cost)).toBe(true);
    expect(new Dec(ledger.cost).gt(0)).toBe(true);
    expect(await db.selectFrom("budget_reservations").select("id").execute()).toEqual([]);
    // A streamed call settles too.
    const res = await chat({ stream: true });
    expect(res.status).toBe(200);
    await res.text();
    await until(async () => new Dec((await counter("USD"))!.reserved).isZero(), "streamed call settled");
  });

  it("counts a USD-priced model against an EUR budget, and refuses without a rate (budget_unconvertible)", async () => {
    await resetSpend();
    const db = await serviceDb();
    // 10 USD spent this month by acme, recorded in USD.
    await db.insertInto("llm_calls").values({
      request_id: randomUUID(), created_at: new Date(), app_id: world.ids.app, organization_id: world.ids.acme,
      status: "ok", cost: "10", currency: "USD", pricing_source: "database", total_tokens: 10,
    }).execute();
    await db.deleteFrom("app_configuration").where("key", "in", ["reporting.currency", "reporting.fx_rates"]).where("scope", "=", "global").execute();
    await db.insertInto("app_configuration").values({ key: "reporting.currency", scope: "global", value_type: "string", value: JSON.stringify("EUR") }).execute();
    await setBudget("4", "EUR");
    const flaggedBefore = (await metrics().budgetUnconvertible.get()).values.reduce((n, v) => n + v.value, 0);

    const refused = await chat();
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ error: { type: "budget_unconvertible", message: expect.stringContaining("USD") } });
    const flaggedAfter = (await metrics().budgetUnconvertible.get()).values.reduce((n, v) => n + v.value, 0);
    expect(flaggedAfter).toBeGreaterThan(flaggedBefore);

    // With a rate (1 USD = 0.5 EUR) the 10 USD are 5 EUR: over the 4 EUR budget.
    await db.insertInto("app_configuration").values({ key: "reporting.fx_rates", scope: "global", value_type: "json", value: JSON.stringify({ USD: "0.5" }) }).execute();
    await runtime().config.reload();
    const over = await chat();
    expect(over.status).toBe(429);
    expect(await over.json()).toMatchObject({ error: { type: "budget_exceeded" } });
    expect((await counter("EUR"))!.spent).toBe("5");

    // Room for two calls' estimates in EUR: two admitted at once, the third refused.
    const estEur = (await estimateUsd()).times("0.5");
    await setBudget(estEur.times(2).plus(5).toFixed(), "EUR");
    gate.hold();
    const before = gate.arrived;
    const statuses: number[] = [];
    const calls = Array.from({ length: 3 }, () => chat().then(async (res) => {
      statuses.push(res.status);
      await res.text();
    }));
    await until(() => gate.arrived - before + statuses.length === 3, "three calls decided");
    expect(gate.arrived - before).toBe(2);
    expect(statuses).toEqual([429]);
    gate.release();
    await Promise.all(calls);
  });
});

describe.each(targets)("budget reservations shared by two instances on $name", (target) => {
  let world: GatewayWorld;
  beforeAll(async () => {
    world = await startGatewayWorld(target);
  }, 120_000);
  afterAll(async () => {
    await world?.close();
  });

  const fx = { currency: "EUR", rates: {}, fromSettings: { currency: false, rates: false } };
  const org = (budget: string): SnapshotOrganization => ({
    id: randomUUID(), slug: "shared", name: "Shared", tier: "standard", monthlyBudget: budget, budgetCurrency: "EUR", budgetPolicy: "block",
  } as SnapshotOrganization);

  it("two instances bursting at once admit the headroom once between them", async () => {
    const a = new BudgetReservations(new PostgresBudgetStore(serviceDb));
    const b = new BudgetReservations(new PostgresBudgetStore(serviceDb));
    const o = org("0.7");
    const tries = [...Array.from({ length: 30 }, () => a), ...Array.from({ length: 30 }, () => b)]
      .map((inst) => inst.reserve(o, { fx, amount: new Dec("0.1"), enforce: true }));
    const results = await Promise.all(tries);
    expect(results.filter((r) => r.ok)).toHaveLength(7);
    expect(results.filter((r) => r.ok && !r.shared)).toHaveLength(0);
    a.stop();
    b.stop();
  });

  it("a lapsed lease (an instance that crashed mid-call) frees its headroom", async () => {
    const crashed = new BudgetReservations(new PostgresBudgetStore(serviceDb));
    const alive = new BudgetReservations(new PostgresBudgetStore(serviceDb));
    const o = org("1");
    expect((await crashed.reserve(o, { fx, amount: new Dec("1"), enforce: true })).ok).toBe(true);
    crashed.stop(); // never settles, never renews
    expect(await alive.reserve(o, { fx, amount: new Dec("0.5"), enforce: true })).toMatchObject({ ok: false, reason: "over" });
    // The lease's expiry passes (instead of waiting LEASE_TTL_MS, move it into the past).
    const db = await serviceDb();
    await db.updateTable("budget_reservations").set({ expires_at: new Date(Date.now() - 1000) }).where("organization_id", "=", o.id).execute();
    await alive.sync();
    const after = await alive.reserve(o, { fx, amount: new Dec("0.5"), enforce: true });
    expect(after).toMatchObject({ ok: true });
    const row = await db.selectFrom("budget_counters").select(["spent", "reserved"]).where("organization_id", "=", o.id)
      .where("month", "=", new Date(monthOf(Date.now()))).executeTakeFirstOrThrow();
    expect(new Dec(row.reserved).eq("0.5")).toBe(true);
    expect(new Dec(row.spent).isZero()).toBe(true);
    if (after.ok) after.lease.settle();
    alive.stop();
  });
});
