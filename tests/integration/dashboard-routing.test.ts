import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { withUser } from "@/lib/db/rls";
import { loadRoutingPage, loadRoutingSnapshot, simulateRoute } from "@/lib/db/routing";
import { deleteRule, saveRule, setRuleEnabled } from "@/lib/db/routing-writes";
import { WriteRefusal } from "@/lib/db/write-refusal";
import { ruleInputSchema, type RuleInput } from "@/lib/schemas/llm-configuration";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids, type FixtureUser } from "@/tests/helpers/fixtures";

/** Routing rules page, simulator and writes, under RLS as each fixture user. */

async function refusal(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return "ok";
  } catch (err) {
    if (err instanceof WriteRefusal) return "refused";
    const code = (err as { code?: unknown }).code;
    return typeof code === "string" ? code : String(err);
  }
}

const overrideA = (change: Partial<RuleInput> = {}): RuleInput => ({
  id: ids.configs.A, appId: ids.app, organizationId: ids.orgA, actionType: "classify", modelId: ids.models.primary,
  fallbackModelIds: [ids.models.secondary], priority: 200, enabled: true, temperature: 0.2, maxTokens: 512, ...change,
});

describe.each(databaseTargets())("dashboard routing on $name", (target) => {
  let db: Database;
  const as = <T>(user: FixtureUser, fn: Parameters<typeof withUser<T>>[2]) => withUser(db, claimsFor(user), fn);

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("lists the defaults and the user's own organization's overrides only", async () => {
    const page = await loadRoutingPage(db, claimsFor("viewerA"), {});
    expect(page.rules.map((r) => r.id).sort()).toEqual([ids.configs.default, ids.configs.A].sort());
    expect(page.organizations.map((o) => o.id)).toEqual([ids.orgA]);
    const platform = await loadRoutingPage(db, claimsFor("platformAdmin"), {});
    expect(platform.rules).toHaveLength(3);
  });

  it("loads a snapshot without keys and simulates with the gateway's engine", async () => {
    const snapshot = await as("viewerA", (tx) => loadRoutingSnapshot(tx));
    expect(snapshot.configurations.map((c) => c.id)).not.toContain(ids.configs.B);
    expect(Object.keys(snapshot)).not.toContain("keys");
    const forA = await as("viewerA", (tx) => simulateRoute(tx, { appId: ids.app, organizationId: ids.orgA, actionType: "classify", sampleText: "Classify: leak" }));
    expect(forA.ok && forA.primary.model.id).toBe(ids.models.secondary);
    expect(forA.ok && forA.primary.source).toBe("client_override");
    expect(forA.trace.length).toBeGreaterThan(0);
    const noOrg = await as("viewerA", (tx) => simulateRoute(tx, { appId: ids.app, organizationId: null, actionType: "classify", sampleText: "x" }));
    expect(noOrg.ok && noOrg.primary.model.id).toBe(ids.models.primary);
    expect(noOrg.ok && noOrg.fallbacks.map((f) => f.model.id)).toContain(ids.models.secondary);
  });

  it.each([
    ["viewerA", "refused"],
    ["financeA", "refused"],
    ["adminB", "refused"],
    ["adminA", "ok"],
  ] as const)("%s editing org A's override → %s (decided by RLS)", async (user, expected) => {
    expect(await refusal(() => as(user, (tx) => saveRule(tx, overrideA({ priority: 210 }))))).toBe(expected);
  });

  it("an org admin cannot create a default rule; the policy refuses the insert", async () => {
    const outcome = await refusal(() => as("adminA", (tx) => saveRule(tx, { ...overrideA(), id: undefined, organizationId: null, actionType: "classify" })));
    expect(outcome).toBe("42501");
  });

  it("stores params and the fallback order; platform admin edits defaults", async () => {
    await as("platformAdmin", (tx) => saveRule(tx, overrideA({ id: ids.configs.default, organizationId: null, priority: 100, fallbackModelIds: [ids.models.secondary, ids.models.spare] })));
    const page = await loadRoutingPage(db, claimsFor("platformAdmin"), {});
    const rule = page.rules.find((r) => r.id === ids.configs.default);
    expect(rule).toMatchObject({ temperature: 0.2, maxTokens: 512, fallbackModelIds: [ids.models.secondary, ids.models.spare] });
  });

  it("refuses a disabled model and a duplicate slot with field errors", async () => {
    await db.kysely.updateTable("llm_models").set({ enabled: false }).where("id", "=", ids.models.spare).execute();
    try {
      const disabled = await as("adminA", (tx) => saveRule(tx, overrideA({ modelId: ids.models.spare })).catch((e: unknown) => e));
      expect(disabled).toBeInstanceOf(WriteRefusal);
      expect((disabled as WriteRefusal).fieldErrors?.modelId?.[0]).toMatch(/disabled/);
    } finally {
      await db.kysely.updateTable("llm_models").set({ enabled: true }).where("id", "=", ids.models.spare).execute();
    }
    const created = await as("adminA", (tx) => saveRule(tx, { ...overrideA(), id: undefined, priority: 300 }));
    const dup = await as("adminA", (tx) => saveRule(tx, { ...overrideA(), id: undefined, priority: 300 }).catch((e: unknown) => e));
    expect((dup as WriteRefusal).fieldErrors?.priority).toBeDefined();
    expect(await refusal(() => as("viewerA", (tx) => deleteRule(tx, created.id)))).toBe("refused");
    expect(await refusal(() => as("adminA", (tx) => setRuleEnabled(tx, created.id, false)))).toBe("ok");
    expect(await refusal(() => as("adminA", (tx) => deleteRule(tx, created.id)))).toBe("ok");
  });

  it.each([
    ["priority above 1000", { priority: 1001 }, "priority"],
    ["negative priority", { priority: -1 }, "priority"],
    ["temperature 3", { temperature: 3 }, "temperature"],
    ["fractional max tokens", { maxTokens: 1.5 }, "maxTokens"],
    ["primary as its own fallback", { fallbackModelIds: [ids.models.primary] }, "fallbackModelIds"],
    ["bad action type", { actionType: "Bad Action" }, "actionType"],
  ])("the schema reports %s on its field", (_name, change, field) => {
    const parsed = ruleInputSchema.safeParse({ ...overrideA(), ...change });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join("."))).toContain(field);
  });
});
