import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { listMigrations, migrate, type MigrateResult } from "@/lib/db/migrator";
import { databaseTargets } from "@/tests/helpers/databases";

/**
 * The schema as a whole: migrations apply once and only once, every table has RLS from the
 * migration that creates it, and the grants do not depend on where the migrations run (plain
 * PostgreSQL / PGlite, or Supabase with its permissive default privileges).
 */

const MIGRATIONS_DIR = path.join(process.cwd(), "supabase", "migrations");

async function tablesWithoutRls(db: Database): Promise<{ all: string[]; missing: string[] }> {
  const { rows } = await sql<{ name: string; rls: boolean }>`
    select c.relname as name, c.relrowsecurity as rls
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by 1`.execute(db.kysely);
  return { all: rows.map((r) => r.name), missing: rows.filter((r) => !r.rls).map((r) => r.name) };
}

/** Every privilege anon and authenticated effectively hold in schema public, one line each. */
async function userPrivileges(db: Database): Promise<string[]> {
  const { rows } = await sql<{ line: string }>`
    with roles(r) as (values ('anon'), ('authenticated')),
    rels as (
      select c.oid, c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p', 'S', 'v', 'm')
    )
    select format('%s %s %s', r, relname, p) as line
      from roles, rels, unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
      where relkind <> 'S' and has_table_privilege(r, oid, p)
    union all
    select format('%s %s.%s %s', r, relname, a.attname, p)
      from roles, rels join pg_attribute a on a.attrelid = rels.oid and a.attnum > 0 and not a.attisdropped,
           unnest(array['SELECT', 'INSERT', 'UPDATE']) p
      where relkind in ('r', 'p') and has_column_privilege(r, rels.oid, a.attnum, p)
    union all
    select format('%s %s %s', r, relname, p)
      from roles, rels, unnest(array['USAGE', 'SELECT', 'UPDATE']) p
      where relkind = 'S' and has_sequence_privilege(r, oid, p)
    union all
    select format('%s %s EXECUTE', r, f.oid::regprocedure)
      from roles, pg_proc f join pg_namespace n on n.oid = f.pronamespace
      where n.nspname = 'public' and has_function_privilege(r, f.oid, 'EXECUTE')
    order by 1`.execute(db.kysely);
  return rows.map((r) => r.line);
}

describe.each(databaseTargets())("schema on $name", (target) => {
  let plain: Database;
  let supabaseLike: Database;
  const steps: { migration: string; tables: string[]; withoutRls: string[] }[] = [];
  const firstRun: MigrateResult[] = [];
  let scratch: string;

  beforeAll(async () => {
    plain = await target.open();
    supabaseLike = await target.open();
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), "llmcp-migrations-"));
    // Apply the migrations one at a time and look at the tables after each one.
    for (const m of await listMigrations(MIGRATIONS_DIR)) {
      await fs.copyFile(m.file, path.join(scratch, path.basename(m.file)));
      firstRun.push(await migrate(plain, { migrationsDir: scratch }));
      const { all, missing } = await tablesWithoutRls(plain);
      steps.push({ migration: `${m.version}_${m.name}`, tables: all, withoutRls: missing });
    }
  });
  afterAll(async () => {
    await plain?.close();
    await supabaseLike?.close();
    if (scratch) await fs.rm(scratch, { recursive: true, force: true });
  });

  it("applies each migration once, bootstrapping only the first time", async () => {
    expect(firstRun.map((r) => r.applied.length)).toEqual(steps.map(() => 1));
    expect(firstRun.map((r) => r.bootstrapped)).toEqual(steps.map((_, i) => i === 0));
    const again = await migrate(plain);
    expect(again).toEqual({ bootstrapped: false, applied: [], skipped: steps.length });
  });

  it("enables RLS on every table, partitions included, in the migration that creates it", () => {
    for (const step of steps) expect(step, step.migration).toMatchObject({ withoutRls: [] });
    const last = steps.at(-1)!.tables;
    expect(last).toEqual(expect.arrayContaining(["organizations", "api_keys", "llm_calls", "llm_call_daily", "audit_log"]));
    // The default partition is drained and dropped (20261206060000_llm_calls_partition_upkeep.sql).
    expect(last).not.toContain("llm_calls_default");
    expect(last.some((t) => /^llm_calls_\d{4}_\d{2}$/.test(t))).toBe(true);
  });

  it("creates later partitions with RLS on and without any user grant", async () => {
    await sql`select public.ensure_llm_calls_partitions('2031-01-01'::date, '2031-02-01'::date)`.execute(plain.kysely);
    expect((await tablesWithoutRls(plain)).missing).toEqual([]);
    const grants = await userPrivileges(plain);
    expect(grants.filter((g) => /llm_calls_(\d{4}_\d{2}|default)\b/.test(g))).toEqual([]);
  });

  it("grants users the same privileges under Supabase's default privileges as on plain PostgreSQL", async () => {
    // Supabase's schema public grants ALL on every new table, sequence and function to anon and
    // authenticated. The migrations must not depend on that being absent.
    const bootstrapOnly = await fs.mkdtemp(path.join(os.tmpdir(), "llmcp-empty-"));
    try {
      expect((await migrate(supabaseLike, { migrationsDir: bootstrapOnly })).bootstrapped).toBe(true);
    } finally {
      await fs.rm(bootstrapOnly, { recursive: true, force: true });
    }
    for (const kind of ["tables", "sequences", "functions"]) {
      await sql.raw(`alter default privileges in schema public grant all on ${kind} to anon, authenticated, service_role`).execute(supabaseLike.kysely);
    }
    await migrate(supabaseLike);
    await sql`select public.ensure_llm_calls_partitions('2031-01-01'::date, '2031-02-01'::date)`.execute(supabaseLike.kysely);
    expect(await userPrivileges(supabaseLike)).toEqual(await userPrivileges(plain));
  });

  it("gives anon nothing and no user role a privilege that bypasses RLS", async () => {
    for (const db of [plain, supabaseLike]) {
      const grants = await userPrivileges(db);
      expect(grants.filter((g) => / (TRUNCATE|REFERENCES|TRIGGER)$/.test(g))).toEqual([]);
      // Security-definer functions run as the owner: users get only the read-only role helpers, and
      // the Members page's email lookup, which refuses callers who administer nothing.
      const { rows } = await sql<{ fn: string }>`
        select f.oid::regprocedure::text as fn from pg_proc f join pg_namespace n on n.oid = f.pronamespace
        where n.nspname = 'public' and f.prosecdef
          and (has_function_privilege('anon', f.oid, 'EXECUTE') or has_function_privilege('authenticated', f.oid, 'EXECUTE'))
        order by 1`.execute(db.kysely);
      expect(rows.map((r) => r.fn)).toEqual([
        "has_org_role(uuid,text[])",
        "has_platform_role(text[])",
        "is_member()",
        "is_platform_admin()",
        "my_organization_ids()",
        "user_id_for_email(text)",
      ]);
      expect(grants.filter((g) => g.startsWith("anon "))).toEqual([]);
    }
  });
});
