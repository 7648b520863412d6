import { sql, type Kysely } from "kysely";
import { partitionStatus, type PartitionStatus } from "./partitions";
import type { DB } from "./schema";

/**
 * What the health report (lib/health/health.ts) reads from the database, in one round: migrations
 * applied, the providers with the env var their key is in, and the llm_calls partition status.
 */
export interface DatabaseHealth {
  migrations: number;
  providers: { code: string; kind: string; enabled: boolean; api_key_env_var: string | null }[];
  /** null: a database without the upkeep migration yet (not a failed health check). */
  partitions: PartitionStatus | null;
}

export async function readDatabaseHealth(db: Kysely<DB>): Promise<DatabaseHealth> {
  const [{ rows: migrationRows }, providers, partitions] = await Promise.all([
    sql<{ n: number }>`select count(*)::int as n from supabase_migrations.schema_migrations`.execute(db),
    db.selectFrom("llm_providers").select(["code", "kind", "enabled", "api_key_env_var"]).orderBy("code").execute(),
    // A database without the upkeep migration yet: report null, not a failed health check.
    partitionStatus(db).catch(() => null),
  ]);
  return { migrations: migrationRows[0]?.n ?? 0, providers, partitions };
}
