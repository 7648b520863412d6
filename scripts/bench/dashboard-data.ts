/**
 * Data for `npm run bench:dashboard`: the demo catalog and users (lib/db/seed), a few more
 * organizations and apps, then BENCH_CALLS synthetic calls over ~13 months, generated in SQL in
 * batches (one INSERT … SELECT per batch, so the rollup statement trigger runs once per batch, as
 * it does for the gateway's batched recorder). The traffic shape comes from the demo profile
 * (lib/db/seed/demo-profile.ts): its streams become templates that every organization runs, with
 * their stage / type / purpose mixes, failure rates, unattributed and unpriced shares.
 *
 * SERVICE PATH: runs as the database owner (bench setup only, never in the app).
 */
import fs from "node:fs/promises";
import path from "node:path";
import { sql, type Kysely } from "kysely";
import type { Database } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrator";
import { ensurePartitions } from "@/lib/db/partitions";
import type { DB } from "@/lib/db/schema";
import { CALL_STREAMS, MODEL_PROFILES, cumulative } from "@/lib/db/seed/demo-profile";
import { monthsBetween } from "@/lib/db/seed/demo";
import { runSqlScript } from "@/lib/db/seed/script";
import { hashPasswordForUsers, insertDemoUsers } from "@/lib/db/seed/users";

export const BENCH_PASSWORD = "bench-dashboard-password";
const MARKER = "bench_dashboard";
const SLOTS = 10_000;
export const WINDOW_DAYS = 395;

/** Organizations beside the demo's acme / wvc / globex / sandbox, with their share of traffic. */
const EXTRA_ORGS = Array.from({ length: 8 }, (_, i) => ({
  slug: `bench-${String(i + 1).padStart(2, "0")}`,
  name: `Bench Client ${String(i + 1).padStart(2, "0")}`,
  currency: i % 3 === 2 ? "USD" : "EUR",
}));
const ORG_WEIGHTS: Record<string, number> = {
  acme: 0.16, wvc: 0.1, globex: 0.14, sandbox: 0.005,
  ...Object.fromEntries(EXTRA_ORGS.map((o, i) => [o.slug, 0.16 / (i + 1)])),
};

/** Routed models per action (what llm_configurations resolves to, including client overrides). */
const ROUTED: Record<string, { model: string; weight: number }[]> = {
  werkbon_classification: [{ model: "mistral-large-latest", weight: 0.7 }, { model: "claude-sonnet-4-20250514", weight: 0.2 }, { model: "gpt-4o-mini", weight: 0.1 }],
  contract_generation: [{ model: "claude-sonnet-4-20250514", weight: 0.9 }, { model: "gpt-4o", weight: 0.1 }],
  answer_question: [{ model: "gpt-4o-mini", weight: 0.8 }, { model: "gemini-2.0-flash", weight: 0.2 }],
  summarize_document: [{ model: "mistral-small-latest", weight: 0.7 }, { model: "meta-llama/llama-3.3-70b-instruct", weight: 0.3 }],
  grade_essay: [{ model: "gpt-4o", weight: 1 }],
};

export interface Combo {
  weight: number;
  org: string | null;
  app: string;
  action: string;
  stage: string | null;
  request_type: string | null;
  purpose: string;
  pattern: string | null;
  entity: string | null;
  model: string;
  provider: string | null;
  fallback_input: string | null;
  fallback_output: string | null;
  fallback_cached: string | null;
  fallback_currency: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  cached_share: number;
  failure_rate: number;
  streamed_share: number;
  tokens_missing_share: number;
  first_token_ms: number;
  ms_per_token: number;
}

