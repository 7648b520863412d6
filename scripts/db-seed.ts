/**
 * Migrates if needed, then seeds the demo data (catalog, users, calls) unless the database was
 * seeded before. Honours DEMO_PASSWORD, DEMO_API_KEY and DEMO_DAYS. Usage: npm run db:seed
 * Refuses in Supabase mode: users belong to Supabase Auth there, and `supabase db reset` applies
 * the catalog (supabase/seed.sql) on its own.
 */
import { errorMessage } from "@/lib/errors";
import { closeDatabase, getDatabase } from "@/lib/db/client";
import { getEnv, getMode } from "@/lib/env";
import { migrate } from "@/lib/db/migrator";
import { ensurePartitions } from "@/lib/db/partitions";
import { seedDemo } from "@/lib/db/seed/demo";

const log = (line: string) => console.log(`[db:seed] ${line}`);

async function main(): Promise<void> {
  const env = getEnv();
  if (getMode(env) === "supabase") {
    log("Supabase mode: demo users and calls are never seeded here; `supabase db reset` loads the catalog");
    return;
  }
  const db = await getDatabase();
  try {
    const migrated = await migrate(db, { log });
    await ensurePartitions(db.direct);
    if (migrated.applied.length > 0) log(`${migrated.applied.length} migration(s) applied`);
    const result = await seedDemo(db.direct, {
      password: env.DEMO_PASSWORD,
      apiKey: env.DEMO_API_KEY,
      days: env.DEMO_DAYS,
      log,
    });
    if (!result.seeded) log("already seeded (demo users or the seed marker exist): nothing to do");
  } finally {
    await closeDatabase();
  }
}

main().catch((err: unknown) => {
  console.error(`[db:seed] failed: ${errorMessage(err)}`);
  process.exitCode = 1;
});
