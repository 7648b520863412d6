import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { loadOrganizationsPage, saveApp, saveOrganization } from "@/lib/db/organizations";
import { withUser } from "@/lib/db/rls";
import { appFormSchema, organizationFormSchema, type AppFormInput, type OrganizationFormInput } from "@/lib/schemas/organization";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids, type FixtureUser } from "@/tests/helpers/fixtures";
import { outcome } from "@/tests/helpers/outcome";

/** Organizations and apps page: members read what they belong to; only platform admins write. */

describe.each(databaseTargets())("dashboard organizations and apps on $name", (target) => {
  let db: Database;
  const as = <T>(user: FixtureUser, fn: Parameters<typeof withUser<T>>[2]) => withUser(db, claimsFor(user), fn);

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("platform admins see every organization with counts; members only their own", async () => {
    const all = await loadOrganizationsPage(db, claimsFor("platformAdmin"));
    expect(all.organizations.map((o) => o.id)).toEqual(expect.arrayContaining([ids.orgA, ids.orgB]));
    const a = all.organizations.find((o) => o.id === ids.orgA);
    expect(a?.members).toBeGreaterThanOrEqual(3);
    expect(all.apps.find((x) => x.id === ids.app)).toMatchObject({ rules: expect.any(Number), keys: expect.any(Number) });
    expect(all.models.length).toBeGreaterThan(0);
    const mine = await loadOrganizationsPage(db, claimsFor("viewerA"));
    expect(mine.organizations.map((o) => o.id)).toEqual([ids.orgA]);
  });

  const org = (change: Partial<OrganizationFormInput> = {}): OrganizationFormInput => ({ slug: "initech", name: "Initech", tier: "standard", ...change });

  it.each(["viewerA", "financeA", "adminA", "outsider"] as const)("%s cannot add an organization (the database refuses)", async (user) => {
    expect(await outcome(() => as(user, (tx) => saveOrganization(tx, org({ slug: `x-${user.toLowerCase()}` }))), "fields")).toBe("42501");
  });

  it("adds an organization once, edits its name and tier, keeps its slug", async () => {
    const created = await as("platformAdmin", (tx) => saveOrganization(tx, org()));
    expect(created.created).toBe(true);
    expect(await outcome(() => as("platformAdmin", (tx) => saveOrganization(tx, org())), "fields")).toBe("field:slug");
    await as("platformAdmin", (tx) => saveOrganization(tx, org({ id: created.id, name: "Initech BV", tier: "premium" })));
    const row = await db.kysely.selectFrom("organizations").selectAll().where("id", "=", created.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ slug: "initech", name: "Initech BV", tier: "premium", monthly_budget: null });
    expect(await outcome(() => as("platformAdmin", (tx) => saveOrganization(tx, org({ id: created.id, slug: "renamed" }))), "fields")).toBe("refused");
    expect(await outcome(() => as("adminA", (tx) => saveOrganization(tx, org({ id: ids.orgA, slug: "x", name: "Mine now" }))), "fields")).toBe("refused");
    const audit = await db.kysely.selectFrom("audit_log").select(["action", "actor_email"]).where("record_id", "=", created.id).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["insert", "update"]);
  });

  const app = (change: Partial<AppFormInput> = {}): AppFormInput => ({
    code: "invoice-reader", name: "Invoice reader", description: null, baselineModelId: ids.models.primary, legacyModelId: null,
    allowExplicitModels: false, ...change,
  });

  it("adds and edits an app with baseline and legacy models; only platform admins may", async () => {
    expect(await outcome(() => as("adminA", (tx) => saveApp(tx, app())), "fields")).toBe("42501");
    const created = await as("platformAdmin", (tx) => saveApp(tx, app()));
    expect(await outcome(() => as("platformAdmin", (tx) => saveApp(tx, app())), "fields")).toBe("field:code");
    await as("platformAdmin", (tx) => saveApp(tx, app({ id: created.id, legacyModelId: ids.models.secondary, allowExplicitModels: true, description: "Reads invoices" })));
    const row = await db.kysely.selectFrom("apps").selectAll().where("id", "=", created.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ code: "invoice-reader", baseline_model_id: ids.models.primary, legacy_model_id: ids.models.secondary, allow_explicit_models: true, description: "Reads invoices" });
    // A model id that does not exist is refused by the foreign key, not stored.
    expect(await outcome(() => as("platformAdmin", (tx) => saveApp(tx, app({ id: created.id, baselineModelId: ids.orgA }))), "fields")).toBe("23503");
  });

  it.each([
    [organizationFormSchema, { slug: "A B", name: "x", tier: "standard" }, "slug"],
    [organizationFormSchema, { slug: "ok-slug", name: "", tier: "standard" }, "name"],
    [organizationFormSchema, { slug: "ok-slug", name: "x", tier: "gold" }, "tier"],
    [appFormSchema, { code: "ok", name: "x", description: "", baselineModelId: "nope", legacyModelId: "", allowExplicitModels: false }, "baselineModelId"],
    [appFormSchema, { code: "-bad", name: "x", description: "", baselineModelId: "", legacyModelId: "", allowExplicitModels: false }, "code"],
  ] as const)("validation: %#", (schema, input, field) => {
    const parsed = schema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path[0])).toEqual([field]);
  });

  it("blank optional fields become null", () => {
    const parsed = appFormSchema.parse({ code: "ok", name: "x", description: " ", baselineModelId: "", legacyModelId: "", allowExplicitModels: false });
    expect(parsed).toMatchObject({ description: null, baselineModelId: null, legacyModelId: null });
  });

  it("marks the app form's models like the routing pickers: no key, provider disabled", async () => {
    await db.kysely.insertInto("llm_models").values({ provider_id: ids.spareProvider, model_code: "spare-gpt", display_name: "Spare GPT" }).execute();
    const marks = async (env: Record<string, string | undefined>) =>
      Object.fromEntries((await loadOrganizationsPage(db, claimsFor("platformAdmin"), env)).models.map((m) => [m.label, m.mark]));
    expect(await marks({})).toMatchObject({ "spare-gpt · rls-spare": "no key", "mock-large · rls-mock": null });
    expect((await marks({ SPARE_API_KEY: "sk-test" }))["spare-gpt · rls-spare"]).toBeNull();
    await db.kysely.updateTable("llm_providers").set({ enabled: false }).where("id", "=", ids.spareProvider).execute();
    expect((await marks({ SPARE_API_KEY: "sk-test" }))["spare-gpt · rls-spare"]).toBe("provider disabled");
  });
});
