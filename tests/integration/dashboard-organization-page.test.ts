import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import {
  loadOrganizationFeedback,
  loadOrganizationHeader,
  loadOrganizationKeys,
  loadOrganizationRecentCalls,
  loadOrganizationRouting,
  loadOrganizationSpend,
} from "@/lib/db/organization-page";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { CALL_TIME, claimsFor, createFixtureWorld, ids } from "@/tests/helpers/fixtures";

/**
 * The organization page's loaders on the fixture world plus a second action: which rule wins for
 * each organization (its override, an inherited default, a learned override), month-to-date spend
 * in two currencies against the budget, and RLS (a member of another organization reads nothing).
 */

const NOW = new Date("2026-11-20T12:00:00Z");
const SUMMARIZE_DEFAULT = "11000000-0000-4000-8000-0000000000cc";
const SUMMARIZE_LEARNED = "18000000-0000-4000-8000-0000000000cc";

describe.each(databaseTargets())("organization page on $name", (target) => {
  let db: Database;

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    const k = db.kysely;
    // A default rule no organization overrides, with an app-wide learned override for one pattern.
    await k
      .insertInto("llm_configurations")
      .values({ id: SUMMARIZE_DEFAULT, app_id: ids.app, organization_id: null, action_type: "summarize", model_id: ids.models.primary, fallback_model_ids: [ids.models.spare], priority: 100 })
      .execute();
    await k
      .insertInto("learning_overrides")
      .values({ id: SUMMARIZE_LEARNED, app_id: ids.app, action_type: "summarize", query_pattern: "summarization", model_id: ids.models.secondary, confidence: "high", samples: 40, avg_score: "4.6", active: true, run_id: ids.run })
      .execute();
    // An embeddings action: the engine must be asked for an embedding model, or it reports no route.
    const embed = await k
      .insertInto("llm_models")
      .values({ provider_id: ids.provider, model_code: "mock-embed", display_name: "Mock embed", kind: "embedding" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await k
      .insertInto("llm_configurations")
      .values({ app_id: ids.app, organization_id: null, action_type: "embed", model_id: embed.id, fallback_model_ids: [], priority: 100 })
      .execute();
    // Organization A also spends in EUR this month; USD converts at 0.5.
    await k
      .insertInto("llm_calls")
      .values({
        request_id: "15000000-0000-4000-8000-0000000000ee", created_at: CALL_TIME, app_id: ids.app, organization_id: ids.orgA, action_type: "classify",
        provider_id: ids.provider, provider_code: "rls-mock", model_id: ids.models.secondary, model_code: "mock-small", prompt_tokens: 10, completion_tokens: 5,
        total_tokens: 15, cost: "1.250000000000", currency: "EUR", pricing_source: "database", latency_ms: 100, status: "ok",
      })
      .execute();
    await k
      .insertInto("app_configuration")
      .values([
        { key: "reporting.currency", scope: "global", value_type: "string", value: JSON.stringify("EUR") },
        { key: "reporting.fx_rates", scope: "global", value_type: "json", value: JSON.stringify({ USD: "0.5" }) },
        { key: "learning.enabled", scope: "global", value_type: "bool", value: JSON.stringify(true) },
      ])
      .execute();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("answers null for another organization (the page's 403) and the organization for its members", async () => {
    expect(await loadOrganizationHeader(db, claimsFor("adminA"), ids.orgB)).toBeNull();
    expect(await loadOrganizationHeader(db, claimsFor("financeA"), ids.orgB)).toBeNull();
    expect(await loadOrganizationHeader(db, claimsFor("outsider"), ids.orgA)).toBeNull();
    expect(await loadOrganizationHeader(db, claimsFor("financeA"), ids.orgA)).toMatchObject({ id: ids.orgA, name: "Org A" });
    expect(await loadOrganizationHeader(db, claimsFor("platformAdmin"), ids.orgB)).toMatchObject({ id: ids.orgB, name: "Org B" });
  });

  it("shows the organization's own override winning and the defaults it inherits, with the learned pattern", async () => {
    const rules = await loadOrganizationRouting(db, claimsFor("adminA"), ids.orgA);
    expect(rules.map((r) => r.actionType)).toEqual(["classify", "embed", "summarize"]);
    const [classify, embed, summarize] = rules;
    expect(embed).toMatchObject({ kind: "embedding", source: "configuration", modelCode: "mock-embed", error: null });
    expect(classify).toMatchObject({ kind: "chat" });
    expect(classify).toMatchObject({ source: "client_override", modelCode: "mock-small", configId: ids.configs.A, priority: 200, error: null });
    expect(classify!.reason).toMatch(/client rule "classify" priority 200/);
    // The default it overrides is shown as shadowed; B's override is not even named.
    expect(classify!.shadowed.some((s) => s.includes("default rule \"classify\" priority 100"))).toBe(true);
    expect(JSON.stringify(classify)).not.toContain(ids.configs.B);
    expect(summarize).toMatchObject({ source: "configuration", modelCode: "mock-large", configId: SUMMARIZE_DEFAULT, priority: 100, fallbacks: ["mock-spare"] });
    expect(summarize!.learned).toEqual([expect.objectContaining({ pattern: "summarization", modelCode: "mock-small" })]);

    // Organization B: its own override for classify, the same inherited default for summarize.
    const b = await loadOrganizationRouting(db, claimsFor("platformAdmin"), ids.orgB);
    expect(b.find((r) => r.actionType === "classify")).toMatchObject({ source: "client_override", configId: ids.configs.B, modelCode: "mock-large" });
    expect(b.find((r) => r.actionType === "summarize")).toMatchObject({ source: "configuration", configId: SUMMARIZE_DEFAULT });
  });

  it("with learning switched off the learned model is not in force, and the page says why", async () => {
    await db.kysely.updateTable("app_configuration").set({ value: JSON.stringify(false) }).where("key", "=", "learning.enabled").execute();
    try {
      const summarize = (await loadOrganizationRouting(db, claimsFor("adminA"), ids.orgA)).find((r) => r.actionType === "summarize");
      expect(summarize).toMatchObject({ source: "configuration", modelCode: "mock-large", learned: [] });
      expect(summarize!.shadowed).toContain("learned override, pattern summarization: learning.enabled is false");
    } finally {
      await db.kysely.updateTable("app_configuration").set({ value: JSON.stringify(true) }).where("key", "=", "learning.enabled").execute();
    }
  });

  it("a learned override never replaces a client's pinned rule, and says so", async () => {
    await db.kysely
      .insertInto("learning_overrides")
      .values({ app_id: ids.app, action_type: "classify", query_pattern: "code", model_id: ids.models.spare, confidence: "high", samples: 30, avg_score: "4.8", active: true, run_id: ids.run })
      .execute();
    const [classify] = await loadOrganizationRouting(db, claimsFor("adminA"), ids.orgA);
    expect(classify!.learned).toEqual([]);
    expect(classify!.shadowed).toContain("learned override, pattern code: skipped: client override pinned (pattern code)");
  });

  it("month-to-date spend in the reporting currency against the budget, with a zero-filled trend", async () => {
    const spend = await loadOrganizationSpend(db, claimsFor("financeA"), ids.orgA, { now: NOW });
    // 1.25 EUR + 0.0006 USD × 0.5
    expect(spend).toMatchObject({
      month: "2026-11", reportingCurrency: "EUR", spent: { amount: "1.2503", unconverted: {} }, calls: 2,
      budget: { amount: "1000", currency: "EUR", inReporting: "1000" }, pct: "0.1", over: false,
    });
    expect(spend.trend).toHaveLength(30);
    expect(spend.trend.find((d) => d.day === "2026-11-10")).toEqual({ day: "2026-11-10", cost: "1.2503", calls: 2 });
    expect(spend.trend.filter((d) => d.calls > 0)).toHaveLength(1);
    const total = spend.trend.reduce((s, d) => s + Number(d.cost), 0);
    expect(total.toFixed(4)).toBe(spend.spent.amount);
    expect(spend.alerts).toEqual([expect.objectContaining({ thresholdPct: 80, currency: "EUR" })]);
  });

  it("keeps amounts without a rate apart and gives no percentage then", async () => {
    await db.kysely.updateTable("app_configuration").set({ value: JSON.stringify({}) }).where("key", "=", "reporting.fx_rates").execute();
    try {
      const spend = await loadOrganizationSpend(db, claimsFor("financeA"), ids.orgA, { now: NOW });
      expect(spend.spent).toEqual({ amount: "1.25", unconverted: { USD: "0.0006" } });
      expect(spend.pct).toBeNull();
      expect(spend.trendUnconverted).toEqual({ USD: "0.0006" });
    } finally {
      await db.kysely.updateTable("app_configuration").set({ value: JSON.stringify({ USD: "0.5" }) }).where("key", "=", "reporting.fx_rates").execute();
    }
  });

  it("RLS: another organization's member reads no spend, keys, calls or feedback of it", async () => {
    const spend = await loadOrganizationSpend(db, claimsFor("adminB"), ids.orgA, { now: NOW });
    expect(spend).toMatchObject({ spent: { amount: "0", unconverted: {} }, calls: 0, budget: { amount: null }, alerts: [] });
    expect(await loadOrganizationKeys(db, claimsFor("adminB"), ids.orgA)).toEqual([]);
    expect(await loadOrganizationRecentCalls(db, claimsFor("adminB"), ids.orgA)).toEqual([]);
    expect((await loadOrganizationFeedback(db, claimsFor("adminB"), ids.orgA, { now: NOW })).total).toBe(0);
    // B's routing view of A holds no rule of A's.
    const rules = await loadOrganizationRouting(db, claimsFor("adminB"), ids.orgA);
    expect(JSON.stringify(rules)).not.toContain(ids.configs.A);
  });

  it("keys: the organization's own pinned keys for its admin, none for finance; never a secret", async () => {
    const keys = await loadOrganizationKeys(db, claimsFor("adminA"), ids.orgA);
    expect(keys.map((k) => k.id)).toEqual([ids.apiKeys.A]);
    expect(keys[0]).toMatchObject({ name: "Key A", prefix: "llmcp_a", organizationName: "Org A" });
    expect(Object.keys(keys[0]!)).not.toContain("keyHash");
    expect((await loadOrganizationKeys(db, claimsFor("platformAdmin"), ids.orgA)).map((k) => k.id)).toEqual([ids.apiKeys.A]);
    expect(await loadOrganizationKeys(db, claimsFor("financeA"), ids.orgA)).toEqual([]);
  });

  it("recent calls and feedback are this organization's only", async () => {
    const calls = await loadOrganizationRecentCalls(db, claimsFor("platformAdmin"), ids.orgA);
    expect(calls).toHaveLength(2);
    expect(new Set(calls.map((c) => c.organizationName))).toEqual(new Set(["Org A"]));
    // The fixture's feedback is written now, so the window ends today.
    const feedback = await loadOrganizationFeedback(db, claimsFor("platformAdmin"), ids.orgA);
    expect(feedback.total).toBe(1);
  });
});
