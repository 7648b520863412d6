import { z } from "zod";

/**
 * The environment, validated once. Three modes share one code path:
 * - embedded: no DATABASE_URL → PGlite with data in PGLITE_DATA_DIR, local auth;
 * - server:   DATABASE_URL → node-postgres pool, local auth;
 * - supabase: DATABASE_URL + NEXT_PUBLIC_SUPABASE_URL/ANON_KEY → Supabase Auth.
 */
const boolFromString = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off", ""])
  .transform((v) => ["true", "1", "yes", "on"].includes(v));

/** TRUSTED_PROXY: false/0 (default) = no proxy is trusted; true = one hop; a number = that many hops. */
const trustedProxy = z
  .string()
  .regex(/^(true|false|yes|no|on|off|\d{1,2})$/i, "TRUSTED_PROXY must be true, false or a number of proxy hops")
  .transform((v) => (/^\d+$/.test(v) ? Number(v) : ["true", "yes", "on"].includes(v.toLowerCase()) ? 1 : 0));

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Optional direct (unpooled) URL when DATABASE_URL is a transaction pooler: migrations, seeding, partition jobs. */
  DIRECT_DATABASE_URL: z.string().url().optional(),
  PGLITE_DATA_DIR: z.string().min(1).default(".data/pglite"),
  NEXT_PUBLIC_SUPABASE_URL: z.string().url().optional(),
  NEXT_PUBLIC_SUPABASE_ANON_KEY: z.string().min(1).optional(),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  AUTO_MIGRATE: boolFromString.optional(),
  DEMO_SEED: boolFromString.optional(),
  DEMO_PASSWORD: z.string().min(8, "DEMO_PASSWORD must be at least 8 characters").optional(),
  DEMO_API_KEY: z.string().min(16).optional(),
  DEMO_DAYS: z.coerce.number().int().min(1).max(730).default(90),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional(),
  METRICS_PUBLIC: boolFromString.optional(),
  TRUSTED_PROXY: trustedProxy.default(0),
  RECORDER_SPOOL_DIR: z.string().min(1).optional(),
  CRON_SECRET: z.string().min(16, "CRON_SECRET must be at least 16 characters").optional(),
  BUDGET_WEBHOOK_SECRET: z.string().min(16, "BUDGET_WEBHOOK_SECRET must be at least 16 characters").optional(),
  /** The response cache's store when set (redis://…); otherwise the unlogged Postgres table (lib/gateway/cache-store.ts). */
  REDIS_URL: z.string().url().optional(),
  /** Response cache bounds: entries overall, entries per organization, bytes per answer. */
  RESPONSE_CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).default(100_000),
  RESPONSE_CACHE_MAX_PER_ORGANIZATION: z.coerce.number().int().min(1).default(10_000),
  RESPONSE_CACHE_MAX_ENTRY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
});

export type Env = z.infer<typeof envSchema>;
export type Mode = "embedded" | "server" | "supabase";

function emptyToUndefined(source: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(source)) out[k] = v === "" ? undefined : v;
  return out;
}

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(emptyToUndefined(process.env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  cached = parsed.data;
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}

export function getMode(env: Env = getEnv()): Mode {
  if (!env.DATABASE_URL) return "embedded";
  if (env.NEXT_PUBLIC_SUPABASE_URL && env.NEXT_PUBLIC_SUPABASE_ANON_KEY) return "supabase";
  return "server";
}

/** Migrations run on start in embedded/server mode unless AUTO_MIGRATE=false; Supabase uses `supabase db push`. */
export function shouldAutoMigrate(env: Env = getEnv()): boolean {
  return env.AUTO_MIGRATE ?? getMode(env) !== "supabase";
}

/**
 * Demo data (demo users with a platform admin, a demo key, synthetic calls) is never seeded in
 * Supabase mode. Embedded mode and development seed it unless DEMO_SEED=false; a production
 * server (DATABASE_URL, NODE_ENV=production) only with an explicit DEMO_SEED=true, so a fresh
 * production database never gets a known admin account by accident.
 */
export function shouldSeedDemo(env: Env = getEnv()): boolean {
  const mode = getMode(env);
  if (mode === "supabase") return false;
  if (env.DEMO_SEED !== undefined) return env.DEMO_SEED;
  return !(mode === "server" && env.NODE_ENV === "production");
}

export type MetricsAccess =
  | { kind: "public" }
  | { kind: "token"; token: string }
  /** Production with neither METRICS_TOKEN nor METRICS_PUBLIC=true: closed, and says how to open it. */
  | { kind: "closed" };

/**
 * Who may read /api/metrics (it lists every organization's spend). A METRICS_TOKEN, when set, is
 * always required. Without one, production is closed unless METRICS_PUBLIC=true; development and
 * test stay open as before.
 */
export function metricsAccess(env: Env = getEnv()): MetricsAccess {
  if (env.METRICS_TOKEN) return { kind: "token", token: env.METRICS_TOKEN };
  if (env.METRICS_PUBLIC === true || env.NODE_ENV !== "production") return { kind: "public" };
  return { kind: "closed" };
}
