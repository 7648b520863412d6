import { createHash } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { JwtClaims } from "@/lib/db/rls";
import type { DB } from "@/lib/db/schema";

/**
 * A small, deterministic world for RLS and schema tests, independent of the demo data: two client
 * organizations (A, B; A with a budget webhook), one app with a mock provider, routing and
 * settings at every scope, keys, calls, feedback and learning rows, and one user per role.
 * Everything is written through the service path (the database owner, which bypasses RLS), so the
 * audit rows it leaves carry the actor role 'service'. Fixed ids keep failures readable and runs
 * reproducible.
 */

export type FixtureUser = "viewerA" | "financeA" | "adminA" | "platformAdmin" | "outsider" | "viewerB" | "adminB";

const uuid = (group: string, n: number) => `${group}000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

export const ids = {
  orgA: uuid("0a", 0xa),
  orgB: uuid("0a", 0xb),
  users: {
    viewerA: uuid("0b", 1),
    financeA: uuid("0b", 2),
    adminA: uuid("0b", 3),
    platformAdmin: uuid("0b", 4),
    outsider: uuid("0b", 5),
    viewerB: uuid("0b", 6),
    adminB: uuid("0b", 7),
  } satisfies Record<FixtureUser, string>,
  memberships: {
    viewerA: uuid("0c", 1),
    financeA: uuid("0c", 2),
    adminA: uuid("0c", 3),
    platformAdmin: uuid("0c", 4),
    viewerB: uuid("0c", 6),
    adminB: uuid("0c", 7),
  },
  app: uuid("0d", 1),
  provider: uuid("0e", 1),
  spareProvider: uuid("0e", 2),
  models: { primary: uuid("0f", 1), secondary: uuid("0f", 2), spare: uuid("0f", 3) },
  prices: { primary: uuid("10", 1), secondary: uuid("10", 2) },
  configs: { default: uuid("11", 0), A: uuid("11", 0xa), B: uuid("11", 0xb) },
  settings: { global: uuid("12", 1), app: uuid("12", 2), A: uuid("12", 0xa), B: uuid("12", 0xb) },
  apiKeys: { A: uuid("13", 0xa), B: uuid("13", 0xb), app: uuid("13", 1) },
  calls: { A: uuid("14", 0xa), B: uuid("14", 0xb), none: uuid("14", 0) },
  requests: { A: uuid("15", 0xa), B: uuid("15", 0xb), none: uuid("15", 0) },
  feedback: { A: uuid("16", 0xa), B: uuid("16", 0xb), none: uuid("16", 0) },
  run: uuid("17", 1),
  override: uuid("18", 1),
  repriceJob: uuid("19", 1),
} as const;

/** The month every fixture call falls into, and its partition. */
export const CALL_TIME = "2026-11-10T12:00:00Z";
export const CALL_PARTITION = "llm_calls_2026_11";
export const SETTING_KEY = "rls.limit";
/** Organization A's webhook (a discard port on loopback: nothing listens if a dispatcher ever runs). */
export const FIXTURE_WEBHOOK_TOKEN = "fixture-webhook-token-7f3a";
export const FIXTURE_WEBHOOK_URL = `http://127.0.0.1:9/services/T000/B000/${FIXTURE_WEBHOOK_TOKEN}?token=${FIXTURE_WEBHOOK_TOKEN}`;

export const emailOf = (user: FixtureUser) => `${user.toLowerCase()}@rls.test`;

/** Claims in Supabase's shape, as the session layer passes them to withUser(). */
export function claimsFor(user: FixtureUser): JwtClaims {
  return { sub: ids.users[user], role: "authenticated", email: emailOf(user) };
}

/** A fake sha-256 hex digest: the shape the column requires, of a key that never existed. */
export const fakeKeyHash = (seed: string) => createHash("sha256").update(`rls-fixture:${seed}`).digest("hex");

/**
 * Row ids (and organization ids, and 'none' for a null organization) → the short labels the RLS
 * matrix speaks in. Unknown keys stay visible as `?<key>` so unexpected rows fail loudly.
 */
export function labelOf(key: string): string {
  return LABELS.get(key) ?? `?${key}`;
}

