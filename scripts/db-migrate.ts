/**
 * Applies pending migrations to the configured database (DIRECT_DATABASE_URL when set, else
 * DATABASE_URL, else PGlite in PGLITE_DATA_DIR) and prints what it did. Usage: npm run db:migrate
 */
import { errorMessage } from "@/lib/errors";
import { closeDatabase, getDatabase } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrator";
import { ensurePartitions } from "@/lib/db/partitions";

async function main(): Promise<void> {
  const db = await getDatabase();
  try {
    const result = await migrate(db, { log: (line) => console.log(`[db:migrate] ${line}`) });
    const partitions = await ensurePartitions(db.direct);
    console.log(
      `[db:migrate] ${db.mode} mode: ${result.applied.length} applied, ${result.skipped} already applied` +
        (result.bootstrapped ? ", bootstrap created" : "") +
        (partitions > 0 ? `, ${partitions} llm_calls partition(s) created` : ""),
    );
  } finally {
    await closeDatabase();
  }
}

main().catch((err: unknown) => {
  console.error(`[db:migrate] failed: ${errorMessage(err)}`);
  process.exitCode = 1;
});