/** Every (organization, stream, mix, model) with its share of all calls. */
export function combos(): Combo[] {
  const orgStreams = CALL_STREAMS.filter((s) => s.org !== null);
  const orgStreamVolume = orgStreams.reduce((n, s) => n + s.perDay, 0);
  const orgTotal = Object.values(ORG_WEIGHTS).reduce((n, w) => n + w, 0);
  const out: Combo[] = [];
  for (const stream of CALL_STREAMS) {
    // Streams with a tenant run for every organization; the unattributed one stays unattributed.
    const orgs: [string | null, number][] = stream.org === null
      ? [[null, 0.02]]
      : Object.entries(ORG_WEIGHTS).map(([slug, w]) => [slug, (0.98 * w * stream.perDay) / (orgTotal * orgStreamVolume)]);
    const models = stream.model ? [{ model: stream.model, weight: 1 }] : (ROUTED[stream.action] ?? []);
    const modelTotal = models.reduce((n, m) => n + m.weight, 0);
    const mixTotal = stream.mixes.reduce((n, m) => n + m.weight, 0);
    for (const [org, orgWeight] of orgs) {
      for (const mix of stream.mixes) {
        for (const m of models) {
          const profile = MODEL_PROFILES.find((p) => p.code === m.model);
          out.push({
            weight: (orgWeight * mix.weight * m.weight) / (mixTotal * modelTotal),
            org, app: stream.app, action: stream.action, stage: mix.stage, request_type: mix.requestType,
            purpose: mix.purpose, pattern: mix.pattern, entity: mix.entity, model: m.model, provider: stream.provider ?? null,
            fallback_input: stream.fallbackPrice?.input ?? null, fallback_output: stream.fallbackPrice?.output ?? null,
            fallback_cached: stream.fallbackPrice?.cached ?? null, fallback_currency: stream.fallbackPrice?.currency ?? null,
            prompt_tokens: mix.promptTokens, completion_tokens: mix.completionTokens, cached_share: mix.cachedShare,
            failure_rate: stream.failureRate, streamed_share: stream.streamedShare,
            tokens_missing_share: stream.tokensMissingShare ?? 0,
            first_token_ms: profile?.firstTokenMs ?? 500, ms_per_token: profile?.msPerToken ?? 10,
          });
        }
      }
    }
  }
  return out;
}

/** Slot ranges [lo, hi) out of SLOTS, so a call picks its combo with one equality join. */
export function slotRanges(list: Combo[]): { lo: number; hi: number }[] {
  const bounds = cumulative(list.map((c) => ({ weight: Math.max(c.weight, 1e-9) })));
  return bounds.map((b) => ({ lo: Math.round(b.lo * SLOTS), hi: Math.round(b.hi * SLOTS) }));
}

export interface BenchState {
  target: number;
  generated: number;
  windowEnd: string;
  batches: number;
  generationMs: number;
}

export async function readState(db: Kysely<DB>): Promise<BenchState | null> {
  const row = await db.selectFrom("instance_secrets").select("value").where("name", "=", MARKER).executeTakeFirst();
  return row ? (JSON.parse(row.value) as BenchState) : null;
}

async function writeState(db: Kysely<DB>, state: BenchState): Promise<void> {
  const value = JSON.stringify(state);
  await db.insertInto("instance_secrets").values({ name: MARKER, value })
    .onConflict((oc) => oc.column("name").doUpdateSet({ value })).execute();
}

/** Migrates, seeds the catalog, users and extra organizations/apps once. */
export async function prepareCatalog(db: Database, log: (line: string) => void): Promise<void> {
  const migrated = await migrate(db, { log });
  if (migrated.applied.length > 0) log(`${migrated.applied.length} migration(s) applied`);
  const k = db.kysely;
  const seeded = await k.selectFrom("auth.users").select("id").limit(1).executeTakeFirst();
  if (seeded) return;
  const catalog = await fs.readFile(path.join(process.cwd(), "supabase", "seed.sql"), "utf8");
  const hashes = await hashPasswordForUsers(BENCH_PASSWORD);
  await k.transaction().execute(async (trx) => {
    await runSqlScript(trx, catalog, new Date());
    for (const o of EXTRA_ORGS) {
      await trx.insertInto("organizations")
        .values({ slug: o.slug, name: o.name, tier: "standard", monthly_budget: "500.00", budget_currency: o.currency, budget_policy: "alert" })
        .execute();
    }
    await insertDemoUsers(trx, hashes, new Date());
  });
  log(`catalog, ${4 + EXTRA_ORGS.length} organizations and the demo users seeded (password ${BENCH_PASSWORD})`);
}

