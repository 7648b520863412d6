import pkg from "@/package.json";
import { getMode } from "@/lib/env";
import { readDatabaseHealth } from "@/lib/db/health";
import { getDb } from "@/lib/db/instance";
import type { PartitionStatus } from "@/lib/db/partitions";
import type { CircuitState } from "@/lib/db/provider-circuits";
import { isDraining } from "@/lib/gateway/drain";
import { runtime } from "@/lib/gateway/runtime";

/**
 * The health report (GET /api/llm/health): version, database reachability and migrations,
 * providers with their circuit and whether their key is set, recorder, configuration and
 * partition state. Database reads are lib/db/health.ts; readiness for probes is ./readiness.ts.
 */

export interface ProviderHealth {
  code: string;
  kind: string;
  enabled: boolean;
  /** Circuit breaker in this instance: open = skipped by routing until a trial call succeeds. */
  circuit: CircuitState;
  /** Whether the env var the provider names is set on this server. Never the key itself. */
  key_configured: boolean;
}

export interface Health {
  status: "ok" | "degraded";
  version: string;
  mode: string;
  time: string;
  database: { status: "up" | "down"; latency_ms: number | null; migrations: number | null; error?: string };
  providers: ProviderHealth[];
  /** True once the instance is shutting down (SIGTERM): it finishes its calls and takes no new ones. */
  draining: boolean;
  /**
   * Call records waiting to be written: in memory, and spooled to disk while the database is down.
   * accepting false: the gateway refuses calls (503) because it could not record them.
   */
  recorder: {
    pending: number; spooled: number; written: number; dead_lettered: number;
    accepting: boolean; spool_writable: boolean; journal_writable: boolean;
  };
  /** Whether the gateway is serving a cached configuration because the database is unreachable. */
  config: { version: number | null; stale: boolean };
  /** llm_calls partitions: months covered ahead, rows waiting in a default partition; null when unknown. */
  partitions: PartitionStatus | null;
}

function keyConfigured(kind: string, envVar: string | null): boolean {
  if (!envVar) return kind === "mock" || kind === "openai_compatible";
  const value = process.env[envVar];
  return typeof value === "string" && value.trim().length > 0;
}

export async function getHealth(): Promise<Health> {
  const started = performance.now();
  const rt = runtime();
  const stats = rt.recorder.stats();
  const circuits = rt.circuits.snapshot();
  const cached = rt.config.current();
  const base = {
    version: pkg.version,
    mode: getMode(),
    time: new Date().toISOString(),
    draining: isDraining(),
    recorder: {
      pending: stats.pending, spooled: stats.spooled, written: stats.written, dead_lettered: stats.deadLettered,
      accepting: stats.accepting, spool_writable: stats.spoolWritable, journal_writable: stats.journalWritable,
    },
    config: { version: cached?.version ?? null, stale: rt.config.stale() },
  };
  try {
    const db = (await getDb()).kysely;
    const { migrations, providers, partitions } = await readDatabaseHealth(db);
    return {
      status: stats.accepting && stats.journalWritable && !base.draining ? "ok" : "degraded",
      ...base,
      database: {
        status: "up",
        latency_ms: Math.round(performance.now() - started),
        migrations,
      },
      partitions,
      providers: providers.map((p) => ({
        code: p.code,
        kind: p.kind,
        enabled: p.enabled,
        circuit: circuits[p.code] ?? "closed",
        key_configured: keyConfigured(p.kind, p.api_key_env_var),
      })),
    };
  } catch (err) {
    // Connection errors can carry the URL (and its password): report only the error's class.
    const code = (err as { code?: unknown })?.code;
    return {
      status: "degraded",
      ...base,
      database: { status: "down", latency_ms: null, migrations: null, error: typeof code === "string" ? code : "unreachable" },
      partitions: null,
      // The database is down: report the providers the gateway is still routing with.
      providers: (cached?.snapshot.data.providers ?? []).map((p) => ({
        code: p.code,
        kind: p.kind,
        enabled: p.enabled,
        circuit: circuits[p.code] ?? "closed",
        key_configured: keyConfigured(p.kind, p.apiKeyEnvVar),
      })),
    };
  }
}
