import { sql } from "kysely";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/client";
import { startDatabase } from "@/lib/db/instance";
import { listMigrations, migrate } from "@/lib/db/migrator";
import { runPartitionJobs } from "@/lib/db/partition-jobs";
import { withUser } from "@/lib/db/rls";
import { seedDemo } from "@/lib/db/seed/demo";
import { createTempPostgresDatabase, databaseTargets, openMigrated, throughPooler } from "@/tests/helpers/databases";

/**
 * The product behind a transaction pooler (issue 16, item 7): with PgBouncer in transaction mode
 * every statement outside a transaction may run on another server connection, so no session
 * state may leak from one caller to the next, and the migrator's lock must not outlive its
 * transaction. Runs on PGlite, PostgreSQL and, when TEST_PGBOUNCER_URL is set, PgBouncer.
 */

const silent = () => undefined;

describe.each(databaseTargets({ pooler: true }))("no session state leaks on $name", (target) => {
  let db: Database | undefined;
  afterAll(async () => {
    await db?.close();
  });

  it("keeps a user transaction's role, claims and lock_timeout inside it", async () => {
    db = await openMigrated(target);
    const claims = { sub: "00000000-0000-4000-8000-000000000001", role: "authenticated" as const };
    const { rows: owner } = await sql<{ u: string }>`select current_user as u`.execute(db.kysely);
    const results = await Promise.all(Array.from({ length: 60 }, async (_, i) => {
      if (i % 2 === 0) {
        return withUser(db!, claims, async (tx) => {
          await sql`set local lock_timeout = '3s'`.execute(tx);
          const { rows } = await sql<{ u: string }>`select current_user as u`.execute(tx);
          return { kind: "user", user: rows[0]!.u, claims: null, lockTimeout: null };
        });
      }
      const { rows } = await sql<{ u: string; c: string | null; lt: string }>`
        select current_user as u, nullif(current_setting('request.jwt.claims', true), '') as c,
               current_setting('lock_timeout') as lt`.execute(db!.kysely);
      return { kind: "service", user: rows[0]!.u, claims: rows[0]!.c, lockTimeout: rows[0]!.lt };
    }));
    const users = results.filter((r) => r.kind === "user");
    const service = results.filter((r) => r.kind === "service");
    expect(users).toHaveLength(30);
    for (const r of users) expect(r.user).toBe("authenticated");
    expect(service).toHaveLength(30);
    for (const r of service) expect(r).toEqual({ kind: "service", user: owner[0]!.u, claims: null, lockTimeout: "0" });
  });
});

/** PostgreSQL, and PostgreSQL through PgBouncer without a direct URL (the migrator's hard case). */
const adminUrl = inject("pgAdminUrl");
const poolerUrl = inject("pgPoolerUrl");
const serverTargets = [
  { name: "postgres", url: (direct: string) => direct },
  ...(poolerUrl ? [{ name: "pgbouncer without DIRECT_DATABASE_URL", url: (direct: string) => throughPooler(poolerUrl, direct) }] : []),
];

describe.each(adminUrl ? serverTargets : [])("migrations on $name", (target) => {
  it("three instances migrating one empty database at once apply each migration once and leave no lock", async () => {
    const temp = await createTempPostgresDatabase(adminUrl);
    const instances = await Promise.all([0, 1, 2].map(() => openDatabase({ url: target.url(temp.url), mode: "server", poolMax: 3 })));
    try {
      const results = await Promise.all(instances.map((db) => migrate(db, { log: silent })));
      const all = await listMigrations("supabase/migrations");
      const applied = results.flatMap((r) => r.applied);
      expect(applied.sort()).toEqual(all.map((m) => `${m.version}_${m.name}`).sort());
      expect(results.filter((r) => r.bootstrapped)).toHaveLength(1);
      const k = instances[0]!.kysely;
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from supabase_migrations.schema_migrations`.execute(k);
      expect(rows[0]!.n).toBe(all.length);
      // A lock left on a pooled server connection would block (or be silently re-entered by) the next start.
      const { rows: locks } = await sql<{ n: number }>`
        select count(*)::int as n from pg_catalog.pg_locks
        where locktype = 'advisory' and database = (select oid from pg_catalog.pg_database where datname = current_database())`.execute(k);
      expect(locks[0]!.n).toBe(0);
      const again = await Promise.all(instances.map((db) => migrate(db, { log: silent })));
      for (const r of again) expect(r).toEqual({ bootstrapped: false, applied: [], skipped: all.length });
    } finally {
      await Promise.all(instances.map((db) => db.close()));
      await temp.drop();
    }
  });
});

/** Databases the pooler has a pool for (it makes one when a client first asks for that name). */
async function pooledDatabases(pooler: string): Promise<string[]> {
  const url = new URL(pooler);
  url.pathname = "/pgbouncer";
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ database: string }>("show pools");
    return rows.map((r) => r.database);
  } finally {
    await admin.end();
  }
}

describe.each(adminUrl && poolerUrl ? [{ name: "pgbouncer with DIRECT_DATABASE_URL" }] : [])("session work on $name", () => {
  it("runs migrations, startup upkeep, the seed and the daily partition job on the direct URL, never through the pooler", async () => {
    const temp = await createTempPostgresDatabase(adminUrl);
    const name = new URL(temp.url).pathname.slice(1);
    const db = await openDatabase({ url: throughPooler(poolerUrl, temp.url), directUrl: temp.url, mode: "server", poolMax: 3 });
    try {
      await startDatabase(db, { autoMigrate: true, log: silent });
      const seeded = await seedDemo(db.direct, { password: "pooler-test-password", days: 2, log: silent });
      expect(seeded.seeded).toBe(true);
      const jobs = await runPartitionJobs(db.direct, { log: silent });
      expect(jobs.upkeep).not.toHaveProperty("error");
      expect(await pooledDatabases(poolerUrl)).not.toContain(name);
      // The app's own queries do go through the pooler (and the check above would see them).
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from public.llm_calls`.execute(db.kysely);
      expect(rows[0]!.n).toBe(seeded.calls);
      expect(await pooledDatabases(poolerUrl)).toContain(name);
    } finally {
      await db.close();
      await temp.drop();
    }
  });
});
