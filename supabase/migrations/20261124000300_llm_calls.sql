-- The ledger: one row per attempt, range-partitioned by month so retention is a DROP of old
-- partitions, plus daily rollups kept current by a statement trigger so dashboards never scan it.

create table public.llm_calls (
  id uuid not null default gen_random_uuid(),
  request_id uuid not null,
  attempt smallint not null default 1 check (attempt between 1 and 100),
  created_at timestamptz not null default now(),
  app_id uuid,
  organization_id uuid,
  user_ref text,
  action_type text,
  request_type text,
  pipeline_stage text,
  purpose text,
  query_pattern text,
  related_entity_type text,
  related_entity_id text,
  provider_id uuid,
  provider_code text,
  model_id uuid,
  model_code text,
  model_version text,
  prompt_tokens integer check (prompt_tokens >= 0),
  completion_tokens integer check (completion_tokens >= 0),
  cached_tokens integer check (cached_tokens >= 0),
  reasoning_tokens integer check (reasoning_tokens >= 0),
  total_tokens integer check (total_tokens >= 0),
  input_price_per_mtok numeric(20, 8),
  output_price_per_mtok numeric(20, 8),
  cached_input_price_per_mtok numeric(20, 8),
  cost numeric(24, 12),
  currency text check (currency ~ '^[A-Z]{3}$'),
  price_id uuid,
  pricing_source text check (pricing_source in ('database', 'fallback')),
  baseline_model_id uuid,
  baseline_cost numeric(24, 12),
  latency_ms integer check (latency_ms >= 0),
  ttft_ms integer check (ttft_ms >= 0),
  status text not null check (status in ('ok', 'failed')),
  error_type text,
  http_status smallint,
  routing_source text,
  config_id uuid,
  is_fallback boolean not null default false,
  streamed boolean not null default false,
  trace jsonb,
  prompt jsonb,
  completion text,
  -- Complete = attributable and priced: organization, stage, type, tokens and cost all present.
  record_complete boolean generated always as (
    organization_id is not null and pipeline_stage is not null and request_type is not null
    and total_tokens is not null and cost is not null
  ) stored,
  -- A cost without a pricing source is a silent guess: refuse it.
  constraint llm_calls_cost_has_source check (cost is null or (pricing_source is not null and currency is not null)),
  primary key (id, created_at),
  -- Idempotent recording: the same attempt of the same request lands once.
  unique (request_id, attempt, created_at)
) partition by range (created_at);
alter table public.llm_calls enable row level security;

create index llm_calls_org_created_idx on public.llm_calls (organization_id, created_at desc);
create index llm_calls_org_stage_idx on public.llm_calls (organization_id, pipeline_stage);
create index llm_calls_created_idx on public.llm_calls (created_at desc);
create index llm_calls_request_idx on public.llm_calls (request_id);
create index llm_calls_incomplete_idx on public.llm_calls (created_at) where not record_complete;

create table public.llm_calls_default partition of public.llm_calls default;
alter table public.llm_calls_default enable row level security;

-- Creates the monthly partitions covering [p_from, p_to]. Partitions get RLS and no user grants,
-- so the only way for a user to read calls is through the parent table's policies.
create or replace function public.ensure_llm_calls_partitions(p_from date, p_to date)
returns integer
language plpgsql security definer set search_path = '' as $$
declare
  m date := date_trunc('month', p_from)::date;
  created integer := 0;
  part text;
begin
  while m <= p_to loop
    part := format('llm_calls_%s', to_char(m, 'YYYY_MM'));
    if to_regclass('public.' || part) is null then
      execute format(
        'create table public.%I partition of public.llm_calls for values from (%L) to (%L)',
        part, (m::timestamp at time zone 'UTC'), ((m + interval '1 month')::timestamp at time zone 'UTC'));
      execute format('alter table public.%I enable row level security', part);
      execute format('revoke all on public.%I from anon, authenticated', part);
      execute format('grant all on public.%I to service_role', part);
      created := created + 1;
    end if;
    m := (m + interval '1 month')::date;
  end loop;
  return created;
end $$;
-- By name from anon and authenticated too: on Supabase they get EXECUTE on new functions by
-- default, and this one creates tables with the owner's rights.
revoke all on function public.ensure_llm_calls_partitions(date, date) from public, anon, authenticated;
grant execute on function public.ensure_llm_calls_partitions(date, date) to service_role;

select public.ensure_llm_calls_partitions((now() - interval '4 months')::date, (now() + interval '3 months')::date);

-- Daily rollup per (UTC day, organization, app, provider, model, stage, type, currency) --------
create table public.llm_call_daily (
  day date not null,
  organization_id uuid,
  app_id uuid,
  provider_code text,
  model_code text,
  pipeline_stage text,
  request_type text,
  currency text,
  calls bigint not null default 0,
  ok_calls bigint not null default 0,
  failed_calls bigint not null default 0,
  fallback_calls bigint not null default 0,
  complete_calls bigint not null default 0,
  calls_with_tokens bigint not null default 0,
  calls_with_cost bigint not null default 0,
  fallback_priced_calls bigint not null default 0,
  prompt_tokens bigint not null default 0,
  completion_tokens bigint not null default 0,
  cached_tokens bigint not null default 0,
  total_tokens bigint not null default 0,
  cost numeric(28, 12) not null default 0,
  baseline_cost numeric(28, 12) not null default 0,
  calls_with_baseline bigint not null default 0,
  latency_ms_sum bigint not null default 0,
  latency_count bigint not null default 0,
  updated_at timestamptz not null default now(),
  constraint llm_call_daily_key unique nulls not distinct
    (day, organization_id, app_id, provider_code, model_code, pipeline_stage, request_type, currency)
);
alter table public.llm_call_daily enable row level security;
create index llm_call_daily_org_day_idx on public.llm_call_daily (organization_id, day);
create index llm_call_daily_day_idx on public.llm_call_daily (day);