const SLOTS_TABLE = `
create table if not exists bench.slots as
with c as (
  select x.* from jsonb_to_recordset($1::jsonb) as x(
    ord int, lo int, hi int, org text, app text, action text, stage text, request_type text, purpose text, pattern text,
    entity text, model text, provider text, fallback_input numeric, fallback_output numeric, fallback_cached numeric,
    fallback_currency text, prompt_tokens int, completion_tokens int, cached_share float8, failure_rate float8,
    streamed_share float8, tokens_missing_share float8, first_token_ms float8, ms_per_token float8)
), price as (
  select distinct on (model_id) * from public.model_prices order by model_id, effective_from desc
)
select s as slot, c.ord as combo, o.id as org_id, c.org, a.id as app_id, c.action, c.stage, c.request_type, c.purpose,
       c.pattern, c.entity, m.id as model_id, c.model as model_code, coalesce(p.id, ep.id) as provider_id,
       coalesce(p.code, c.provider) as provider_code, c.prompt_tokens, c.completion_tokens, c.cached_share,
       c.failure_rate, c.streamed_share, c.tokens_missing_share, c.first_token_ms, c.ms_per_token,
       case when pr.id is not null then 'database' when c.fallback_input is not null then 'fallback' end as pricing_source,
       pr.id as price_id, coalesce(pr.input_per_mtok, c.fallback_input) as input_per_mtok,
       coalesce(pr.output_per_mtok, c.fallback_output) as output_per_mtok,
       case when pr.id is not null then pr.cached_input_per_mtok else c.fallback_cached end as cached_per_mtok,
       coalesce(pr.currency, c.fallback_currency) as currency,
       a.baseline_model_id, bp.input_per_mtok as base_input, bp.output_per_mtok as base_output,
       bp.cached_input_per_mtok as base_cached, bp.currency as base_currency
from c
cross join lateral generate_series(c.lo, c.hi - 1) s
join public.apps a on a.code = c.app
left join public.organizations o on o.slug = c.org
left join public.llm_models m on m.model_code = c.model
left join public.llm_providers p on p.id = m.provider_id
left join public.llm_providers ep on ep.code = c.provider
left join price pr on pr.model_id = m.id
left join price bp on bp.model_id = a.baseline_model_id`;

// One batch: rows [$1, $2) of $3 spread evenly over [$4, $4 + $5 seconds), in time order, so a
// batch touches one or two monthly partitions and ~10 days of rollup rows. A failed first
// attempt is followed by a second one (a retry, or a fallback half of the time).
const cost = (p: string, inp: string, out: string, cached: string) =>
  `((${p}.prompt_tokens - ${p}.cached_tokens) * ${inp} * 0.000001 + ${p}.cached_tokens * coalesce(${cached}, ${inp}) * 0.000001
    + ${p}.completion_tokens * ${out} * 0.000001)`;
