import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { createApiKey, loadKeysPage, revokeApiKey, updateApiKey } from "@/lib/db/api-keys";
import { SETTING_DEFAULTS } from "@/lib/engine/settings";
import type { Database } from "@/lib/db/client";
import { withUser } from "@/lib/db/rls";
import { createKeySchema, updateKeySchema, type CreateKeyInput } from "@/lib/schemas/api-key";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids, type FixtureUser } from "@/tests/helpers/fixtures";
import { outcome } from "@/tests/helpers/outcome";

/** App keys: created once in plaintext, stored as prefix + SHA-256, revoked under RLS. */

const keyFor = (change: Partial<CreateKeyInput> = {}): CreateKeyInput => ({
  appId: ids.app, organizationId: ids.orgA, name: "Test key", scopes: ["llm"], ...change,
});

describe.each(databaseTargets())("dashboard keys on $name", (target) => {
  let db: Database;
  const as = <T>(user: FixtureUser, fn: Parameters<typeof withUser<T>>[2]) => withUser(db, claimsFor(user), fn);

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("org admins list their organization's keys; platform admins list all", async () => {
    const mine = await loadKeysPage(db, claimsFor("adminA"));
    expect(mine.keys.map((k) => k.id)).toEqual([ids.apiKeys.A]);
    expect(mine.keys[0]).not.toHaveProperty("keyHash");
    const all = await loadKeysPage(db, claimsFor("platformAdmin"));
    expect(all.keys.map((k) => k.id).sort()).toEqual(Object.values(ids.apiKeys).sort());
    expect((await loadKeysPage(db, claimsFor("viewerA"))).keys).toEqual([]);
  });

  it("users can never read key_hash (column grants)", async () => {
    const read = await outcome(() => as("platformAdmin", (tx) => tx.selectFrom("api_keys").select("key_hash").execute()));
    expect(read).toBe("42501");
  });

  it("returns the key once and stores only its prefix and SHA-256", async () => {
    const created = await as("adminA", (tx) => createApiKey(tx, keyFor({ rateLimitPerMinute: 60 }), ids.users.adminA));
    expect(created.key).toMatch(/^llmcp_[0-9A-Za-z]{32}$/);
    expect(created.prefix).toBe(created.key.slice(0, 12));
    const row = await db.kysely.selectFrom("api_keys").selectAll().where("id", "=", created.id).executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(createHash("sha256").update(created.key).digest("hex"));
    expect(row).toMatchObject({ prefix: created.prefix, organization_id: ids.orgA, scopes: ["llm"], rate_limit_per_minute: 60 });
    expect(JSON.stringify(row)).not.toContain(created.key);
    const audit = await db.kysely.selectFrom("audit_log").selectAll().execute();
    expect(JSON.stringify(audit)).not.toContain(created.key);
  });

  it.each([
    ["viewerA", keyFor(), "42501"],
    ["financeA", keyFor(), "42501"],
    ["adminB", keyFor(), "42501"],
    ["adminA", keyFor({ organizationId: null }), "42501"],
    ["adminA", keyFor({ scopes: ["llm", "admin"] }), "42501"],
    ["platformAdmin", keyFor({ organizationId: null, scopes: ["llm", "feedback", "admin"] }), "ok"],
  ] as const)("%s creating %o → %s (decided by the database)", async (user, input, expected) => {
    expect(await outcome(() => as(user, (tx) => createApiKey(tx, input, null)))).toBe(expected);
  });

  it("revokes once; viewers and other organizations' admins are refused", async () => {
    const created = await as("platformAdmin", (tx) => createApiKey(tx, keyFor(), null));
    for (const user of ["viewerA", "financeA", "adminB"] as const) {
      expect(await outcome(() => as(user, (tx) => revokeApiKey(tx, created.id)))).toBe("refused");
    }
    expect(await outcome(() => as("adminA", (tx) => revokeApiKey(tx, created.id)))).toBe("ok");
    expect(await outcome(() => as("adminA", (tx) => revokeApiKey(tx, created.id)))).toBe("refused");
    const page = await loadKeysPage(db, claimsFor("adminA"));
    expect(page.keys.find((k) => k.id === created.id)?.revokedAt).not.toBeNull();
  });

  it("edits name, scopes and rate limit under RLS; an org admin cannot add the admin scope", async () => {
    const created = await as("adminA", (tx) => createApiKey(tx, keyFor(), null));
    const edit = { id: created.id, name: "Renamed", scopes: ["llm", "feedback"] as ("llm" | "feedback" | "admin")[], rateLimitPerMinute: 120 };
    for (const user of ["viewerA", "financeA", "adminB"] as const) {
      expect(await outcome(() => as(user, (tx) => updateApiKey(tx, edit)))).toBe("refused");
    }
    expect(await outcome(() => as("adminA", (tx) => updateApiKey(tx, { ...edit, scopes: ["llm", "admin"] })))).toBe("42501");
    expect(await outcome(() => as("adminA", (tx) => updateApiKey(tx, edit)))).toBe("ok");
    const row = await db.kysely.selectFrom("api_keys").selectAll().where("id", "=", created.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: "Renamed", scopes: ["llm", "feedback"], rate_limit_per_minute: 120 });
    // Empty rate limit = back to the gateway default; the audit trail has the before and after.
    await as("adminA", (tx) => updateApiKey(tx, { ...edit, rateLimitPerMinute: undefined }));
    const cleared = await db.kysely.selectFrom("api_keys").select("rate_limit_per_minute").where("id", "=", created.id).executeTakeFirstOrThrow();
    expect(cleared.rate_limit_per_minute).toBeNull();
    const audit = await db.kysely.selectFrom("audit_log").selectAll().where("record_id", "=", created.id).where("action", "=", "update").execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
    // Revoked keys stay as they were.
    await as("adminA", (tx) => revokeApiKey(tx, created.id));
    expect(await outcome(() => as("adminA", (tx) => updateApiKey(tx, edit)))).toBe("refused");
    expect(updateKeySchema.safeParse({ ...edit, rateLimitPerMinute: "1.5" }).success).toBe(false);
  });

  it.each([
    [{ name: "" }, "name"],
    [{ scopes: [] }, "scopes"],
    [{ scopes: ["root"] }, "scopes"],
    [{ rateLimitPerMinute: "0" }, "rateLimitPerMinute"],
    [{ appId: "x" }, "appId"],
  ])("validation rejects %o on %s", (change, field) => {
    const parsed = createKeySchema.safeParse({ ...keyFor(), ...change });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path[0])).toContain(field);
  });

  it("shows what an empty limit means: the typed defaults for the key's app and organization", async () => {
    const page = await loadKeysPage(db, claimsFor("adminA"));
    const builtIn = {
      ratePerMinute: SETTING_DEFAULTS["gateway.default_rate_limit_per_minute"],
      maxConcurrent: SETTING_DEFAULTS["gateway.default_max_concurrent_per_key"],
    };
    expect(page.defaults).toEqual(builtIn);
    expect(page.keys[0]?.defaults).toEqual(builtIn);
    await db.kysely.insertInto("app_configuration")
      .values({ key: "gateway.default_rate_limit_per_minute", scope: "organization", organization_id: ids.orgA, value_type: "int", value: JSON.stringify(30) })
      .execute();
    const tuned = await loadKeysPage(db, claimsFor("adminA"));
    expect(tuned.keys.find((k) => k.id === ids.apiKeys.A)?.defaults).toEqual({ ...builtIn, ratePerMinute: 30 });
    expect(tuned.defaults).toEqual(builtIn);
    await db.kysely.deleteFrom("app_configuration").where("key", "=", "gateway.default_rate_limit_per_minute").execute();
  });

  it("the database's ceilings use the same built-in defaults as the gateway", async () => {
    const { rows } = await sql<{ rate: string; concurrent: string }>`
      select public.gateway_limit_ceiling('gateway.default_rate_limit_per_minute', ${ids.app}::uuid)::text as rate,
             public.gateway_limit_ceiling('gateway.default_max_concurrent_per_key', ${ids.app}::uuid)::text as concurrent`.execute(db.kysely);
    expect(Number(rows[0]!.rate)).toBe(SETTING_DEFAULTS["gateway.default_rate_limit_per_minute"]);
    expect(Number(rows[0]!.concurrent)).toBe(SETTING_DEFAULTS["gateway.default_max_concurrent_per_key"]);
  });

  it("no unlimited keys: org admins stay within the default, platform admins may go above it", async () => {
    const created = await as("adminA", (tx) => createApiKey(tx, keyFor({ rateLimitPerMinute: 600, maxConcurrent: 20 }), null));
    const edit = { id: created.id, name: "Capped", scopes: ["llm"] as ("llm" | "feedback" | "admin")[] };
    expect(await outcome(() => as("adminA", (tx) => updateApiKey(tx, { ...edit, rateLimitPerMinute: 601 })), "fields")).toBe("field:rateLimitPerMinute");
    expect(await outcome(() => as("adminA", (tx) => updateApiKey(tx, { ...edit, maxConcurrent: 21 })), "fields")).toBe("field:maxConcurrent");
    expect(await outcome(() => as("adminA", (tx) => createApiKey(tx, keyFor({ rateLimitPerMinute: 100_000 }), null)), "fields")).toBe("field:rateLimitPerMinute");
    expect(await outcome(() => as("adminA", (tx) => updateApiKey(tx, { ...edit, rateLimitPerMinute: 5, maxConcurrent: 2 })))).toBe("ok");
    expect(await outcome(() => as("platformAdmin", (tx) => updateApiKey(tx, { ...edit, rateLimitPerMinute: 100_000, maxConcurrent: 500 })))).toBe("ok");
    const row = await db.kysely.selectFrom("api_keys").select(["rate_limit_per_minute", "max_concurrent"]).where("id", "=", created.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ rate_limit_per_minute: 100_000, max_concurrent: 500 });
    // Nor can an org admin lift the organization's default above the platform's.
    const orgDefault = (value: number) => as("adminA", (tx) => tx.insertInto("app_configuration")
      .values({ key: "gateway.default_max_concurrent_per_key", scope: "organization", organization_id: ids.orgA, value_type: "int", value: JSON.stringify(value) })
      .execute());
    expect(await outcome(() => orgDefault(1_000))).toBe("23514");
    expect(await outcome(() => orgDefault(10))).toBe("ok");
    // The service role (seeds, the gateway) is not restricted.
    await db.kysely.updateTable("api_keys").set({ max_concurrent: 10_000 }).where("id", "=", created.id).execute();
    expect(createKeySchema.safeParse({ ...keyFor(), maxConcurrent: "0" }).success).toBe(false);
  });
});
