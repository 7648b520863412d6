/**
 * The one seeding step of `bench:faults`: everything the scenarios need, written straight into the
 * migrated database before any server starts (so every server's first config load sees it).
 * One organization per scenario (keys pinned to it, an organization rule routing `auto` to the
 * scenario's own provider), so one scenario's circuits, rate windows and budgets never touch
 * another's. Providers point at the in-process fake upstreams; `mock` is the key-less mock kind.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Postgres } from "./harness";
import { startUpstream, type FakeUpstream } from "./upstream";

interface ProviderSpec {
  code: string;
  /** null: kind mock without a base_url (answers in-process). */
  upstream: boolean;
  maxRetries: number;
  timeoutMs?: number;
  price: { input: string; output: string; currency: string };
}

interface OrgSpec {
  slug: string;
  provider: string;
  fallbacks?: string[];
  budget?: { amount: string; currency: string };
}

interface KeySpec {
  name: string;
  org: string;
  rateLimit: number | null;
  /** Written only when api_keys.max_concurrent exists (after the limits change). */
  maxConcurrent?: number;
}

const USD = { input: "0.15", output: "0.60", currency: "USD" };

const PROVIDERS: ProviderSpec[] = [
  { code: "f-shared", upstream: true, maxRetries: 0, price: USD },
  { code: "f-trial", upstream: true, maxRetries: 0, price: USD },
  { code: "f-plain", upstream: true, maxRetries: 0, price: USD },
  { code: "f-slow5", upstream: true, maxRetries: 0, price: USD },
  { code: "f-r429a", upstream: true, maxRetries: 1, price: USD },
  { code: "f-r429b", upstream: true, maxRetries: 1, price: USD },
  { code: "f-dead1", upstream: true, maxRetries: 0, price: USD },
  { code: "f-dead2", upstream: true, maxRetries: 0, price: USD },
  { code: "f-slow7", upstream: true, maxRetries: 0, price: USD },
  { code: "f-fast8", upstream: true, maxRetries: 0, price: USD },
  { code: "f-fast9", upstream: true, maxRetries: 0, price: USD },
  // Output only, 10 USD / Mtok: a call with max_tokens 1000 costs exactly 0.01 USD, estimate included.
  { code: "f-budget", upstream: true, maxRetries: 0, price: { input: "0", output: "10", currency: "USD" } },
  { code: "f-usd", upstream: true, maxRetries: 0, price: { input: "1", output: "10", currency: "USD" } },
  { code: "f-slow13", upstream: true, maxRetries: 0, timeoutMs: 20_000, price: USD },
  { code: "f-mock", upstream: false, maxRetries: 0, price: USD },
];

export const BUDGET_CALL_USD = "0.01";
export const BUDGET_HEADROOM_CALLS = 14;

const ORGS: OrgSpec[] = [
  { slug: "f1-attacker", provider: "f-shared" },
  { slug: "f1-victim", provider: "f-shared" },
  { slug: "f2", provider: "f-trial" },
  { slug: "f3", provider: "f-mock" },
  { slug: "f4", provider: "f-plain" },
  { slug: "f4-allowed", provider: "f-plain" },
  { slug: "f5", provider: "f-plain" },
  { slug: "f5-slow", provider: "f-slow5" },
  { slug: "f6", provider: "f-r429a", fallbacks: ["f-r429b"] },
  { slug: "f6-open", provider: "f-dead1", fallbacks: ["f-dead2"] },
  { slug: "f7", provider: "f-slow7" },
  { slug: "f8", provider: "f-fast8" },
  { slug: "f9", provider: "f-fast9" },
  { slug: "f10-fast", provider: "f-budget", budget: { amount: "0.14", currency: "USD" } },
  { slug: "f10-slow", provider: "f-budget", budget: { amount: "0.14", currency: "USD" } },
  { slug: "f11", provider: "f-usd", budget: { amount: "1.00", currency: "EUR" } },
  { slug: "f12", provider: "f-plain" },
  { slug: "f13", provider: "f-slow13" },
];

const KEYS: KeySpec[] = [
  { name: "f1-attacker", org: "f1-attacker", rateLimit: 10_000 },
  { name: "f1-victim", org: "f1-victim", rateLimit: 10_000 },
  { name: "f2", org: "f2", rateLimit: 10_000 },
  { name: "f3", org: "f3", rateLimit: 10_000 },
  { name: "f4", org: "f4", rateLimit: 10_000 },
  { name: "f4-allowed", org: "f4-allowed", rateLimit: 10_000 },
  { name: "f5-null", org: "f5", rateLimit: null },
  { name: "f5-null-conc", org: "f5-slow", rateLimit: null },
  { name: "f5-five", org: "f5", rateLimit: 5 },
  { name: "f6", org: "f6", rateLimit: 10_000 },
  { name: "f6-open", org: "f6-open", rateLimit: 10_000 },
  { name: "f7", org: "f7", rateLimit: 100_000, maxConcurrent: 1000 },
  { name: "f8", org: "f8", rateLimit: 100_000, maxConcurrent: 1000 },
  { name: "f9", org: "f9", rateLimit: 100_000, maxConcurrent: 1000 },
  { name: "f10-fast", org: "f10-fast", rateLimit: 100_000, maxConcurrent: 1000 },
  { name: "f10-slow", org: "f10-slow", rateLimit: 100_000, maxConcurrent: 1000 },
  { name: "f11", org: "f11", rateLimit: 100_000, maxConcurrent: 1000 },
  { name: "f12", org: "f12", rateLimit: 10_000 },
  { name: "f13", org: "f13", rateLimit: 10_000 },
];