const LABELS = new Map<string, string>([
  [ids.orgA, "A"],
  [ids.orgB, "B"],
  ["none", "none"],
  ...Object.entries(ids.users).map(([user, id]): [string, string] => [id, user]),
  ...Object.entries(ids.memberships).map(([user, id]): [string, string] => [id, user]),
  [ids.app, "app"],
  [ids.provider, "provider"],
  [ids.spareProvider, "spareProvider"],
  ...Object.entries(ids.models).map(([name, id]): [string, string] => [id, name]),
  ...Object.entries(ids.prices).map(([name, id]): [string, string] => [id, name]),
  ...Object.entries(ids.configs).map(([name, id]): [string, string] => [id, name]),
  ...Object.entries(ids.settings).map(([name, id]): [string, string] => [id, name]),
  ...Object.entries(ids.apiKeys).map(([name, id]): [string, string] => [id, name]),
  [ids.run, "run"],
  [ids.override, "override"],
  [ids.repriceJob, "repriceJob"],
]);

const MEMBERSHIPS: { user: keyof typeof ids.memberships; org: string | null; role: "admin" | "finance" | "viewer" }[] = [
  { user: "viewerA", org: ids.orgA, role: "viewer" },
  { user: "financeA", org: ids.orgA, role: "finance" },
  { user: "adminA", org: ids.orgA, role: "admin" },
  { user: "platformAdmin", org: null, role: "admin" },
  { user: "viewerB", org: ids.orgB, role: "viewer" },
  { user: "adminB", org: ids.orgB, role: "admin" },
];

