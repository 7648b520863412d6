import { sql } from "kysely";
import pkg from "@/package.json";
import { getMode } from "@/lib/env";
import { getDb } from "@/lib/db/instance";

export interface ProviderHealth {
  code: string;
  kind: string;
  enabled: boolean;
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
}

function keyConfigured(kind: string, envVar: string | null): boolean {
  if (!envVar) return kind === "mock" || kind === "openai_compatible";
  const value = process.env[envVar];
  return typeof value === "string" && value.trim().length > 0;
}

export async function getHealth(): Promise<Health> {
  const started = performance.now();
  const base = { version: pkg.version, mode: getMode(), time: new Date().toISOString() };
  try {
    const db = (await getDb()).kysely;
    const [{ rows: migrationRows }, providers] = await Promise.all([
      sql<{ n: number }>`select count(*)::int as n from supabase_migrations.schema_migrations`.execute(db),
      db.selectFrom("llm_providers").select(["code", "kind", "enabled", "api_key_env_var"]).orderBy("code").execute(),
    ]);
    return {
      status: "ok",
      ...base,
      database: {
        status: "up",
        latency_ms: Math.round(performance.now() - started),
        migrations: migrationRows[0]?.n ?? 0,
      },
      providers: providers.map((p) => ({
        code: p.code,
        kind: p.kind,
        enabled: p.enabled,
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
      providers: [],
    };
  }
}
