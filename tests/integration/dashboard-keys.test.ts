import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, loadKeysPage, revokeApiKey, updateApiKey } from "@/lib/db/api-keys";
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
});
