import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import bcrypt from "bcryptjs";
import Decimal from "decimal.js";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { withUser } from "@/lib/db/rls";
import { fallbackPrice } from "@/lib/engine/fallback-prices";
import { resolveRoute } from "@/lib/engine/resolve";
import { buildSnapshot } from "@/lib/engine/snapshot";
import { loadSnapshotData } from "@/lib/gateway/config-cache";
import { seedDemo, type SeedResult } from "@/lib/db/seed/demo";
import { runSqlScript } from "@/lib/db/seed/script";
import { uniformFromMd5, uniformSql } from "@/lib/db/seed/sql-random";
import { databaseTargets, openMigrated } from "../helpers/databases";

// A pinned clock outside the partitions the migration creates, so the seeder must add its own.
const NOW = new Date("2026-03-15T12:00:00Z");
const DAYS = 90;
const PASSWORD = "correct-horse-battery";
const API_KEY = "llmcp_demo_0123456789abcdefghij";
const digests = new Map<string, string>();

type Row = Record<string, unknown>;
const rows = async (db: Database, text: string): Promise<Row[]> => (await sql.raw(text).execute(db.kysely)).rows as Row[];
const one = async (db: Database, text: string): Promise<Row> => (await rows(db, text))[0] ?? {};

describe.each(databaseTargets())("demo seed on $name", (target) => {
  let db: Database;
  let result: SeedResult;

  beforeAll(async () => {
    db = await openMigrated(target);
    const started = performance.now();
    result = await seedDemo(db.kysely, { password: PASSWORD, apiKey: API_KEY, days: DAYS, now: NOW, log: () => {} });
    console.info(`[demo-seed] ${target.name}: seeded ${result.calls} calls in ${Math.round(performance.now() - started)} ms`);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("seeds once; a second run is a no-op", async () => {
    expect(result.seeded).toBe(true);
    expect(result.generatedPassword).toBeUndefined();
    expect(result.calls).toBeGreaterThan(25_000);
    expect(result.calls).toBeLessThan(60_000);
    const before = await one(db, "select (select count(*) from llm_calls) as calls, (select count(*) from model_prices) as prices");
    const again = await seedDemo(db.kysely, { days: DAYS, now: NOW, log: () => {} });
    expect(again.seeded).toBe(false);
    expect(await one(db, "select (select count(*) from llm_calls) as calls, (select count(*) from model_prices) as prices")).toEqual(before);
  });

  it("honours DEMO_API_KEY on a later start of a seeded database: added once, pinned to the sandbox", async () => {
    const later = "llmcp_demo_later_key_0123456789ab";
    const hash = createHash("sha256").update(later).digest("hex");
    for (let i = 0; i < 2; i++) {
      const again = await seedDemo(db.kysely, { apiKey: later, days: DAYS, now: NOW, log: () => {} });
      expect(again.seeded).toBe(false);
    }
    const rows = await db.kysely
      .selectFrom("api_keys").innerJoin("organizations", "organizations.id", "api_keys.organization_id")
      .select(["organizations.slug", "api_keys.rate_limit_per_minute"]).where("api_keys.key_hash", "=", hash).execute();
    expect(rows).toEqual([{ slug: "sandbox", rate_limit_per_minute: 60 }]);
  });

  it("keeps supabase/seed.sql idempotent, even on a later day (supabase db reset runs it as is)", async () => {
    const catalog = await fs.readFile(path.join(process.cwd(), "supabase", "seed.sql"), "utf8");
    const count = `select (select count(*) from organizations) as orgs, (select count(*) from llm_models) as models,
      (select count(*) from model_prices) as prices, (select count(*) from llm_configurations) as configs,
      (select count(*) from app_configuration) as settings, (select count(*) from apps) as apps`;
    const before = await one(db, count);
    await db.kysely.transaction().execute((trx) => runSqlScript(trx, catalog, new Date(NOW.getTime() + 3 * 86_400_000)));
    await db.kysely.transaction().execute((trx) => runSqlScript(trx, catalog));
    expect(await one(db, count)).toEqual(before);
    // Embeddings (issue 10): 4 embedding models with their prices, 2 document_embedding rules;
    // the reporting time zone (issue 12) is the 13th setting, the response cache's TTL (issue 13) the 14th.
    expect(before).toEqual({ orgs: 4, models: 15, prices: 15, configs: 12, settings: 14, apps: 2 });
  });

  it("creates the catalog of the issue and seed 000", async () => {
    const orgs = await rows(db, "select slug, tier, budget_currency from organizations order by slug");
    expect(orgs.length).toBeGreaterThanOrEqual(3);
    expect(orgs).toContainEqual({ slug: "wvc", tier: "premium", budget_currency: "EUR" });
    expect(orgs.map((o) => o.slug)).toEqual(expect.arrayContaining(["acme", "globex"]));
    const providers = await rows(db, "select code, kind, api_key_env_var, base_url from llm_providers order by code");
    expect(providers.map((p) => p.code)).toEqual(["anthropic", "google", "mistral", "mock", "openai", "openrouter"]);
    expect(providers.find((p) => p.code === "mock")).toEqual({ code: "mock", kind: "mock", api_key_env_var: null, base_url: null });
    expect(providers.find((p) => p.code === "google")?.api_key_env_var).toBe("GOOGLE_API_KEY");
    const app = await one(db, `select b.model_code as baseline, l.model_code as legacy from apps a
      join llm_models b on b.id = a.baseline_model_id join llm_models l on l.id = a.legacy_model_id where a.code = 'werkbon-checker'`);
    expect(app).toEqual({ baseline: "claude-sonnet-4-20250514", legacy: "claude-sonnet-4-20250514" });
    expect(await one(db, "select count(*) as n from apps")).toEqual({ n: 2 });

    const prices = await rows(db, `select m.model_code, p.input_per_mtok::text as i, p.output_per_mtok::text as o, p.currency
      from model_prices p join llm_models m on m.id = p.model_id order by m.model_code, p.effective_from`);
    expect(prices).toContainEqual({ model_code: "mistral-large-latest", i: "0.80000000", o: "2.40000000", currency: "EUR" });
    expect(prices).toContainEqual({ model_code: "claude-sonnet-4-20250514", i: "3.00000000", o: "15.00000000", currency: "EUR" });
    expect(prices.find((p) => p.model_code === "gpt-4o")?.currency).toBe("USD");
    const history = await rows(db, `select p.effective_from from model_prices p join llm_models m on m.id = p.model_id
      where m.model_code = 'mistral-small-latest' order by p.effective_from`);
    expect(history).toHaveLength(2);
    expect((history[1]?.effective_from as Date).toISOString()).toBe("2026-01-29T00:00:00.000Z");
  });

  it("routes as seed 000: Mistral for classification, Claude for contracts, WVC overridden at 200", async () => {
    const configs = await rows(db, `select a.code as app, o.slug as org, c.action_type, m.model_code, c.priority
      from llm_configurations c join apps a on a.id = c.app_id join llm_models m on m.id = c.model_id
      left join organizations o on o.id = c.organization_id where a.code = 'werkbon-checker' and (o.slug is null or o.slug = 'wvc')`);
    expect(configs).toEqual(expect.arrayContaining([
      { app: "werkbon-checker", org: null, action_type: "werkbon_classification", model_code: "mistral-large-latest", priority: 100 },
      { app: "werkbon-checker", org: null, action_type: "contract_generation", model_code: "claude-sonnet-4-20250514", priority: 100 },
      { app: "werkbon-checker", org: "wvc", action_type: "werkbon_classification", model_code: "claude-sonnet-4-20250514", priority: 200 },
      { app: "werkbon-checker", org: null, action_type: "document_embedding", model_code: "text-embedding-3-small", priority: 100 },
    ]));
    expect(configs).toHaveLength(4);
    const wildcard = await one(db, `select m.model_code from llm_configurations c join apps a on a.id = c.app_id
      join llm_models m on m.id = c.model_id where a.code = 'student-assistant' and c.action_type = '*' and c.organization_id is null`);
    expect(wildcard.model_code).toBe("gpt-4o-mini");
  });

  it("routes embeddings by kind: the sandbox to the key-less mock-embed (the README example), others to OpenAI then Mistral", async () => {
    const snap = buildSnapshot((await loadSnapshotData(db.kysely)).data);
    const app = [...snap.appsById.values()].find((a) => a.code === "werkbon-checker")!;
    const route = (org: string, actionType: string, modelKind?: "embedding") =>
      resolveRoute(snap, { appId: app.id, organizationId: snap.organizationsBySlug.get(org)!.id, actionType, queryText: "", modelKind, at: NOW.getTime() });
    const codes = (d: ReturnType<typeof route>) => (d.ok ? [d.primary, ...d.fallbacks].map((t) => `${t.model.modelCode}:${t.model.kind}`) : d.error);
    expect(codes(route("sandbox", "document_embedding", "embedding"))).toEqual(["mock-embed:embedding"]);
    expect(codes(route("acme", "document_embedding", "embedding"))).toEqual(["text-embedding-3-small:embedding", "mistral-embed:embedding"]);
    // Chat is untouched, and never reaches an embedding model.
    expect(codes(route("sandbox", "werkbon_classification"))).toEqual(["mock-small:chat"]);
    expect(codes(route("acme", "document_embedding"))).toBe("no_route");
  });

  it("stores typed settings and resolves organization over app over global", async () => {
    const settings = await rows(db, "select key, value_type, value from app_configuration where scope = 'global' order by key");
    const byKey = new Map(settings.map((s) => [s.key, s]));
    expect(byKey.get("confidence_threshold")).toMatchObject({ value_type: "float", value: 0.85 });
    expect(byKey.get("max_batch_size")).toMatchObject({ value_type: "int", value: 100 });
    expect(byKey.get("feature_quick_classification")).toMatchObject({ value_type: "bool", value: true });
    expect(byKey.get("feature_contract_generation")).toMatchObject({ value_type: "bool", value: true });
    expect(byKey.get("routing.enabled")).toMatchObject({ value_type: "bool", value: true });
    expect(byKey.get("learning.min_confidence")).toMatchObject({ value_type: "string", value: "medium" });
    const resolved = await one(db, `select
        public.get_app_config('confidence_threshold', a.id, (select id from organizations where slug = 'wvc')) as wvc,
        public.get_app_config('confidence_threshold', a.id, (select id from organizations where slug = 'acme')) as acme,
        (select scope from public.resolve_app_config('routing.enabled', a.id, null)) as routing_scope
      from apps a where a.code = 'werkbon-checker'`);
    expect(resolved).toEqual({ wvc: 0.9, acme: 0.85, routing_scope: "app" });
  });

  it("creates the four users with bcrypt hashes and never stores the password", async () => {
    const users = await rows(db, `select u.email, u.encrypted_password, m.role, o.slug
      from auth.users u join memberships m on m.user_id = u.id left join organizations o on o.id = m.organization_id order by u.email`);
    expect(users.map(({ email, role, slug }) => ({ email, role, slug }))).toEqual([
      { email: "admin@example.com", role: "admin", slug: null },
      { email: "finance@example.com", role: "finance", slug: "acme" },
      { email: "orgadmin@example.com", role: "admin", slug: "acme" },
      { email: "viewer@example.com", role: "viewer", slug: "acme" },
    ]);
    for (const user of users) expect(await bcrypt.compare(PASSWORD, String(user.encrypted_password))).toBe(true);
    const leaks = await one(db, `select
      (select count(*) from auth.users u where u::text like '%${PASSWORD}%') as users,
      (select count(*) from audit_log a where a::text like '%${PASSWORD}%') as audit,
      (select count(*) from instance_secrets s where s::text like '%${PASSWORD}%') as secrets`);
    expect(leaks).toEqual({ users: 0, audit: 0, secrets: 0 });
    expect(await one(db, "select count(*) as n from profiles")).toEqual({ n: 4 });
    const key = await one(db, `select k.prefix, k.key_hash, k.name, k.rate_limit_per_minute, o.slug as organization
      from api_keys k left join organizations o on o.id = k.organization_id`);
    expect(key).toEqual({
      prefix: API_KEY.slice(0, 12), key_hash: createHash("sha256").update(API_KEY).digest("hex"), name: "Demo key",
      rate_limit_per_minute: 60, organization: "sandbox",
    });
  });

  it("records 90 days of calls with failures, fallbacks and incomplete records", async () => {
    const stats = await one(db, `select count(distinct (created_at at time zone 'UTC')::date) as days,
      min(created_at) > '${NOW.toISOString()}'::timestamptz - interval '${DAYS} days' as after_start,
      max(created_at) <= '${NOW.toISOString()}'::timestamptz as before_now,
      avg((status = 'failed')::int)::float8 as failed, avg((not record_complete)::int)::float8 as incomplete,
      count(*) filter (where pricing_source = 'fallback') as fallback_priced, count(distinct model_code) as models,
      count(distinct pipeline_stage) as stages, count(distinct request_type) as types,
      count(*) filter (where cost is not null and pricing_source is null) as cost_without_source,
      (select count(*) from llm_calls c
        where c.tableoid::regclass::text <> 'llm_calls_' || to_char(c.created_at at time zone 'UTC', 'YYYY_MM')) as in_default_partition
      from llm_calls`);
    expect(stats).toMatchObject({ days: DAYS, after_start: true, before_now: true, cost_without_source: 0, in_default_partition: 0 });
    expect(stats.failed).toBeGreaterThan(0.01);
    expect(stats.failed).toBeLessThan(0.04);
    expect(stats.incomplete).toBeGreaterThan(0.02);
    expect(stats.incomplete).toBeLessThan(0.08);
    expect(Number(stats.fallback_priced)).toBeGreaterThan(0);
    expect(Number(stats.models)).toBeGreaterThanOrEqual(6);
    expect(stats).toMatchObject({ stages: 5, types: 5 });

    const failed = await one(db, `select count(*) as n,
      count(*) filter (where f.prompt_tokens = 0 and f.total_tokens = 0 and f.cost = 0 and f.pricing_source = 'database') as zero_cost,
      count(*) filter (where r.status = 'ok' and r.attempt = 2 and (r.is_fallback = (r.model_code <> f.model_code))) as followed
      from llm_calls f left join llm_calls r on r.request_id = f.request_id and r.attempt = 2 where f.status = 'failed'`);
    expect(Number(failed.n)).toBeGreaterThan(0);
    expect(failed.zero_cost).toBe(failed.n);
    expect(failed.followed).toBe(failed.n);
    expect(Number((await one(db, "select count(*) as n from llm_calls where is_fallback")).n)).toBeGreaterThan(0);

    // Incompleteness is concentrated in a few purposes, so the completeness page has a story.
    const purposes = await rows(db, `select purpose, count(*) as n from llm_calls where not record_complete
      group by purpose order by n desc`);
    expect(purposes.map((p) => p.purpose)).toEqual(expect.arrayContaining(["nightly_reclassification", "legacy_chat", "prompt_experiment"]));
    expect(purposes).toHaveLength(3);
  });

  it("prices every call exactly from the price row in force (decimal.js recomputation)", async () => {
    const prices = await rows(db, `select id, model_id, input_per_mtok::text as i, output_per_mtok::text as o,
      cached_input_per_mtok::text as c, currency, effective_from from model_prices`);
    const sample = await rows(db, `select model_id, created_at, prompt_tokens, completion_tokens, cached_tokens,
        cost::text as cost, currency, price_id, pricing_source, input_price_per_mtok::text as i,
        output_price_per_mtok::text as o, cached_input_price_per_mtok::text as c
      from llm_calls where cost is not null order by md5(id::text) limit 400`);
    expect(sample.length).toBe(400);
    const mtok = new Decimal(1_000_000);
    for (const call of sample) {
      const at = (call.created_at as Date).getTime();
      let unit = { i: String(call.i), o: String(call.o), c: call.c === null ? null : String(call.c), currency: call.currency };
      if (call.pricing_source === "database") {
        const inForce = prices
          .filter((p) => p.model_id === call.model_id && (p.effective_from as Date).getTime() <= at)
          .sort((a, b) => (b.effective_from as Date).getTime() - (a.effective_from as Date).getTime())[0];
        expect(inForce?.id).toBe(call.price_id);
        unit = { i: String(inForce?.i), o: String(inForce?.o), c: inForce?.c === null ? null : String(inForce?.c), currency: inForce?.currency };
      } else {
        expect(call.pricing_source).toBe("fallback");
        expect(call.price_id).toBeNull();
      }
      expect(call.currency).toBe(unit.currency);
      const prompt = new Decimal(Number(call.prompt_tokens));
      const cached = new Decimal(Number(call.cached_tokens));
      const expected = prompt.minus(cached).times(unit.i)
        .plus(cached.times(unit.c ?? unit.i))
        .plus(new Decimal(Number(call.completion_tokens)).times(unit.o))
        .div(mtok);
      expect(new Decimal(String(call.cost)).equals(expected.toDecimalPlaces(12))).toBe(true);
    }
    // The price change 45 days back is visible in the calls.
    const used = await one(db, `select count(distinct c.price_id) as n from llm_calls c where c.model_code = 'mistral-small-latest'`);
    expect(used.n).toBe(2);
  });

  it("seeds Anthropic cache-write prices at 1.25x input, like the fallback table; none elsewhere", async () => {
    const seeded = await rows(db, `select p.code as provider, m.model_code, mp.input_per_mtok::text as i, mp.cache_write_per_mtok::text as w
      from model_prices mp join llm_models m on m.id = mp.model_id join llm_providers p on p.id = m.provider_id where mp.source = 'seed'`);
    const anthropic = seeded.filter((r) => r.provider === "anthropic");
    expect(anthropic.map((r) => r.model_code).sort()).toEqual(["claude-3-5-haiku-20241022", "claude-sonnet-4-20250514"]);
    for (const r of anthropic) {
      expect(new Decimal(String(r.w)).equals(new Decimal(String(r.i)).times("1.25")), String(r.model_code)).toBe(true);
      expect(fallbackPrice(String(r.model_code))?.cacheWritePerMtok, String(r.model_code)).toBe(new Decimal(String(r.w)).toFixed(2));
    }
    expect(seeded.filter((r) => r.provider !== "anthropic" && r.w !== null)).toEqual([]);
  });

  it("keeps llm_call_daily equal to the ledger and never mixes currencies", async () => {
    const mismatches = await one(db, `with ledger as (
        select (created_at at time zone 'UTC')::date as day, organization_id, app_id, provider_code, model_code,
               pipeline_stage, request_type, currency, count(*) as calls, count(*) filter (where status = 'failed') as failed,
               count(*) filter (where record_complete) as complete, coalesce(sum(cost), 0) as cost,
               coalesce(sum(baseline_cost), 0) as baseline_cost, coalesce(sum(total_tokens), 0) as total_tokens,
               coalesce(sum(prompt_tokens), 0) as prompt_tokens, coalesce(sum(cached_tokens), 0) as cached_tokens
        from llm_calls group by 1, 2, 3, 4, 5, 6, 7, 8),
      rollup as (
        select day, organization_id, app_id, provider_code, model_code, pipeline_stage, request_type, currency,
               calls, failed_calls, complete_calls, cost, baseline_cost, total_tokens, prompt_tokens, cached_tokens
        from llm_call_daily)
      select (select count(*) from (select * from ledger except select * from rollup) a) as missing,
             (select count(*) from (select * from rollup except select * from ledger) b) as extra,
             (select count(*) from rollup) as rollup_rows`);
    expect(mismatches).toMatchObject({ missing: 0, extra: 0 });
    expect(Number(mismatches.rollup_rows)).toBeGreaterThan(1000);
    const mixing = await one(db, `select
      (select count(*) from llm_call_daily where calls_with_cost > 0 and currency is null) as costed_without_currency,
      (select count(*) from (select model_code from llm_calls where currency is not null group by model_code
                             having count(distinct currency) > 1) m) as models_in_two_currencies`);
    expect(mixing).toEqual({ costed_without_currency: 0, models_in_two_currencies: 0 });
  });

  it("adds feedback on about a tenth of the answered requests, copied from the call", async () => {
    const fb = await one(db, `select count(*) as n, min(quality_score) as lo, max(quality_score) as hi,
      count(*) filter (where f.source <> 'seed') as not_seed,
      count(*) filter (where c.request_id is null or f.model_code is distinct from c.model_code
        or f.organization_id is distinct from c.organization_id or f.query_pattern is distinct from c.query_pattern
        or f.action_type is distinct from c.action_type or f.created_at < c.created_at) as mismatched,
      (select count(*) from llm_calls where status = 'ok') as ok_calls
      from production_feedback f left join llm_calls c on c.request_id = f.request_id and c.status = 'ok'`);
    expect(fb).toMatchObject({ lo: 1, hi: 5, not_seed: 0, mismatched: 0 });
    const share = Number(fb.n) / Number(fb.ok_calls);
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);
    // Claude scores above the cheap models on classification: something for learning to find.
    const scores = await rows(db, `select model_code, avg(quality_score)::float8 as avg from production_feedback
      where query_pattern = 'code' or model_code = 'claude-sonnet-4-20250514' group by model_code`);
    const claude = scores.find((s) => s.model_code === "claude-sonnet-4-20250514")?.avg as number;
    const mini = scores.find((s) => s.model_code === "gpt-4o-mini")?.avg as number;
    expect(claude).toBeGreaterThan(mini);
  });

  it("shows a scoped viewer only their organization's rollups (RLS)", async () => {
    const viewer = await one(db, "select id from auth.users where email = 'viewer@example.com'");
    const seen = await withUser(db, { sub: String(viewer.id), role: "authenticated", email: "viewer@example.com" }, async (tx) => {
      const { rows: r } = await sql<{ slug: string | null; n: number }>`select o.slug, count(*) as n from llm_call_daily d
        left join organizations o on o.id = d.organization_id group by o.slug`.execute(tx);
      return r;
    });
    expect(seen.map((r) => r.slug)).toEqual(["acme"]);
  });

  it("draws the same pseudo-random numbers in SQL as in TypeScript, and the same data everywhere", async () => {
    const hex = createHash("md5").update("demo").digest("hex");
    const { u } = await one(db, `select ${uniformSql("md5('demo')", 2)} as u`);
    expect(u).toBe(uniformFromMd5(hex, 2));
    const digest = await one(db, `select count(*) as calls, sum(cost)::text as cost, sum(total_tokens) as tokens,
      sum(latency_ms) as latency, (select count(*) from production_feedback) as feedback from llm_calls`);
    digests.set(target.name, JSON.stringify(digest));
    // Same clock, same data: PGlite and PostgreSQL agree when both ran.
    expect(new Set(digests.values()).size).toBe(1);
  });
});
