import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { withUser } from "@/lib/db/rls";
import type { DB } from "@/lib/db/schema";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids, type FixtureUser } from "@/tests/helpers/fixtures";

/**
 * Issue 9 item 17(a): a revoked app key stays revoked, enforced by the database. Before the
 * trigger an org admin could `update api_keys set revoked_at = null` through PostgREST (the
 * column is granted for revoking). Each refused statement runs inside a savepoint, so the test
 * then proves the transaction is still usable and the key still revoked.
 */
const REVOKED_AT = new Date("2026-11-20T10:00:00Z");
const LATER = "2026-11-21T10:00:00Z";
const EARLIER = "2026-11-19T10:00:00Z";

type Outcome = "ok" | "refused" | string;

async function attempt(tx: Kysely<DB>, name: string, statement: ReturnType<typeof sql>): Promise<Outcome> {
  await sql.raw(`savepoint ${name}`).execute(tx);
  try {
    const result = await statement.execute(tx);
    await sql.raw(`release savepoint ${name}`).execute(tx);
    return (result.numAffectedRows ?? 0n) > 0n ? "ok" : "no rows";
  } catch (err) {
    await sql.raw(`rollback to savepoint ${name}`).execute(tx);
    const code = typeof err === "object" && err !== null && "code" in err ? String(err.code) : "";
    return code === "23514" && /stays revoked/.test(err instanceof Error ? err.message : "") ? "refused" : `error ${code}`;
  }
}

async function revokedAt(db: Database, id: string): Promise<string | null> {
  const row = await db.kysely.selectFrom("api_keys").select("revoked_at").where("id", "=", id).executeTakeFirstOrThrow();
  return row.revoked_at ? row.revoked_at.toISOString() : null;
}

class Rollback extends Error {}

/** Runs fn as `user` under RLS, then rolls the whole transaction back (each case starts from the fixture). */
async function rolledBack<T>(db: Database, user: FixtureUser, fn: (tx: Kysely<DB>) => Promise<T>): Promise<T> {
  let out: T | undefined;
  try {
    await withUser(db, claimsFor(user), async (tx) => {
      out = await fn(tx);
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return out as T;
}

describe.each(databaseTargets())("a revoked key stays revoked on $name", (target) => {
  let db: Database;

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    await db.kysely.updateTable("api_keys").set({ revoked_at: REVOKED_AT }).where("id", "in", [ids.apiKeys.A, ids.apiKeys.app]).execute();
  });
  afterAll(async () => {
    await db?.close();
  });

  const cases: [FixtureUser, string][] = [["adminA", ids.apiKeys.A], ["platformAdmin", ids.apiKeys.A], ["platformAdmin", ids.apiKeys.app]];
  it.each(cases)("as %s under RLS: clearing or postponing is refused, revoking earlier and renaming are not", async (user, keyId) => {
    const seen = await rolledBack(db, user, async (tx) => ({
      clear: await attempt(tx, "clear", sql`update public.api_keys set revoked_at = null where id = ${keyId}`),
      later: await attempt(tx, "later", sql`update public.api_keys set revoked_at = ${LATER}::timestamptz where id = ${keyId}`),
      // The statement PostgREST sends for a PATCH of several columns at once.
      patch: await attempt(tx, "patch", sql`update public.api_keys set name = 'back', revoked_at = null, expires_at = null where id = ${keyId}`),
      // The transaction is still usable after the refusals.
      rename: await attempt(tx, "rename", sql`update public.api_keys set name = 'renamed' where id = ${keyId}`),
      earlier: await attempt(tx, "earlier", sql`update public.api_keys set revoked_at = ${EARLIER}::timestamptz where id = ${keyId}`),
      still: (await sql<{ r: Date | null }>`select revoked_at as r from public.api_keys where id = ${keyId}`.execute(tx)).rows[0]?.r ?? null,
    }));
    expect(seen).toEqual({ clear: "refused", later: "refused", patch: "refused", rename: "ok", earlier: "ok", still: new Date(EARLIER) });
    expect(await revokedAt(db, keyId)).toBe(REVOKED_AT.toISOString());
  });

  it("the service role (the gateway's and jobs' path) cannot un-revoke either", async () => {
    const seen = await db.kysely.transaction().execute(async (tx) => ({
      clear: await attempt(tx, "clear", sql`update public.api_keys set revoked_at = null where id = ${ids.apiKeys.A}`),
      later: await attempt(tx, "later", sql`update public.api_keys set revoked_at = ${LATER}::timestamptz where id = ${ids.apiKeys.A}`),
    }));
    expect(seen).toEqual({ clear: "refused", later: "refused" });
    expect(await revokedAt(db, ids.apiKeys.A)).not.toBeNull();
  });

  it("an org admin still revokes a live key of their organization, and another organization's key is not theirs", async () => {
    await db.kysely.insertInto("api_keys").values({
      id: "13000000-0000-4000-8000-0000000000ff", app_id: ids.app, organization_id: ids.orgA, name: "live", prefix: "llmcp_live", key_hash: "f".repeat(64),
    }).execute();
    const seen = await withUser(db, claimsFor("adminA"), async (tx) => ({
      revoke: await attempt(tx, "revoke", sql`update public.api_keys set revoked_at = now() where id = '13000000-0000-4000-8000-0000000000ff'`),
      other: await attempt(tx, "other", sql`update public.api_keys set revoked_at = null where id = ${ids.apiKeys.B}`),
    }));
    expect(seen).toEqual({ revoke: "ok", other: "no rows" });
    expect(await revokedAt(db, "13000000-0000-4000-8000-0000000000ff")).not.toBeNull();
  });
});
