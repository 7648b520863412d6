import { errorMessage } from "@/lib/errors";
import fs from "node:fs/promises";
import path from "node:path";
import type { Database, RawSession } from "./client";

/**
 * Applies supabase/migrations/*.sql in order, each in its own transaction, recording them in
 * supabase_migrations.schema_migrations (the Supabase CLI's own table, so `supabase db push` and
 * this migrator agree on what is applied). Before that it applies lib/db/sql/bootstrap.sql
 * where what Supabase provides (roles, auth schema) is missing. Forward-only by design: a fix
 * is a new migration, never an edit of an applied one.
 */
export interface MigrateResult {
  bootstrapped: boolean;
  applied: string[];
  skipped: number;
}

export interface MigrateOptions {
  migrationsDir?: string;
  bootstrapFile?: string;
  log?: (line: string) => void;
}

const MIGRATION_FILE = /^(\d{14})_([a-z0-9_]+)\.sql$/;
// Any constant works; it only has to be the same for every instance of this app.
const MIGRATION_LOCK_KEY = 7_262_601;

export async function listMigrations(dir: string): Promise<{ version: string; name: string; file: string }[]> {
  const entries = await fs.readdir(/*turbopackIgnore: true*/ dir);
  return entries
    .map((file) => ({ file, match: MIGRATION_FILE.exec(file) }))
    .filter((e): e is { file: string; match: RegExpExecArray } => e.match !== null)
    .map(({ file, match }) => ({ version: match[1]!, name: match[2]!, file: path.join(dir, file) }))
    .sort((a, b) => a.version.localeCompare(b.version));
}

async function needsBootstrap(session: RawSession): Promise<boolean> {
  const [row] = await session.query<{ ready: boolean }>(`
    select to_regclass('auth.users') is not null
       and to_regprocedure('auth.uid()') is not null
       and to_regprocedure('auth.jwt()') is not null
       and to_regclass('supabase_migrations.schema_migrations') is not null
       and (select count(*) from pg_roles where rolname in ('anon', 'authenticated', 'service_role')) = 3
       as ready`);
  return !row?.ready;
}

/** Runs `fn` in one transaction holding the migration lock (released at commit or rollback). */
async function locked<T>(session: RawSession, fn: () => Promise<T>): Promise<T> {
  await session.exec("begin");
  try {
    await session.query("select pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    const result = await fn();
    await session.exec("commit");
    return result;
  } catch (err) {
    await session.exec("rollback");
    throw err;
  }
}

async function appliedVersions(session: RawSession): Promise<Set<string>> {
  const rows = await session.query<{ version: string }>("select version from supabase_migrations.schema_migrations");
  return new Set(rows.map((r) => r.version));
}

/**
 * The lock is transaction-scoped (pg_advisory_xact_lock), taken again for each pending migration,
 * which re-checks inside it whether another instance applied it meanwhile. A session lock would
 * not survive a transaction pooler (PgBouncer in transaction mode may run the unlock on another
 * server connection and leave the lock held forever), so this works through DATABASE_URL on a
 * pooler as well as on DIRECT_DATABASE_URL, where withSession() goes when it is set.
 */
export async function migrate(db: Database, options: MigrateOptions = {}): Promise<MigrateResult> {
  const root = process.cwd();
  const dir = options.migrationsDir ?? path.join(root, "supabase", "migrations");
  const bootstrapFile = options.bootstrapFile ?? path.join(root, "lib", "db", "sql", "bootstrap.sql");
  const log = options.log ?? (() => {});
  const migrations = await listMigrations(dir);

  return db.withSession(async (session) => {
    let bootstrapped = false;
    if (await needsBootstrap(session)) {
      const script = await fs.readFile(/*turbopackIgnore: true*/ bootstrapFile, "utf8");
      bootstrapped = await locked(session, async () => {
        if (!(await needsBootstrap(session))) return false;
        await session.exec(script);
        return true;
      });
      if (bootstrapped) log("bootstrap: created the roles and auth schema Supabase would provide");
    }
    const appliedBefore = await appliedVersions(session);
    const done: string[] = [];
    for (const m of migrations) {
      if (appliedBefore.has(m.version)) continue;
      const sql = await fs.readFile(/*turbopackIgnore: true*/ m.file, "utf8");
      const applied = await locked(session, async () => {
        const [row] = await session.query<{ done: boolean }>(
          "select exists (select 1 from supabase_migrations.schema_migrations where version = $1) as done",
          [m.version],
        );
        if (row?.done) return false;
        await session.exec(sql);
        await session.query(
          "insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)",
          [m.version, m.name, [sql]],
        );
        return true;
      }).catch((err: unknown) => {
        const message = errorMessage(err);
        throw new Error(`migration ${path.basename(m.file)} failed: ${message}`, { cause: err });
      });
      if (!applied) continue;
      done.push(`${m.version}_${m.name}`);
      log(`applied ${m.version}_${m.name}`);
    }
    return { bootstrapped, applied: done, skipped: migrations.length - done.length };
  });
}