-- Applies a batch of inserted (+1) or removed (-1) rows to the rollup in one upsert.
-- The two upserts differ only in sign and source: a transition table exists only for the events
-- its trigger declares, so one statement over `old_rows union all new_rows` would fail to plan
-- for inserts and deletes.
create or replace function public.llm_calls_rollup() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    insert into public.llm_call_daily as d (
      day, organization_id, app_id, provider_code, model_code, pipeline_stage, request_type, currency,
      calls, ok_calls, failed_calls, fallback_calls, complete_calls, calls_with_tokens, calls_with_cost,
      fallback_priced_calls, prompt_tokens, completion_tokens, cached_tokens, total_tokens, cost,
      baseline_cost, calls_with_baseline, latency_ms_sum, latency_count)
    select (o.created_at at time zone 'UTC')::date, o.organization_id, o.app_id, o.provider_code, o.model_code,
      o.pipeline_stage, o.request_type, o.currency,
      -count(*), -count(*) filter (where o.status = 'ok'), -count(*) filter (where o.status = 'failed'),
      -count(*) filter (where o.is_fallback), -count(*) filter (where o.record_complete),
      -count(o.total_tokens), -count(o.cost), -count(*) filter (where o.pricing_source = 'fallback'),
      -coalesce(sum(o.prompt_tokens), 0), -coalesce(sum(o.completion_tokens), 0),
      -coalesce(sum(o.cached_tokens), 0), -coalesce(sum(o.total_tokens), 0),
      -coalesce(sum(o.cost), 0), -coalesce(sum(o.baseline_cost), 0), -count(o.baseline_cost),
      -coalesce(sum(o.latency_ms), 0), -count(o.latency_ms)
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
      updated_at = now();
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into public.llm_call_daily as d (
      day, organization_id, app_id, provider_code, model_code, pipeline_stage, request_type, currency,
      calls, ok_calls, failed_calls, fallback_calls, complete_calls, calls_with_tokens, calls_with_cost,
      fallback_priced_calls, prompt_tokens, completion_tokens, cached_tokens, total_tokens, cost,
      baseline_cost, calls_with_baseline, latency_ms_sum, latency_count)
    select (n.created_at at time zone 'UTC')::date, n.organization_id, n.app_id, n.provider_code, n.model_code,
      n.pipeline_stage, n.request_type, n.currency,
      count(*), count(*) filter (where n.status = 'ok'), count(*) filter (where n.status = 'failed'),
      count(*) filter (where n.is_fallback), count(*) filter (where n.record_complete),
      count(n.total_tokens), count(n.cost), count(*) filter (where n.pricing_source = 'fallback'),
      coalesce(sum(n.prompt_tokens), 0), coalesce(sum(n.completion_tokens), 0),
      coalesce(sum(n.cached_tokens), 0), coalesce(sum(n.total_tokens), 0),
      coalesce(sum(n.cost), 0), coalesce(sum(n.baseline_cost), 0), count(n.baseline_cost),
      coalesce(sum(n.latency_ms), 0), count(n.latency_ms)
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
      updated_at = now();
  end if;
  return null;
end $$;
revoke all on function public.llm_calls_rollup() from public, anon, authenticated;

create trigger llm_calls_rollup_insert after insert on public.llm_calls
  referencing new table as new_rows for each statement execute function public.llm_calls_rollup();
create trigger llm_calls_rollup_update after update on public.llm_calls
  referencing old table as old_rows new table as new_rows for each statement execute function public.llm_calls_rollup();
create trigger llm_calls_rollup_delete after delete on public.llm_calls
  referencing old table as old_rows for each statement execute function public.llm_calls_rollup();

-- policies: organization members read their calls and rollups; rows without an organization are
-- visible to platform-wide members only. No user role writes the ledger (append-only; the gateway
-- and repricing jobs use the service role).
create policy llm_calls_select on public.llm_calls for select to authenticated
  using (
    (organization_id is not null and public.has_org_role(organization_id))
    or (organization_id is null and (select public.has_platform_role()))
  );
create policy llm_call_daily_select on public.llm_call_daily for select to authenticated
  using (
    (organization_id is not null and public.has_org_role(organization_id))
    or (organization_id is null and (select public.has_platform_role()))
  );

revoke all on public.llm_calls, public.llm_calls_default, public.llm_call_daily from anon, authenticated;
grant select on public.llm_calls, public.llm_call_daily to authenticated;
grant all on public.llm_calls, public.llm_calls_default, public.llm_call_daily to service_role;
