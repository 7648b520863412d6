/**
 * What `bench:fleet` seeds into each pass's database after the three instances have migrated it:
 * one organization per measurement (so one item's rate windows, budgets and circuits never touch
 * another's), each routed by an organization rule to its own provider on a fake upstream of
 * scripts/bench/faults/upstream.ts. Upstreams are started once for the whole run (fixed ports when
 * given) and reset per pass.
 */
import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { startUpstream, type FakeUpstream } from "../faults/upstream";

/** A small pool on one database: the bench's own queries (always direct, never through the pooler). */
export class Db {
  private readonly pool: pg.Pool;
  constructor(readonly url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
  }
  async query<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
    return (await this.pool.query<T>(text, values)).rows;
  }
  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}

/** Upstreams: `main` and `alt` answer at once, `slow` after 300 ms, `dead` with 500. */
export type UpstreamName = "main" | "alt" | "slow" | "dead";
export type Upstreams = Record<UpstreamName, FakeUpstream>;

export async function startUpstreams(ports: number[]): Promise<Upstreams> {
  const names: UpstreamName[] = ["main", "alt", "slow", "dead"];
  const out = {} as Upstreams;
  for (const [i, n] of names.entries()) out[n] = await startUpstream(`fleet-${n}`, {}, ports[i] ?? 0);
  resetUpstreams(out);
  return out;
}

export function resetUpstreams(u: Upstreams): void {
  u.main.reset();
  u.alt.reset();
  u.slow.reset({ latencyMs: 300 });
  u.dead.reset({ status: 500 });
}

/** One output-priced model: max_tokens 1000 costs exactly 0.01 USD (estimate and actual). */
export const BUDGET_CALL_USD = "0.01";
export const BUDGET_HEADROOM_CALLS = 14;
export const RATE_LIMIT = 60;
export const REVOKED_KEYS = 5;

interface ProviderSpec {
  code: string;
  upstream: UpstreamName;
  price: { input: string; output: string };
}
const PROVIDERS: ProviderSpec[] = [
  { code: "fl-main", upstream: "main", price: { input: "0.15", output: "0.60" } },
  { code: "fl-alt", upstream: "alt", price: { input: "0.15", output: "0.60" } },
  { code: "fl-budget", upstream: "slow", price: { input: "0", output: "10" } },
  { code: "fl-dead", upstream: "dead", price: { input: "0.15", output: "0.60" } },
];

/** Organization → provider of its "*" rule, and its monthly USD budget. */
const ORGS: { slug: string; provider: string; budgetUsd?: string }[] = [
  { slug: "fl-conv", provider: "fl-main" },
  { slug: "fl-rate", provider: "fl-main" },
  { slug: "fl-budget", provider: "fl-budget", budgetUsd: "0.14" },
  { slug: "fl-ledger", provider: "fl-main" },
  { slug: "fl-dead", provider: "fl-dead" },
  { slug: "fl-retention", provider: "fl-main" },
  { slug: "fl-term", provider: "fl-main" },
];

export interface World {
  orgs: Record<string, string>;
  /** Key name → full key. */
  keys: Record<string, string>;
  /** Key name → api_keys.id. */
  keyIds: Record<string, string>;
  models: Record<string, string>;
  appId: string;
}

export async function seedWorld(db: Db, up: Upstreams): Promise<World> {
  const w: World = { orgs: {}, keys: {}, keyIds: {}, models: {}, appId: "" };
  for (const p of PROVIDERS) {
    const [prov] = await db.query<{ id: string }>(
      `insert into llm_providers (code, name, kind, base_url, timeout_ms, max_retries) values ($1, $2, 'openai_compatible', $3, 10000, 0) returning id`,
      [p.code, `Fleet ${p.code}`, up[p.upstream].baseUrl],
    );
    const [model] = await db.query<{ id: string }>(`insert into llm_models (provider_id, model_code, display_name) values ($1, $2, $2) returning id`, [
      prov!.id,
      `m-${p.code}`,
    ]);
    w.models[p.code] = model!.id;
    await db.query(`insert into model_prices (model_id, input_per_mtok, output_per_mtok, currency, effective_from) values ($1, $2, $3, 'USD', '2024-01-01')`, [
      model!.id,
      p.price.input,
      p.price.output,
    ]);
  }
  const [app] = await db.query<{ id: string }>(
    `insert into apps (code, name, allow_explicit_models, baseline_model_id) values ('fleet', 'Fleet benchmark', true, $1) returning id`,
    [w.models["fl-main"]],
  );
  w.appId = app!.id;
  await db.query(`insert into llm_configurations (app_id, organization_id, action_type, model_id, priority) values ($1, null, '*', $2, 100)`, [w.appId, w.models["fl-main"]]);
  for (const o of ORGS) {
    const [org] = await db.query<{ id: string }>(
      `insert into organizations (slug, name, monthly_budget, budget_currency, budget_policy) values ($1, $1, $2, 'USD', 'block') returning id`,
      [o.slug, o.budgetUsd ?? null],
    );
    w.orgs[o.slug] = org!.id;
    await db.query(`insert into llm_configurations (app_id, organization_id, action_type, model_id, priority) values ($1, $2, '*', $3, 200)`, [
      w.appId,
      org!.id,
      w.models[o.provider],
    ]);
  }
  const key = async (name: string, org: string, rate: number) => {
    const full = `llmcp_fleet_${name.replace(/[^a-z0-9]/g, "")}_${randomBytes(12).toString("hex")}`;
    const [row] = await db.query<{ id: string }>(
      `insert into api_keys (app_id, organization_id, name, prefix, key_hash, scopes, rate_limit_per_minute, max_concurrent)
       values ($1, $2, $3, $4, $5, '{llm,feedback}', $6, 1000) returning id`,
      [w.appId, w.orgs[org], name, full.slice(0, 12), createHash("sha256").update(full).digest("hex"), rate],
    );
    w.keys[name] = full;
    w.keyIds[name] = row!.id;
  };
  for (const o of ORGS) await key(o.slug, o.slug, o.slug === "fl-rate" ? RATE_LIMIT : 1_000_000);
  for (let i = 0; i < REVOKED_KEYS; i++) await key(`fl-revoke-${i}`, "fl-conv", 1_000_000);
  return w;
}
