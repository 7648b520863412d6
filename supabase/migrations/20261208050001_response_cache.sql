-- The per-tenant response cache (issue 13, "Response cache per tenant").
--
-- 1. The typed setting cache.ttl_seconds (int, 0 = off, at most 7 days): defined here with its
--    bounds so app and organization rows follow them; no row = off (lib/engine/settings.ts).
-- 2. llm_calls.cache_hit / cache_saved_cost: a hit is one ledger row of cost 0 priced by source
--    'cache', carrying what the original call cost (in its currency, the row's currency).
-- 3. llm_call_daily.cache_hits / cache_saved_cost, kept by the daily rollup (replaced below with
--    everything it did before, plus the two sums), so Savings reads "saved by cache" from rollups.
-- 4. response_cache: the Postgres store (unlogged: a crash empties a cache, harmlessly; service
--    role only, RLS on, no policies). The key is a SHA-256 digest that includes the organization,
--    so entries are never shared across organizations; organization_key ('' = none) and
--    expires_at let the gateway bound it per organization and overall (lib/db/response-cache.ts).
-- Forward-only.

insert into public.setting_definitions (key, value_type, min_value, max_value)
values ('cache.ttl_seconds', 'int', 0, 604800)
on conflict (key) do nothing;

alter table public.llm_calls drop constraint if exists llm_calls_pricing_source_check;
alter table public.llm_calls add constraint llm_calls_pricing_source_check
  check (pricing_source in ('database', 'fallback', 'cache'));
alter table public.llm_calls
  add column cache_hit boolean not null default false,
  add column cache_saved_cost numeric(24, 12);
-- A saved cost only on a hit, never negative, and a hit costs exactly 0 (priced by 'cache').
alter table public.llm_calls add constraint llm_calls_cache_saved_on_hit
  check ((cache_saved_cost is null or (cache_hit and cache_saved_cost >= 0))
     and (not cache_hit or (cost = 0 and pricing_source = 'cache')));

alter table public.llm_call_daily
  add column cache_hits bigint not null default 0,
  add column cache_saved_cost numeric(28, 12) not null default 0;

create or replace function public.llm_calls_rollup() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    insert into public.llm_call_daily as d (
      day, organization_id, app_id, provider_code, model_code, pipeline_stage, request_type, currency,
      calls, ok_calls, failed_calls, fallback_calls, complete_calls, calls_with_tokens, calls_with_cost,
      fallback_priced_calls, prompt_tokens, completion_tokens, cached_tokens, total_tokens, cost,
      baseline_cost, calls_with_baseline, latency_ms_sum, latency_count, cache_hits, cache_saved_cost)
    select (o.created_at at time zone 'UTC')::date, o.organization_id, o.app_id, o.provider_code, o.model_code,
      o.pipeline_stage, o.request_type, o.currency,
      -count(*), -count(*) filter (where o.status = 'ok'), -count(*) filter (where o.status = 'failed'),
      -count(*) filter (where o.is_fallback), -count(*) filter (where o.record_complete),
      -count(o.total_tokens), -count(o.cost), -count(*) filter (where o.pricing_source = 'fallback'),
      -coalesce(sum(o.prompt_tokens), 0), -coalesce(sum(o.completion_tokens), 0),
      -coalesce(sum(o.cached_tokens), 0), -coalesce(sum(o.total_tokens), 0),
      -coalesce(sum(o.cost), 0), -coalesce(sum(o.baseline_cost), 0), -count(o.baseline_cost),
      -coalesce(sum(o.latency_ms), 0), -count(o.latency_ms),
      -count(*) filter (where o.cache_hit), -coalesce(sum(o.cache_saved_cost), 0)
    from old_rows o
    group by 1, 2, 3, 4, 5, 6, 7, 8
    on conflict on constraint llm_call_daily_key do update set
      calls = d.calls + excluded.calls, ok_calls = d.ok_calls + excluded.ok_calls,
      failed_calls = d.failed_calls + excluded.failed_calls, fallback_calls = d.fallback_calls + excluded.fallback_calls,
      complete_calls = d.complete_calls + excluded.complete_calls,
      calls_with_tokens = d.calls_with_tokens + excluded.calls_with_tokens,
      calls_with_cost = d.calls_with_cost + excluded.calls_with_cost,
      fallback_priced_calls = d.fallback_priced_calls + excluded.fallback_priced_calls,
      prompt_tokens = d.prompt_tokens + excluded.prompt_tokens,
      completion_tokens = d.completion_tokens + excluded.completion_tokens,
      cached_tokens = d.cached_tokens + excluded.cached_tokens, total_tokens = d.total_tokens + excluded.total_tokens,
      cost = d.cost + excluded.cost, baseline_cost = d.baseline_cost + excluded.baseline_cost,
      calls_with_baseline = d.calls_with_baseline + excluded.calls_with_baseline,
      latency_ms_sum = d.latency_ms_sum + excluded.latency_ms_sum, latency_count = d.latency_count + excluded.latency_count,
      cache_hits = d.cache_hits + excluded.cache_hits, cache_saved_cost = d.cache_saved_cost + excluded.cache_saved_cost,
      updated_at = now();
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into public.llm_call_daily as d (
      day, organization_id, app_id, provider_code, model_code, pipeline_stage, request_type, currency,
      calls, ok_calls, failed_calls, fallback_calls, complete_calls, calls_with_tokens, calls_with_cost,
      fallback_priced_calls, prompt_tokens, completion_tokens, cached_tokens, total_tokens, cost,
      baseline_cost, calls_with_baseline, latency_ms_sum, latency_count, cache_hits, cache_saved_cost)
    select (n.created_at at time zone 'UTC')::date, n.organization_id, n.app_id, n.provider_code, n.model_code,
      n.pipeline_stage, n.request_type, n.currency,
      count(*), count(*) filter (where n.status = 'ok'), count(*) filter (where n.status = 'failed'),
      count(*) filter (where n.is_fallback), count(*) filter (where n.record_complete),
      count(n.total_tokens), count(n.cost), count(*) filter (where n.pricing_source = 'fallback'),
      coalesce(sum(n.prompt_tokens), 0), coalesce(sum(n.completion_tokens), 0),
      coalesce(sum(n.cached_tokens), 0), coalesce(sum(n.total_tokens), 0),
      coalesce(sum(n.cost), 0), coalesce(sum(n.baseline_cost), 0), count(n.baseline_cost),
      coalesce(sum(n.latency_ms), 0), count(n.latency_ms),
      count(*) filter (where n.cache_hit), coalesce(sum(n.cache_saved_cost), 0)
    from new_rows n
    group by 1, 2, 3, 4, 5, 6, 7, 8
    on conflict on constraint llm_call_daily_key do update set
      calls = d.calls + excluded.calls, ok_calls = d.ok_calls + excluded.ok_calls,
      failed_calls = d.failed_calls + excluded.failed_calls, fallback_calls = d.fallback_calls + excluded.fallback_calls,
      complete_calls = d.complete_calls + excluded.complete_calls,
      calls_with_tokens = d.calls_with_tokens + excluded.calls_with_tokens,
      calls_with_cost = d.calls_with_cost + excluded.calls_with_cost,
      fallback_priced_calls = d.fallback_priced_calls + excluded.fallback_priced_calls,
      prompt_tokens = d.prompt_tokens + excluded.prompt_tokens,
      completion_tokens = d.completion_tokens + excluded.completion_tokens,
      cached_tokens = d.cached_tokens + excluded.cached_tokens, total_tokens = d.total_tokens + excluded.total_tokens,
      cost = d.cost + excluded.cost, baseline_cost = d.baseline_cost + excluded.baseline_cost,
      calls_with_baseline = d.calls_with_baseline + excluded.calls_with_baseline,
      latency_ms_sum = d.latency_ms_sum + excluded.latency_ms_sum, latency_count = d.latency_count + excluded.latency_count,
      cache_hits = d.cache_hits + excluded.cache_hits, cache_saved_cost = d.cache_saved_cost + excluded.cache_saved_cost,
      updated_at = now();
  end if;
  return null;
end $$;
revoke all on function public.llm_calls_rollup() from public, anon, authenticated;

create unlogged table public.response_cache (
  key text primary key check (key ~ '^[0-9a-f]{64}$'),
  organization_key text not null,
  app_id uuid not null,
  entry text not null,
  bytes integer not null check (bytes >= 0),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index response_cache_org_expiry on public.response_cache (organization_key, expires_at);
create index response_cache_expiry on public.response_cache (expires_at);
alter table public.response_cache enable row level security;
-- No policies: only the gateway (service role) reads or writes it; entries hold answers.
revoke all on public.response_cache from anon, authenticated;
grant all on public.response_cache to service_role;
