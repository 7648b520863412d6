import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { withUser } from "@/lib/db/rls";
import type { DB } from "@/lib/db/schema";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { CALL_TIME, claimsFor, createFixtureWorld, ids, SETTING_KEY } from "@/tests/helpers/fixtures";
import { outcome } from "@/tests/helpers/outcome";

/**
 * What the schema refuses or computes on its own, whoever writes: call completeness, priced
 * costs, safe provider key names, typed settings with bounds, settings precedence and fallback
 * chains.
 */

/** 'ok', or the SQLSTATE the statement failed with. */

const CHECK = "23514";
const FOREIGN_KEY = "23503";

describe.each(databaseTargets())("schema rules on $name", (target) => {
  let db: Database;
  let k: Kysely<DB>;
  let seq = 0;
  const nextRequest = () => `00000000-0000-4000-9000-${(++seq).toString(16).padStart(12, "0")}`;

  beforeAll(async () => {
    db = await openMigrated(target);
    k = db.kysely;
    await createFixtureWorld(k);
  });
  afterAll(async () => {
    await db?.close();
  });

  const completeCall = {
    created_at: CALL_TIME, organization_id: ids.orgA as string | null, pipeline_stage: "triage" as string | null,
    request_type: "classify" as string | null, total_tokens: 10 as number | null, cost: "0.001" as string | null,
    pricing_source: "database" as const, currency: "USD", status: "ok" as const,
  };

  it.each([
    ["all present", {}, true],
    ["no organization", { organization_id: null }, false],
    ["no pipeline stage", { pipeline_stage: null }, false],
    ["no request type", { request_type: null }, false],
    ["no tokens", { total_tokens: null }, false],
    ["no cost", { cost: null }, false],
  ])("computes record_complete: %s → %s", async (_name, change, complete) => {
    const row = await k.insertInto("llm_calls").values({ ...completeCall, ...change, request_id: nextRequest() })
      .returning("record_complete").executeTakeFirstOrThrow();
    expect(row.record_complete).toBe(complete);
  });

  it("refuses a cost without a pricing source or currency, and an unknown pricing source", async () => {
    const insert = (change: Record<string, unknown>) => () =>
      k.insertInto("llm_calls").values({ ...completeCall, request_id: nextRequest(), ...change }).execute();
    expect(await outcome(insert({ pricing_source: null }))).toBe(CHECK);
    expect(await outcome(insert({ currency: null }))).toBe(CHECK);
    expect(await outcome(insert({ pricing_source: "guess" }))).toBe(CHECK);
    expect(await outcome(insert({ cost: null, pricing_source: null, currency: null }))).toBe("ok");
  });

  it.each([
    ["DATABASE_URL", CHECK],
    ["SUPABASE_SERVICE_ROLE_KEY", CHECK],
    ["AUTH_SECRET", CHECK],
    ["openai_api_key", CHECK],
    ["OPENAI_API_KEY; DROP", CHECK],
    ["OPENAI_API_KEY", "ok"],
    ["ACME_GATEWAY_2_API_KEY", "ok"],
  ])("api_key_env_var %s → %s (service path and platform admin alike)", async (envVar, expected) => {
    const code = `env-${(++seq).toString()}`;
    const values = { code, name: code, kind: "openai" as const, api_key_env_var: envVar };
    expect(await outcome(() => k.insertInto("llm_providers").values(values).execute())).toBe(expected);
    const viaUser = () => withUser(db, claimsFor("platformAdmin"), (tx) =>
      tx.updateTable("llm_providers").set({ api_key_env_var: envVar }).where("id", "=", ids.spareProvider).execute());
    expect(await outcome(viaUser)).toBe(expected);
  });

  it.each([
    ["int", '"10"', null, null, CHECK],
    ["int", "1.5", null, null, CHECK],
    ["int", "10", "0", "100", "ok"],
    ["int", "101", "0", "100", CHECK],
    ["int", "-1", "0", "100", CHECK],
    ["float", "0.5", "0", "1", "ok"],
    ["float", "1.01", "0", "1", CHECK],
    ["float", "true", null, null, CHECK],
    ["bool", "1", null, null, CHECK],
    ["bool", "false", null, null, "ok"],
    ["string", "5", null, null, CHECK],
    ["string", '"gpt"', null, null, "ok"],
    ["json", '{"a": [1, 2]}', null, null, "ok"],
    ["int", "5", "10", "1", CHECK],
  ])("typed setting %s = %s within [%s, %s] → %s", async (valueType, value, min, max, expected) => {
    const key = `typed.k${(++seq).toString()}`;
    const insert = () => k.insertInto("app_configuration").values({
      key, scope: "global", app_id: null, organization_id: null,
      value_type: valueType as "int", value, min_value: min, max_value: max,
    }).execute();
    expect(await outcome(insert)).toBe(expected);
  });

  it("refuses an out-of-bounds or mistyped update by an org admin", async () => {
    const update = (value: string) => () => withUser(db, claimsFor("adminA"), (tx) =>
      tx.updateTable("app_configuration").set({ value }).where("id", "=", ids.settings.A).execute());
    expect(await outcome(update("101"))).toBe(CHECK);
    expect(await outcome(update('"30"'))).toBe(CHECK);
    expect(await outcome(update("99"))).toBe("ok");
  });

  describe("get_app_config", () => {
    const otherApp = "0d000000-0000-4000-8000-0000000000ff";
    const get = async (tx: Kysely<DB>, app: string | null, org: string | null) =>
      (await sql<{ v: unknown }>`select public.get_app_config(${SETTING_KEY}, ${app}::uuid, ${org}::uuid) as v`.execute(tx)).rows[0]!.v;

    it("prefers organization over app over global", async () => {
      await k.updateTable("app_configuration").set({ value: "30" }).where("id", "=", ids.settings.A).execute();
      expect(await get(k, ids.app, ids.orgA)).toBe(30);
      expect(await get(k, ids.app, ids.orgB)).toBe(40);
      expect(await get(k, ids.app, null)).toBe(20);
      expect(await get(k, otherApp, null)).toBe(10);
      expect(await get(k, otherApp, ids.orgA)).toBe(30);
      expect(await sql`select public.get_app_config('no.such.key', null, null) as v`.execute(k)).toMatchObject({ rows: [{ v: null }] });
    });

    it("prefers an organization's setting for the app over its setting for all apps", async () => {
      await k.insertInto("app_configuration").values({
        key: SETTING_KEY, scope: "organization", app_id: ids.app, organization_id: ids.orgA, value_type: "int", value: "35",
      }).execute();
      expect(await get(k, ids.app, ids.orgA)).toBe(35);
      expect(await get(k, otherApp, ids.orgA)).toBe(30);
    });

    it("resolves with the caller's rights: another organization's setting is invisible", async () => {
      const asViewerA = (org: string) => withUser(db, claimsFor("viewerA"), (tx) => get(tx, ids.app, org));
      expect(await asViewerA(ids.orgA)).toBe(35);
      expect(await asViewerA(ids.orgB)).toBe(20);
    });
  });

  const UNKNOWN_MODEL = "0f000000-0000-4000-8000-0000000000ff";
  it.each([
    ["a known model", [ids.models.secondary], "ok"],
    ["an unknown model", [UNKNOWN_MODEL], FOREIGN_KEY],
    ["the primary itself", [ids.models.primary], CHECK],
    ["the same model twice", [ids.models.secondary, ids.models.secondary], CHECK],
  ])("validates a fallback chain with %s → %s", async (_name, fallbacks, expected) => {
    const insert = () => k.insertInto("llm_configurations").values({
      app_id: ids.app, organization_id: null, action_type: `fb.${(++seq).toString()}`, model_id: ids.models.primary,
      fallback_model_ids: fallbacks,
    }).execute();
    expect(await outcome(insert)).toBe(expected);
  });

  it("validates the fallback chain of an org admin's update too", async () => {
    // Config A routes to the secondary model.
    const setFallbacks = (fallbacks: string[]) => () => withUser(db, claimsFor("adminA"), (tx) =>
      tx.updateTable("llm_configurations").set({ fallback_model_ids: fallbacks }).where("id", "=", ids.configs.A).execute());
    expect(await outcome(setFallbacks([ids.models.secondary]))).toBe(CHECK);
    expect(await outcome(setFallbacks([UNKNOWN_MODEL]))).toBe(FOREIGN_KEY);
    expect(await outcome(setFallbacks([ids.models.primary, ids.models.spare]))).toBe("ok");
  });
});
