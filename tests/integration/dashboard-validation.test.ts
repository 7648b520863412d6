import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { saveApp } from "@/lib/db/organizations";
import { addPrice, loadPricingPage } from "@/lib/db/pricing";
import { withUser } from "@/lib/db/rls";
import { loadRoutingPage, simulateRouteWithReadiness } from "@/lib/db/routing";
import { saveRule } from "@/lib/db/routing-writes";
import { loadSettingsPage, saveSetting } from "@/lib/db/settings";
import { readinessProblem } from "@/lib/engine/provider-readiness";
import type { RuleInput } from "@/lib/schemas/llm-configuration";
import type { PriceInput } from "@/lib/schemas/model-price";
import type { SettingInput } from "@/lib/schemas/app-setting";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids, type FixtureUser } from "@/tests/helpers/fixtures";
import { outcome } from "@/tests/helpers/outcome";

/**
 * Validation where admins make mistakes (issue 12, item 6), under RLS as each fixture user:
 * actions known per app, provider readiness in the routing page and the simulator, a setting's
 * type and bounds defined once per key, and Add price keeping the model's currency.
 */

const newRule = (change: Partial<RuleInput> = {}): RuleInput => ({
  appId: ids.app, organizationId: ids.orgA, actionType: "classify", modelId: ids.models.primary,
  fallbackModelIds: [], priority: 400, enabled: true, ...change,
});

const SPARE_MODEL = "0f000000-0000-4000-8000-0000000000aa";