export interface World {
  appId: string;
  orgs: Record<string, string>;
  keys: Record<string, string>;
  upstreams: Record<string, FakeUpstream>;
  /** Notes from seeding (e.g. a column that does not exist yet). */
  notes: string[];
}

export async function seedWorld(db: Postgres): Promise<World> {
  const world: World = { appId: "", orgs: {}, keys: {}, upstreams: {}, notes: [] };
  const modelIds: Record<string, string> = {};
  for (const p of PROVIDERS) {
    const up = p.upstream ? await startUpstream(p.code) : null;
    if (up) world.upstreams[p.code] = up;
    const [prov] = await db.query<{ id: string }>(
      `insert into llm_providers (code, name, kind, base_url, timeout_ms, max_retries) values ($1, $2, $3, $4, $5, $6) returning id`,
      [p.code, `Faults ${p.code}`, up ? "openai_compatible" : "mock", up?.baseUrl ?? null, p.timeoutMs ?? 10_000, p.maxRetries],
    );
    const modelCode = up ? `m-${p.code}` : "mock-small";
    const [model] = await db.query<{ id: string }>(`insert into llm_models (provider_id, model_code, display_name) values ($1, $2, $3) returning id`, [
      prov!.id,
      modelCode,
      modelCode,
    ]);
    modelIds[p.code] = model!.id;
    await db.query(`insert into model_prices (model_id, input_per_mtok, output_per_mtok, currency, effective_from) values ($1, $2, $3, $4, '2024-01-01')`, [
      model!.id,
      p.price.input,
      p.price.output,
      p.price.currency,
    ]);
  }
  const [app] = await db.query<{ id: string }>(
    `insert into apps (code, name, allow_explicit_models, baseline_model_id) values ('faults', 'Fault benchmark', true, $1) returning id`,
    [modelIds["f-plain"]],
  );
  world.appId = app!.id;
  await db.query(`insert into llm_configurations (app_id, organization_id, action_type, model_id, priority) values ($1, null, '*', $2, 100)`, [app!.id, modelIds["f-mock"]]);
  for (const o of ORGS) {
    const [org] = await db.query<{ id: string }>(
      `insert into organizations (slug, name, monthly_budget, budget_currency, budget_policy) values ($1, $2, $3, $4, 'block') returning id`,
      [o.slug, `Faults ${o.slug}`, o.budget?.amount ?? null, o.budget?.currency ?? "EUR"],
    );
    world.orgs[o.slug] = org!.id;
    await db.query(
      `insert into llm_configurations (app_id, organization_id, action_type, model_id, fallback_model_ids, priority) values ($1, $2, '*', $3, $4, 200)`,
      [app!.id, org!.id, modelIds[o.provider], (o.fallbacks ?? []).map((f) => modelIds[f])],
    );
  }
  const [{ has_max_concurrent } = { has_max_concurrent: false }] = await db.query<{ has_max_concurrent: boolean }>(
    `select exists (select 1 from information_schema.columns where table_schema = 'public' and table_name = 'api_keys' and column_name = 'max_concurrent') as has_max_concurrent`,
  );
  if (!has_max_concurrent) world.notes.push("api_keys.max_concurrent does not exist: keys seeded without a concurrency cap");
  for (const k of KEYS) {
    const key = `llmcp_faults_${k.name.replace(/[^a-z0-9]/g, "")}_${randomBytes(12).toString("hex")}`;
    const [row] = await db.query<{ id: string }>(
      `insert into api_keys (app_id, organization_id, name, prefix, key_hash, scopes, rate_limit_per_minute) values ($1, $2, $3, $4, $5, $6, $7) returning id`,
      [app!.id, world.orgs[k.org], k.name, key.slice(0, 12), createHash("sha256").update(key).digest("hex"), ["llm", "feedback"], k.rateLimit],
    );
    if (has_max_concurrent && k.maxConcurrent !== undefined) await db.query(`update api_keys set max_concurrent = $2 where id = $1`, [row!.id, k.maxConcurrent]);
    world.keys[k.name] = key;
  }
  // Settings: reporting currency and rates (for budgets in other currencies), and one organization
  // that allows the billing fields (item 4: "unless an app setting allows them").
  const setting = (key: string, type: string, value: unknown, orgId: string | null) =>
    db.query(`insert into app_configuration (key, scope, organization_id, value_type, value) values ($1, $2, $3, $4, $5::jsonb)`, [
      key,
      orgId ? "organization" : "global",
      orgId,
      type,
      JSON.stringify(value),
    ]);
  await setting("reporting.currency", "string", "EUR", null);
  await setting("reporting.fx_rates", "json", { USD: "0.9" }, null);
  await setting("gateway.allowed_billing_fields", "json", ["service_tier", "store"], world.orgs["f4-allowed"]!);
  // Item 11: the EUR organization has already spent 5 USD (4.50 EUR) this month on the USD model.
  await db.query(
    `insert into llm_calls (request_id, attempt, created_at, app_id, organization_id, provider_code, model_id, model_code, pipeline_stage, request_type,
       prompt_tokens, completion_tokens, total_tokens, cost, currency, pricing_source, status)
     values (gen_random_uuid(), 1, now(), $1, $2, 'f-usd', $3, 'm-f-usd', 'bench', 'chat', 10, 500000, 500010, 5, 'USD', 'database', 'ok')`,
    [app!.id, world.orgs.f11, modelIds["f-usd"]],
  );
  return world;
}