const BATCH = `
with g as materialized (
  select i, floor(random() * ${SLOTS})::int as slot, random() as u1, random() as u2, random() as u3, random() as u4,
         random() as u5, random() as u6
  from generate_series($1::bigint, $2::bigint - 1) i
),
r as materialized (
  select s.*, g.*, gen_random_uuid() as request_id,
         $4::timestamptz + ((g.i + g.u1) / $3::float8) * $5::float8 * interval '1 second' as at0,
         g.u2 < s.failure_rate as failed
  from g join bench.slots s on s.slot = g.slot
),
t as (
  select r.*, a.n as attempt, a.n = 1 and r.failed as attempt_failed, a.n = 2 and r.u6 < 0.5 as is_fallback,
         case when a.n = 1 then r.at0 else r.at0 + (300 + 2000 * r.u5) * interval '1 millisecond' end as at,
         case when a.n = 1 and r.failed then 0 when r.u3 < r.tokens_missing_share then null
              else round(r.prompt_tokens * (0.55 + 0.9 * r.u4))::int end as prompt_tokens_n,
         case when a.n = 1 and r.failed then 0 when r.u3 < r.tokens_missing_share then null
              else round(r.completion_tokens * (0.5 + r.u5))::int end as completion_tokens_n
  from r cross join lateral (values (1), (2)) a(n)
  where a.n = 1 or r.failed
),
tk as (
  select t.*, case when t.prompt_tokens_n is null then null when t.u6 < 0.7 and t.cached_per_mtok is not null
                   then floor(t.prompt_tokens_n * t.cached_share * (0.7 + 0.3 * t.u4))::int else 0 end as cached_tokens_n
  from t
),
ins as (
  insert into public.llm_calls (
    request_id, attempt, created_at, app_id, organization_id, user_ref, action_type, request_type, pipeline_stage,
    purpose, query_pattern, related_entity_type, related_entity_id, provider_id, provider_code, model_id, model_code,
    model_version, prompt_tokens, completion_tokens, cached_tokens, total_tokens, input_price_per_mtok,
    output_price_per_mtok, cached_input_price_per_mtok, cost, currency, price_id, pricing_source, baseline_model_id,
    baseline_cost, latency_ms, ttft_ms, status, error_type, http_status, routing_source, is_fallback, streamed)
  select k.request_id, k.attempt, k.at, k.app_id, k.org_id,
         case when k.org is not null then k.org || '-u' || lpad((1 + floor(k.u4 * 40))::int::text, 2, '0') end,
         k.action, k.request_type, k.stage, k.purpose, k.pattern, k.entity,
         case when k.entity is not null then upper(left(k.entity, 2)) || '-' || (200000 + floor(k.u3 * 700000))::int end,
         k.provider_id, k.provider_code, k.model_id, k.model_code, k.model_code,
         k.prompt_tokens_n, k.completion_tokens_n, k.cached_tokens_n, k.prompt_tokens_n + k.completion_tokens_n,
         px.input_per_mtok, px.output_per_mtok, px.cached_per_mtok,
         case when px.source is not null then ${cost("pt", "px.input_per_mtok", "px.output_per_mtok", "px.cached_per_mtok")} end,
         px.currency, px.price_id, px.source, k.baseline_model_id,
         case when px.source is not null and k.base_currency = px.currency
              then ${cost("pt", "k.base_input", "k.base_output", "k.base_cached")} end,
         case when k.attempt_failed then round(80 + 2500 * k.u5)::int
              else round(k.first_token_ms * (0.7 + 0.6 * k.u1) + coalesce(k.completion_tokens_n, k.completion_tokens) * k.ms_per_token * (0.8 + 0.4 * k.u2))::int end,
         case when k.u6 < k.streamed_share and not k.attempt_failed then round(k.first_token_ms * (0.7 + 0.6 * k.u1))::int end,
         case when k.attempt_failed then 'failed' else 'ok' end,
         case when k.attempt_failed then case when k.u5 < 0.45 then 'rate_limited' when k.u5 < 0.8 then 'upstream_5xx' else 'timeout' end end,
         case when k.attempt_failed then case when k.u5 < 0.45 then 429 when k.u5 < 0.8 then 503 end end,
         case when k.is_fallback then 'fallback' when k.model_id is null then 'explicit' else 'configuration' end,
         k.is_fallback, k.u6 < k.streamed_share
  from tk k
  cross join lateral (select k.prompt_tokens_n as prompt_tokens, k.completion_tokens_n as completion_tokens,
                             k.cached_tokens_n as cached_tokens) pt
  cross join lateral (
    select case when k.prompt_tokens_n is not null then k.pricing_source end as source,
           case when k.prompt_tokens_n is not null and k.pricing_source is not null then k.price_id end as price_id,
           case when k.prompt_tokens_n is not null and k.pricing_source is not null then k.input_per_mtok end as input_per_mtok,
           case when k.prompt_tokens_n is not null and k.pricing_source is not null then k.output_per_mtok end as output_per_mtok,
           case when k.prompt_tokens_n is not null and k.pricing_source is not null then k.cached_per_mtok end as cached_per_mtok,
           case when k.prompt_tokens_n is not null and k.pricing_source is not null then k.currency end as currency
  ) px
  returning request_id, created_at, status, organization_id, app_id, action_type, query_pattern, provider_code, model_code
),
fb as (
  insert into public.production_feedback (request_id, organization_id, app_id, action_type, query_pattern, provider_code,
                                          model_code, quality_score, is_correct, source, created_at)
  select i.request_id, i.organization_id, i.app_id, i.action_type, i.query_pattern, i.provider_code, i.model_code,
         greatest(1, least(5, round(4.2 + 1.2 * (random() + random() - 1))))::smallint, random() < 0.85, 'seed',
         i.created_at + interval '1 hour'
  from ins i
  where i.status = 'ok' and random() < $6::float8 and i.created_at + interval '1 hour' < $4::timestamptz + $5::float8 * interval '1 second'
  returning 1
)
select (select count(*) from ins)::int as calls, (select count(*) from fb)::int as feedback`;

export interface GenerateOptions {
  target: number;
  batchSize: number;
  feedbackShare: number;
  log: (line: string) => void;
}

/**
 * Generates calls until the database holds `target` generated requests (resumes an interrupted
 * run; a finished one is reused as is). Returns the state with the window end the data is
 * relative to.
 */
