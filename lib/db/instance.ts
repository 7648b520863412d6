import { getEnv, shouldAutoMigrate, shouldSeedDemo } from "@/lib/env";
import { closeDatabase, getDatabase, type Database } from "./client";
import { migrate } from "./migrator";
import { startPartitionTimer, stopPartitionTimer } from "./partition-jobs";
import { upkeepAtStartup } from "./partitions";
import { seedDemo } from "./seed/demo";

/**
 * The ready database: opened, migrated (embedded and server modes) and seeded with demo data on
 * first start (never in Supabase mode). Everything in the app goes through getDb().
 */
type Ready = { promise?: Promise<Database> };
const ready: Ready = ((globalThis as { __llmcpReady?: Ready }).__llmcpReady ??= {});

const log = (line: string) => console.log(`[db] ${line}`);

export function getDb(): Promise<Database> {
  if (ready.promise) return ready.promise;
  const promise: Promise<Database> = prepare().catch((err: unknown) => {
    // Only forget our own attempt: a shutdownDb() and a newer getDb() may have replaced it.
    if (ready.promise === promise) ready.promise = undefined;
    throw err;
  });
  ready.promise = promise;
  return promise;
}

async function prepare(): Promise<Database> {
  const env = getEnv();
  const db = await getDatabase();
  await startDatabase(db, { autoMigrate: shouldAutoMigrate(env) });
  startPartitionTimer(async () => (await getDb()).direct);
  if (shouldSeedDemo(env)) {
    await seedDemo(db.direct, { password: env.DEMO_PASSWORD, apiKey: env.DEMO_API_KEY, days: env.DEMO_DAYS, log });
  } else if (env.DEMO_SEED === undefined && db.mode === "server") {
    log("no demo data in production server mode (set DEMO_SEED=true to seed the demo users, key and calls)");
  } else if (env.DEMO_API_KEY) {
    // Otherwise the key would be refused (401) with nothing in the log to say why.
    log(`DEMO_API_KEY ignored: demo seeding is off (${db.mode === "supabase" ? "Supabase mode" : "DEMO_SEED=false"}); create app keys on the dashboard`);
  }
  return db;
}

/**
 * The startup path without the demo seed: migrations when `autoMigrate` (embedded and server
 * modes), then partition upkeep in every mode (Supabase included), which logs a failure and never
 * fails the startup. Both on the direct connection (DIRECT_DATABASE_URL) when one is configured.
 * `now` moves the clock in tests.
 */
export async function startDatabase(db: Database, options: { autoMigrate: boolean; now?: Date; log?: (line: string) => void }): Promise<void> {
  const say = options.log ?? log;
  if (options.autoMigrate) {
    const result = await migrate(db, { log: say });
    if (result.applied.length > 0) say(`${result.applied.length} migration(s) applied (${db.mode} mode)`);
  }
  await upkeepAtStartup(db.direct, say, options.now);
}

export async function shutdownDb(): Promise<void> {
  ready.promise = undefined;
  stopPartitionTimer();
  await closeDatabase();
}
