import { getEnv, shouldAutoMigrate, shouldSeedDemo } from "@/lib/env";
import { closeDatabase, getDatabase, type Database } from "./client";
import { migrate } from "./migrator";
import { ensurePartitions } from "./partitions";
import { seedDemo } from "./seed/demo";

/**
 * The ready database: opened, migrated (embedded and server modes) and seeded with demo data on
 * first start (never in Supabase mode). Everything in the app goes through getDb().
 */
type Ready = { promise?: Promise<Database> };
const ready: Ready = ((globalThis as { __llmcpReady?: Ready }).__llmcpReady ??= {});

const log = (line: string) => console.log(`[db] ${line}`);

export function getDb(): Promise<Database> {
  ready.promise ??= prepare().catch((err: unknown) => {
    ready.promise = undefined;
    throw err;
  });
  return ready.promise;
}

async function prepare(): Promise<Database> {
  const env = getEnv();
  const db = await getDatabase();
  if (shouldAutoMigrate(env)) {
    const result = await migrate(db, { log });
    if (result.applied.length > 0) log(`${result.applied.length} migration(s) applied (${db.mode} mode)`);
    await ensurePartitions(db.kysely);
  }
  if (shouldSeedDemo(env)) {
    await seedDemo(db.kysely, { password: env.DEMO_PASSWORD, apiKey: env.DEMO_API_KEY, days: env.DEMO_DAYS, log });
  } else if (env.DEMO_SEED === undefined && db.mode === "server") {
    log("no demo data in production server mode (set DEMO_SEED=true to seed the demo users, key and calls)");
  }
  return db;
}

export async function shutdownDb(): Promise<void> {
  ready.promise = undefined;
  await closeDatabase();
}