export async function generateCalls(db: Database, o: GenerateOptions): Promise<BenchState> {
  const k = db.kysely;
  const saved = await readState(k);
  if (saved && saved.target !== o.target) {
    throw new Error(`the bench database holds data for BENCH_CALLS=${saved.target}, not ${o.target}: use a new database (or BENCH_CALLS=${saved.target})`);
  }
  if (saved && saved.generated >= saved.target) return saved;
  // Five minutes back, so "today" has calls and none is in the future when the bench starts.
  const windowEnd = saved ? new Date(saved.windowEnd) : new Date(Date.now() - 5 * 60_000);
  const windowStart = new Date(windowEnd.getTime() - WINDOW_DAYS * 86_400_000);
  let state: BenchState = saved ?? { target: o.target, generated: 0, windowEnd: windowEnd.toISOString(), batches: 0, generationMs: 0 };
  await ensurePartitions(k, monthsBetween(windowStart, windowEnd), 2, windowEnd);

  const list = combos();
  const ranges = slotRanges(list);
  const json = JSON.stringify(list.map((c, i) => ({ ...c, ord: i + 1, ...ranges[i] })).filter((c) => (c.hi ?? 0) > (c.lo ?? 0)));
  await db.withSession(async (s) => {
    // Bench-only helper table, in its own schema (no grants): slot -> traffic combo.
    await s.query("create schema if not exists bench");
    await s.query(SLOTS_TABLE, [json]);
    await s.query("create unique index if not exists slots_slot_idx on bench.slots (slot)");
    await s.query("analyze bench.slots");
  });
  o.log(`generating ${o.target - state.generated} of ${o.target} requests (${list.length} traffic combos) over ${WINDOW_DAYS} days ending ${state.windowEnd}, ${o.batchSize} per statement`);

  const seconds = WINDOW_DAYS * 86_400;
  let rows = 0;
  const started = Date.now();
  while (state.generated < o.target) {
    const from = state.generated;
    const to = Math.min(o.target, from + o.batchSize);
    const t0 = Date.now();
    const current = state;
    const result = await db.withSession(async (s): Promise<{ calls: number; feedback: number; next: BenchState }> => {
      await s.query("begin");
      await s.query("select setseed($1)", [((from / o.target) * 2 - 1) * 0.999]);
      const [r] = await s.query<{ calls: number; feedback: number }>(BATCH, [from, to, o.target, windowStart.toISOString(), seconds, o.feedbackShare]);
      const next: BenchState = { ...current, generated: to, batches: current.batches + 1, generationMs: current.generationMs + (Date.now() - t0) };
      await s.query(
        "insert into public.instance_secrets (name, value) values ($1, $2) on conflict (name) do update set value = excluded.value",
        [MARKER, JSON.stringify(next)],
      );
      await s.query("commit");
      return { calls: r?.calls ?? 0, feedback: r?.feedback ?? 0, next };
    });
    state = result.next;
    rows += result.calls;
    const secs = (Date.now() - started) / 1000;
    o.log(`${state.generated.toLocaleString("en")} / ${o.target.toLocaleString("en")} requests, ${rows.toLocaleString("en")} call rows this run ` +
      `(batch ${((Date.now() - t0) / 1000).toFixed(1)} s, ${Math.round(rows / secs).toLocaleString("en")} rows/s, ${result.feedback} feedback)`);
  }
  await writeState(k, state);
  o.log("vacuum (analyze)");
  await analyze(k);
  return state;
}

/** What autovacuum does to an append-only table soon after a load: statistics and the visibility map. */
export async function analyze(db: Kysely<DB>): Promise<void> {
  await sql`vacuum (analyze) public.llm_calls, public.llm_call_daily, public.production_feedback`.execute(db);
}

export async function sizes(db: Kysely<DB>): Promise<Record<string, string | number>> {
  const { rows } = await sql<{ calls: number; rollup_rows: number; feedback: number; calls_size: string; rollup_size: string; feedback_size: string }>`
    select (select count(*) from public.llm_calls)::bigint as calls,
           (select count(*) from public.llm_call_daily)::bigint as rollup_rows,
           (select count(*) from public.production_feedback)::bigint as feedback,
           pg_size_pretty((select sum(pg_total_relation_size(inhrelid)) from pg_inherits where inhparent = 'public.llm_calls'::regclass)) as calls_size,
           pg_size_pretty(pg_total_relation_size('public.llm_call_daily')) as rollup_size,
           pg_size_pretty(pg_total_relation_size('public.production_feedback')) as feedback_size`.execute(db);
  return rows[0] ?? {};
}