/** Writes the fixture world through the service path. Call once on a freshly migrated database. */
export async function createFixtureWorld(db: Kysely<DB>): Promise<void> {
  await db
    .insertInto("auth.users")
    .values(Object.entries(ids.users).map(([user, id]) => ({ id, email: emailOf(user as FixtureUser) })))
    .execute();
  await db
    .insertInto("organizations")
    .values([
      { id: ids.orgA, slug: "rls-org-a", name: "Org A", monthly_budget: "1000.00" },
      { id: ids.orgB, slug: "rls-org-b", name: "Org B" },
    ])
    .execute();
  await db
    .insertInto("memberships")
    .values(MEMBERSHIPS.map((m) => ({ id: ids.memberships[m.user], user_id: ids.users[m.user], organization_id: m.org, role: m.role })))
    .execute();

  await db
    .insertInto("llm_providers")
    .values([
      { id: ids.provider, code: "rls-mock", name: "RLS mock", kind: "mock" },
      { id: ids.spareProvider, code: "rls-spare", name: "Spare", kind: "openai", api_key_env_var: "SPARE_API_KEY" },
    ])
    .execute();
  await db
    .insertInto("llm_models")
    .values([
      { id: ids.models.primary, provider_id: ids.provider, model_code: "mock-large", display_name: "Mock large" },
      { id: ids.models.secondary, provider_id: ids.provider, model_code: "mock-small", display_name: "Mock small" },
      { id: ids.models.spare, provider_id: ids.provider, model_code: "mock-spare", display_name: "Mock spare" },
    ])
    .execute();
  await db
    .insertInto("model_prices")
    .values([
      { id: ids.prices.primary, model_id: ids.models.primary, input_per_mtok: "3", output_per_mtok: "15", currency: "USD", effective_from: new Date("2026-01-01T00:00:00Z"), source: "seed" },
      { id: ids.prices.secondary, model_id: ids.models.secondary, input_per_mtok: "0.25", output_per_mtok: "1.25", currency: "USD", effective_from: new Date("2026-01-01T00:00:00Z"), source: "seed" },
    ])
    .execute();
  await db
    .insertInto("apps")
    .values({ id: ids.app, code: "rls-app", name: "RLS app", baseline_model_id: ids.models.primary })
    .execute();

  await db
    .insertInto("llm_configurations")
    .values([
      { id: ids.configs.default, app_id: ids.app, organization_id: null, action_type: "classify", model_id: ids.models.primary, fallback_model_ids: [ids.models.secondary], priority: 100 },
      { id: ids.configs.A, app_id: ids.app, organization_id: ids.orgA, action_type: "classify", model_id: ids.models.secondary, priority: 200 },
      { id: ids.configs.B, app_id: ids.app, organization_id: ids.orgB, action_type: "classify", model_id: ids.models.primary, priority: 200 },
    ])
    .execute();
  const setting = { key: SETTING_KEY, value_type: "int" as const, min_value: "0", max_value: "100" };
  await db
    .insertInto("app_configuration")
    .values([
      { ...setting, id: ids.settings.global, scope: "global", app_id: null, organization_id: null, value: "10" },
      { ...setting, id: ids.settings.app, scope: "app", app_id: ids.app, organization_id: null, value: "20" },
      { ...setting, id: ids.settings.A, scope: "organization", app_id: null, organization_id: ids.orgA, value: "30" },
      { ...setting, id: ids.settings.B, scope: "organization", app_id: null, organization_id: ids.orgB, value: "40" },
    ])
    .execute();
  await db
    .insertInto("api_keys")
    .values([
      { id: ids.apiKeys.A, app_id: ids.app, organization_id: ids.orgA, name: "Key A", prefix: "llmcp_a", key_hash: fakeKeyHash("A") },
      { id: ids.apiKeys.B, app_id: ids.app, organization_id: ids.orgB, name: "Key B", prefix: "llmcp_b", key_hash: fakeKeyHash("B") },
      { id: ids.apiKeys.app, app_id: ids.app, organization_id: null, name: "App key", prefix: "llmcp_x", key_hash: fakeKeyHash("app") },
    ])
    .execute();
  await db.insertInto("instance_secrets").values({ name: "rls-secret", value: "not-a-real-secret" }).execute();

  await sql`select public.ensure_llm_calls_partitions('2026-11-01'::date, '2026-11-30'::date)`.execute(db);
  const orgOf = { A: ids.orgA, B: ids.orgB, none: null };
  await db
    .insertInto("llm_calls")
    .values(
      (["A", "B", "none"] as const).map((k) => ({
        id: ids.calls[k],
        request_id: ids.requests[k],
        created_at: CALL_TIME,
        app_id: ids.app,
        organization_id: orgOf[k],
        action_type: "classify",
        request_type: "classify",
        pipeline_stage: "triage",
        provider_id: ids.provider,
        provider_code: "rls-mock",
        model_id: ids.models.primary,
        model_code: "mock-large",
        prompt_tokens: 100,
        completion_tokens: 20,
        total_tokens: 120,
        cost: "0.000600000000",
        currency: "USD",
        pricing_source: "database" as const,
        price_id: ids.prices.primary,
        latency_ms: 250,
        status: "ok" as const,
      })),
    )
    .execute();
  await db
    .insertInto("production_feedback")
    .values(
      (["A", "B", "none"] as const).map((k) => ({
        id: ids.feedback[k],
        request_id: ids.requests[k],
        organization_id: orgOf[k],
        app_id: ids.app,
        action_type: "classify",
        query_pattern: "short",
        model_code: "mock-large",
        quality_score: 4,
        source: "seed" as const,
      })),
    )
    .execute();
  // Organization A's budget webhook; its token must never reach anyone but platform admins.
  await db.insertInto("organization_webhooks").values({ organization_id: ids.orgA, url: FIXTURE_WEBHOOK_URL }).execute();
  await db
    .insertInto("budget_alerts")
    .values([ids.orgA, ids.orgB].map((organization_id) => ({
      organization_id, month: "2026-11-01", threshold_pct: 80, spent: "8.5", budget: "10", currency: "EUR", policy: "alert" as const,
    })))
    .execute();
  await db
    .insertInto("retrain_runs")
    .values({ id: ids.run, dry_run: false, status: "succeeded", params: JSON.stringify({ min_samples: 1 }), trigger: "manual" })
    .execute();
  await db
    .insertInto("learning_overrides")
    .values({ id: ids.override, app_id: ids.app, action_type: "classify", query_pattern: "short", model_id: ids.models.secondary, confidence: "high", samples: 12, avg_score: "4.5", active: true, run_id: ids.run })
    .execute();
  // A finished repricing job (done, so it does not block the one-active-job index in tests).
  await db
    .insertInto("reprice_jobs")
    .values({ id: ids.repriceJob, status: "done", requested_by: ids.users.platformAdmin, model_ids: null, total_estimate: 0, finished_at: new Date("2026-11-11T00:00:00Z") })
    .execute();
}