describe.each(databaseTargets())("dashboard validation on $name", (target) => {
  let db: Database;
  const as = <T>(user: FixtureUser, fn: Parameters<typeof withUser<T>>[2]) => withUser(db, claimsFor(user), fn);

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
  });
  afterAll(async () => {
    await db?.close();
  });

  describe("actions known per app", () => {
    it("knows the actions seen in the app's calls (kept by the llm_calls trigger)", async () => {
      const page = await loadRoutingPage(db, claimsFor("viewerA"), {});
      expect(page.apps.find((a) => a.id === ids.app)?.actions).toEqual({ declared: [], seen: ["classify"] });
    });

    it("refuses a new rule for an unknown action with the warning on its field, until confirmed", async () => {
      const typo = newRule({ actionType: "clasify" });
      const refused = await as("adminA", (tx) => saveRule(tx, typo).catch((e: unknown) => e));
      expect(refused).toMatchObject({ fieldErrors: { actionType: [expect.stringMatching(/No call of .* has used “clasify”.*never match/)] } });
      expect(await db.kysely.selectFrom("llm_configurations").select("id").where("action_type", "=", "clasify").execute()).toEqual([]);
      expect(await outcome(() => as("adminA", (tx) => saveRule(tx, { ...typo, confirmUnknownAction: true })))).toBe("ok");
      expect(await outcome(() => as("adminA", (tx) => saveRule(tx, newRule({ actionType: "*", priority: 401 }))))).toBe("ok");
    });

    it("accepts an action once the app declares it, and once a call has used it", async () => {
      expect(await outcome(() => as("adminA", (tx) => saveRule(tx, newRule({ actionType: "summarize", priority: 402 }))), "fields")).toBe("field:actionType");
      expect(await outcome(() => as("adminA", (tx) => saveApp(tx, {
        id: ids.app, code: "rls-app", name: "x", description: null, baselineModelId: null, legacyModelId: null, allowExplicitModels: false, declaredActions: ["summarize"],
      })))).not.toBe("ok");
      const app = await db.kysely.selectFrom("apps").selectAll().where("id", "=", ids.app).executeTakeFirstOrThrow();
      await as("platformAdmin", (tx) => saveApp(tx, {
        id: app.id, code: app.code, name: app.name, description: app.description, baselineModelId: app.baseline_model_id,
        legacyModelId: app.legacy_model_id, allowExplicitModels: app.allow_explicit_models, declaredActions: ["summarize"],
      }));
      expect(await outcome(() => as("adminA", (tx) => saveRule(tx, newRule({ actionType: "summarize", priority: 402 }))))).toBe("ok");

      expect(await outcome(() => as("adminA", (tx) => saveRule(tx, newRule({ actionType: "translate", priority: 403 }))), "fields")).toBe("field:actionType");
      await db.kysely.insertInto("llm_calls").values({
        request_id: "0f000000-0000-4000-8000-0000000000bb", created_at: new Date(), app_id: ids.app, organization_id: ids.orgB,
        action_type: "translate", request_type: "chat", status: "ok",
      }).execute();
      expect(await outcome(() => as("adminA", (tx) => saveRule(tx, newRule({ actionType: "translate", priority: 403 }))))).toBe("ok");
      // Seen in org B's call, known to org A's members too: actions belong to the app.
      const page = await loadRoutingPage(db, claimsFor("viewerA"), {});
      expect(page.apps.find((a) => a.id === ids.app)?.actions).toEqual({ declared: ["summarize"], seen: ["classify", "translate"] });
    });

    it("the database refuses a malformed declared action", async () => {
      expect(await outcome(() => db.kysely.updateTable("apps").set({ declared_actions: ["Bad Action"] }).where("id", "=", ids.app).execute())).toBe("23514");
    });
  });

  describe("provider readiness", () => {
    beforeAll(async () => {
      await db.kysely.insertInto("llm_models").values({ id: SPARE_MODEL, provider_id: ids.spareProvider, model_code: "spare-1", display_name: "Spare 1" }).execute();
      await db.kysely.insertInto("llm_configurations").values({
        app_id: ids.app, organization_id: null, action_type: "spare_only", model_id: SPARE_MODEL, fallback_model_ids: [ids.models.secondary], priority: 100,
      }).execute();
    });

    it("marks a model whose provider has no key, and only says whether the key is set", async () => {
      const missing = await loadRoutingPage(db, claimsFor("viewerA"), {});
      expect(missing.models.find((m) => m.id === SPARE_MODEL)?.readiness).toEqual({
        providerCode: "rls-spare", enabled: true, key: "missing", keyEnvVar: "SPARE_API_KEY", ready: false,
      });
      expect(missing.models.find((m) => m.id === ids.models.primary)?.readiness).toMatchObject({ key: "not_needed", ready: true });
      const present = await loadRoutingPage(db, claimsFor("viewerA"), { SPARE_API_KEY: "sk-secret-value" });
      expect(present.models.find((m) => m.id === SPARE_MODEL)?.readiness.ready).toBe(true);
      expect(JSON.stringify(present)).not.toContain("sk-secret-value");
    });

    it("the simulator says a real call would fail on a provider without its key", async () => {
      const input = { appId: ids.app, organizationId: null, actionType: "spare_only", sampleText: "x" };
      const sim = await as("viewerA", (tx) => simulateRouteWithReadiness(tx, input, {}));
      expect(sim.decision.ok && sim.decision.primary.model.id).toBe(SPARE_MODEL);
      expect(sim.readiness.map(readinessProblem)).toEqual(["provider rls-spare has no key (env var SPARE_API_KEY not set)", null]);
      const ready = await as("viewerA", (tx) => simulateRouteWithReadiness(tx, input, { SPARE_API_KEY: "k" }));
      expect(ready.readiness.every((r) => r.ready)).toBe(true);
    });

    it("marks a disabled provider", async () => {
      await db.kysely.updateTable("llm_providers").set({ enabled: false }).where("id", "=", ids.spareProvider).execute();
      try {
        const page = await loadRoutingPage(db, claimsFor("viewerA"), { SPARE_API_KEY: "k" });
        const spare = page.models.find((m) => m.id === SPARE_MODEL);
        expect(spare && readinessProblem(spare.readiness)).toBe("provider rls-spare is disabled");
      } finally {
        await db.kysely.updateTable("llm_providers").set({ enabled: true }).where("id", "=", ids.spareProvider).execute();
      }
    });
  });

  describe("a setting's type and bounds are defined once per key", () => {
    const orgRow = (change: Partial<SettingInput> = {}): SettingInput => ({
      key: "confidence_threshold", scope: "organization", appId: null, organizationId: ids.orgA, valueType: "float",
      value: "0.9", minValue: 0, maxValue: 1, ...change,
    });
    const orgRowId = async () =>
      (await db.kysely.selectFrom("app_configuration").select("id").where("key", "=", "confidence_threshold").where("organization_id", "=", ids.orgA).executeTakeFirstOrThrow()).id;

    beforeAll(async () => {
      await db.kysely.insertInto("app_configuration").values({
        key: "confidence_threshold", scope: "global", value_type: "float", value: "0.85", min_value: "0", max_value: "1",
      }).execute();
    });

    it("the global row defines the key; the page shows the definition", async () => {
      const page = await loadSettingsPage(db, claimsFor("viewerA"), { appId: null, organizationId: ids.orgA });
      expect(page.definitions.confidence_threshold).toEqual({ valueType: "float", minValue: "0", maxValue: "1" });
    });

    it("an org admin's row follows the definition; empty bounds are filled from it", async () => {
      expect(await outcome(() => as("adminA", (tx) => saveSetting(tx, orgRow({ minValue: null, maxValue: null }))))).toBe("ok");
      const row = await db.kysely.selectFrom("app_configuration").select(["min_value", "max_value"]).where("id", "=", await orgRowId()).executeTakeFirstOrThrow();
      expect([Number(row.min_value), Number(row.max_value)]).toEqual([0, 1]);
    });

    it.each([
      ["widening the bounds", { maxValue: 10, value: "5" }, "field:minValue", /bounds of confidence_threshold are 0 … 1/],
      ["saving 5 for a 0…1 setting", { value: "5", minValue: null, maxValue: null }, "field:value", /confidence_threshold must be between 0 and 1/],
      ["changing its type", { valueType: "string", value: "high", minValue: null, maxValue: null }, "field:valueType", /defined as a float setting/],
    ] as const)("an org admin %s is refused", async (_name, change, fields, message) => {
      const id = await orgRowId();
      expect(await outcome(() => as("adminA", (tx) => saveSetting(tx, orgRow({ id, ...change }))), "fields")).toBe(fields);
      expect(await outcome(() => as("adminA", (tx) => saveSetting(tx, orgRow({ id, ...change }))), "message")).toMatch(message);
    });

    it.each([
      ["widens the bounds", { max_value: "10" }],
      ["saves 5", { value: "5", min_value: null, max_value: null }],
      ["changes the type", { value_type: "string" as const, value: '"high"', min_value: null, max_value: null }],
    ])("the database refuses an org admin who %s without the form (23514)", async (_name, set) => {
      const id = await orgRowId();
      expect(await outcome(() => as("adminA", (tx) => tx.updateTable("app_configuration").set(set).where("id", "=", id).execute()))).toBe("23514");
    });

    it("a platform admin changes the bounds on the global row; every row of the key follows", async () => {
      await as("platformAdmin", (tx) => tx.updateTable("app_configuration").set({ min_value: "0.5" })
        .where("key", "=", "confidence_threshold").where("scope", "=", "global").execute());
      const rows = await db.kysely.selectFrom("app_configuration").select(["scope", "min_value"]).where("key", "=", "confidence_threshold").execute();
      expect(rows.map((r) => Number(r.min_value))).toEqual([0.5, 0.5]);
      const def = await db.kysely.selectFrom("setting_definitions").selectAll().where("key", "=", "confidence_threshold").executeTakeFirstOrThrow();
      expect(Number(def.min_value)).toBe(0.5);
      // Its type cannot change while other rows hold the key.
      expect(await outcome(() => as("platformAdmin", (tx) => tx.updateTable("app_configuration").set({ value_type: "string", value: '"x"', min_value: null, max_value: null })
        .where("key", "=", "confidence_threshold").where("scope", "=", "global").execute()))).toBe("23514");
    });

    it("users cannot write definitions directly", async () => {
      expect(await outcome(() => as("platformAdmin", (tx) => tx.updateTable("setting_definitions").set({ max_value: "100" }).where("key", "=", "confidence_threshold").execute()))).toBe("42501");
    });
  });

  describe("Add price keeps the model's currency unless the change is confirmed", () => {
    const eurPrice = (change: Partial<PriceInput> = {}): PriceInput => ({
      modelId: ids.models.secondary, inputPerMtok: "0.3", outputPerMtok: "1.5", currency: "USD", effectiveFrom: new Date("2026-07-01T00:00:00Z"), ...change,
    });

    it("refuses another currency than the price in force at that moment, with what it affects", async () => {
      await db.kysely.insertInto("model_prices").values({
        model_id: ids.models.secondary, input_per_mtok: "0.2", output_per_mtok: "1", currency: "EUR", effective_from: new Date("2026-03-01T00:00:00Z"), source: "seed",
      }).execute();
      const refused = await as("platformAdmin", (tx) => addPrice(tx, eurPrice(), null).catch((e: unknown) => e));
      expect(refused).toMatchObject({
        fieldErrors: { currency: ["mock-small is priced in EUR now. A USD price makes budgets in EUR stop counting this model's calls; its costs will be in USD until converted at reporting.fx_rates."] },
      });
      expect(await outcome(() => as("platformAdmin", (tx) => addPrice(tx, eurPrice({ currency: "EUR" }), null)))).toBe("ok");
      expect(await outcome(() => as("platformAdmin", (tx) => addPrice(tx, eurPrice({ effectiveFrom: new Date("2026-08-01T00:00:00Z"), confirmCurrencyChange: true }), null)))).toBe("ok");
      const page = await loadPricingPage(db, claimsFor("viewerA"), new Date("2026-09-01T00:00:00Z"));
      expect(page.models.find((m) => m.id === ids.models.secondary)?.prices.map((p) => p.currency)).toEqual(["USD", "EUR", "EUR", "USD"]);
    });
  });
});
