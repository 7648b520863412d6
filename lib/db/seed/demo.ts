import { errorMessage } from "@/lib/errors";
import fs from "node:fs/promises";
import path from "node:path";
import { sql, type Kysely } from "kysely";
import { ensurePartitions } from "../partitions";
import type { DB } from "../schema";
import { callsInsert } from "./calls-sql";
import { runSqlScript } from "./script";
import { seedStatements } from "./statements";
import { DEMO_KEY_ORGANIZATION, DEMO_KEY_RATE_LIMIT_PER_MINUTE, DEMO_USERS, generatePassword, hashPasswordForUsers, insertDemoApiKey, insertDemoUsers } from "./users";

/**
 * Demo data on first start (see shouldSeedDemo in lib/env.ts: never in Supabase mode, in a
 * production server only with DEMO_SEED=true): the reference catalog of supabase/seed.sql, four demo
 * users, an optional app key and `days` of synthetic calls with feedback.
 *
 * SERVICE PATH: runs as the database owner, so RLS is bypassed; it only ever writes seed data.
 */
export interface SeedOptions {
  password?: string;
  apiKey?: string;
  days: number;
  log: (line: string) => void;
  /** The clock the synthetic window ends at (tests pin it). Default: now. */
  now?: Date;
  /** Default: <cwd>/supabase/seed.sql. */
  catalogFile?: string;
}

export interface SeedResult {
  seeded: boolean;
  generatedPassword?: string;
  calls?: number;
  feedback?: number;
  durationMs?: number;
}

const MARKER = "demo_seeded_at";
// Any constant works; it keeps two instances starting on one empty database from both seeding.
const SEED_LOCK_KEY = 7_262_602;

async function alreadySeeded(db: Kysely<DB>): Promise<boolean> {
  const { rows } = await sql<{ seeded: boolean }>`
    select exists (select 1 from public.instance_secrets where name = ${MARKER})
        or exists (select 1 from auth.users) as seeded`.execute(db);
  return rows[0]?.seeded === true;
}

/** Months between the first of `from`'s month and the first of `to`'s month (UTC). */
export function monthsBetween(from: Date, to: Date): number {
  return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
}

export async function seedDemo(db: Kysely<DB>, options: SeedOptions): Promise<SeedResult> {
  const started = Date.now();
  if (await alreadySeeded(db)) {
    // DEMO_API_KEY is honoured on every start, not only the first: a key set later is added.
    if (options.apiKey) await ensureDemoApiKey(db, options.apiKey, options.log);
    return { seeded: false };
  }
  const now = options.now ?? new Date();
  const generatedPassword = options.password ? undefined : generatePassword();
  const password = options.password ?? generatedPassword ?? "";
  const catalog = await fs.readFile(/*turbopackIgnore: true*/ options.catalogFile ?? path.join(process.cwd(), "supabase", "seed.sql"), "utf8");
  // bcrypt is slow on purpose; hash before the transaction holds PGlite's only session.
  const hashes = await hashPasswordForUsers(password);

  const counts = await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${SEED_LOCK_KEY})`.execute(trx);
    if (await alreadySeeded(trx)) return null;
    await runSqlScript(trx, catalog, now);
    await insertDemoUsers(trx, hashes, now);
    if (options.apiKey && (await insertDemoApiKey(trx, options.apiKey)).kind === "no_catalog") throw new Error("supabase/seed.sql did not create the demo catalog");
    const windowStart = new Date(now.getTime() - options.days * 86_400_000);
    await ensurePartitions(trx, monthsBetween(windowStart, now), 2, now);
    const { rows } = await callsInsert({ now, days: options.days }).execute(trx);
    const late = await seedStatements(trx, now);
    await trx.insertInto("instance_secrets").values({ name: MARKER, value: new Date().toISOString() }).execute();
    const seeded = rows[0] ?? { calls: 0, feedback: 0 };
    return { calls: Number(seeded.calls) + late, feedback: seeded.feedback };
  });
  if (!counts) return { seeded: false };

  const durationMs = Date.now() - started;
  const emails = DEMO_USERS.map((u) => u.email).join(", ");
  options.log(`demo data: ${counts.calls} calls and ${counts.feedback} feedback rows over ${options.days} days (${durationMs} ms)`);
  if (generatedPassword) {
    // Shown once: only bcrypt hashes are stored, so this line is the only place it exists.
    options.log(`Demo users ${emails}: password: ${generatedPassword} (shown once; set DEMO_PASSWORD to choose it)`);
  } else {
    options.log(`Demo users ${emails}: password from DEMO_PASSWORD`);
  }
  if (options.apiKey) options.log(`demo app key for werkbon-checker (organization ${DEMO_KEY_ORGANIZATION}, ${DEMO_KEY_RATE_LIMIT_PER_MINUTE} requests/minute): DEMO_API_KEY`);
  return { seeded: true, generatedPassword, calls: counts.calls, feedback: counts.feedback, durationMs };
}

/**
 * Adds the demo key to an already seeded database, idempotently (same hash: no second row), and
 * says in one line when it did, or why the key will be refused (401): a revoked or expired key
 * stays so (a revocation is never undone by a restart), a database without the demo catalog has
 * nothing to attach it to. Never fails a start.
 */
async function ensureDemoApiKey(db: Kysely<DB>, key: string, log: (line: string) => void): Promise<void> {
  const fix = "unset DEMO_API_KEY or choose another value";
  try {
    const outcome = await db.transaction().execute((trx) => insertDemoApiKey(trx, key));
    if (outcome.kind === "added") {
      log(`DEMO_API_KEY added to the seeded database: a key of werkbon-checker (organization ${DEMO_KEY_ORGANIZATION}, ${DEMO_KEY_RATE_LIMIT_PER_MINUTE} requests/minute)`);
    } else if (outcome.kind === "revoked" || outcome.kind === "expired") {
      log(`DEMO_API_KEY will be refused (401): this key was ${outcome.kind} at ${outcome.at.toISOString()} and a restart does not restore it; ${fix}`);
    } else if (outcome.kind === "no_catalog") {
      log(`DEMO_API_KEY not added: the database has no app werkbon-checker or organization ${DEMO_KEY_ORGANIZATION} (the demo catalog, supabase/seed.sql)`);
    }
  } catch (err) {
    log(`DEMO_API_KEY not added: ${errorMessage(err)}`);
  }
}
