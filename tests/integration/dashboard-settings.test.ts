import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { withUser } from "@/lib/db/rls";
import { deleteSetting, loadSettingsPage, saveSetting } from "@/lib/db/settings";
import { settingInputSchema, type SettingInput } from "@/lib/schemas/app-setting";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids, SETTING_KEY, type FixtureUser } from "@/tests/helpers/fixtures";
import { outcome } from "@/tests/helpers/outcome";

/** Typed settings page and writes, under RLS as each fixture user. */

const settingA = (change: Partial<SettingInput> = {}): SettingInput => ({
  id: ids.settings.A, key: SETTING_KEY, scope: "organization", appId: null, organizationId: ids.orgA, valueType: "int",
  value: "35", minValue: 0, maxValue: 100, ...change,
});

describe.each(databaseTargets())("dashboard settings on $name", (target) => {
  let db: Database;
  const as = <T>(user: FixtureUser, fn: Parameters<typeof withUser<T>>[2]) => withUser(db, claimsFor(user), fn);

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
  });
  afterAll(async () => {
    await db?.close();
  });

  it.each([
    ["no context", { appId: null, organizationId: null }, 10, "global"],
    ["the app", { appId: ids.app, organizationId: null }, 20, "app"],
    ["the app and org A", { appId: ids.app, organizationId: ids.orgA }, 30, "organization"],
  ])("resolves the effective value for %s", async (_name, ctx, value, scope) => {
    const page = await loadSettingsPage(db, claimsFor("viewerA"), ctx);
    const view = page.keys.find((k) => k.key === SETTING_KEY);
    expect(view?.effective.value).toBe(value);
    expect(view?.effective.source.scope).toBe(scope);
    // Org B's row is not visible to a member of A.
    expect(view?.rows.map((r) => r.id)).not.toContain(ids.settings.B);
  });

  it.each([
    ["viewerA", settingA(), "refused"],
    ["financeA", settingA(), "refused"],
    ["adminB", settingA(), "refused"],
    ["adminA", settingA({ id: ids.settings.global, scope: "global", organizationId: null }), "refused"],
    ["adminA", settingA(), "ok"],
    ["platformAdmin", settingA({ id: ids.settings.global, scope: "global", organizationId: null, value: "11" }), "ok"],
  ] as const)("%s saving %# → %s (decided by RLS)", async (user, input, expected) => {
    expect(await outcome(() => as(user, (tx) => saveSetting(tx, input)))).toBe(expected);
  });

  it("the database refuses an out-of-bounds value even when the form is bypassed", async () => {
    // saveSetting turns the definition guard's refusal into a message on the field...
    expect(await outcome(() => as("adminA", (tx) => saveSetting(tx, settingA({ value: "500" }))), "fields")).toBe("field:value");
    // ...which the database gives to any writer (20261207240000_admin_validation.sql).
    expect(await outcome(() => as("adminA", (tx) => tx.updateTable("app_configuration").set({ value: "500" }).where("id", "=", ids.settings.A).execute()))).toBe("23514");
  });

  it("a viewer inserting an organization row is refused by the policy", async () => {
    expect(await outcome(() => as("viewerA", (tx) => saveSetting(tx, settingA({ id: undefined, key: "viewer.try" }))))).toBe("42501");
  });

  it("creates and deletes an organization override as org admin", async () => {
    const created = await as("adminA", (tx) => saveSetting(tx, settingA({ id: undefined, key: "feature_x", valueType: "bool", value: "false", minValue: null, maxValue: null })));
    const page = await loadSettingsPage(db, claimsFor("adminA"), { appId: null, organizationId: ids.orgA });
    expect(page.keys.find((k) => k.key === "feature_x")?.effective.value).toBe(false);
    expect(await outcome(() => as("viewerA", (tx) => deleteSetting(tx, created.id)))).toBe("refused");
    expect(await outcome(() => as("adminA", (tx) => deleteSetting(tx, created.id)))).toBe("ok");
  });

  it.each([
    ["int with a fraction", { value: "1.5" }, "value"],
    ["above max", { value: "101" }, "value"],
    ["below min", { value: "-1" }, "value"],
    ["min above max", { minValue: 10, maxValue: 5 }, "maxValue"],
    ["bad bool", { valueType: "bool", value: "yes", minValue: null, maxValue: null }, "value"],
    ["bad json", { valueType: "json", value: "{", minValue: null, maxValue: null }, "value"],
    ["bounds on a string", { valueType: "string", value: "x" }, "minValue"],
    ["organization scope without organization", { organizationId: null }, "organizationId"],
    ["bad key", { key: "Bad Key" }, "key"],
  ] as const)("the schema reports %s on its field", (_name, change, field) => {
    const parsed = settingInputSchema.safeParse({ ...settingA(), ...change });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join("."))).toContain(field);
  });
});
