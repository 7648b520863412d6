-- Hourly savings rollup (issues 12 and 13: Savings in the reporting time zone, over years).
-- Savings compares each rollup group's cost with its baseline cost, and "saved by cache" sums the
-- cache hits' saved cost. llm_call_daily answers both for zones whose days are UTC days; other
-- zones read the ledger, which loses its old months to retention (ledger.retention_months) while
-- Costs, from llm_call_hourly, keeps them: two pages, two answers for one old month. This table
-- answers every zone with whole-hour offsets exactly, like llm_call_hourly does for Costs:
-- lib/db/savings.ts and lib/db/cache-savings.ts sum its hours between the zone's midnights.
-- Keyed like llm_call_daily (app, provider, model, stage, type, currency) with the UTC hour
-- instead of the day, because Savings decides per group whether every priced call has a
-- baseline; only the columns those two pages read. Kept by statement-level triggers of the same
-- pattern as 20261207270001, so a repricing (UPDATE of cost) or a delete moves the amounts too.

create table public.llm_call_savings_hourly (
  hour timestamptz not null,
  organization_id uuid,
  app_id uuid,
  provider_code text,
  model_code text,
  pipeline_stage text,
  request_type text,
  currency text,
  calls bigint not null default 0,
  calls_with_cost bigint not null default 0,
  calls_with_baseline bigint not null default 0,
  cost numeric(28, 12) not null default 0,
  baseline_cost numeric(28, 12) not null default 0,
  cache_hits bigint not null default 0,
  cache_saved_cost numeric(28, 12) not null default 0,
  constraint llm_call_savings_hourly_key unique nulls not distinct
    (hour, organization_id, app_id, provider_code, model_code, pipeline_stage, request_type, currency)
);
alter table public.llm_call_savings_hourly enable row level security;
create index llm_call_savings_hourly_org_hour_idx on public.llm_call_savings_hourly (organization_id, hour);
create index llm_call_savings_hourly_hour_idx on public.llm_call_savings_hourly (hour);

create or replace function public.llm_calls_rollup_savings_hourly() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    insert into public.llm_call_savings_hourly as h (
      hour, organization_id, app_id, provider_code, model_code, pipeline_stage, request_type, currency,
      calls, calls_with_cost, calls_with_baseline, cost, baseline_cost, cache_hits, cache_saved_cost)
    select date_trunc('hour', o.created_at at time zone 'UTC') at time zone 'UTC', o.organization_id, o.app_id, o.provider_code,
      o.model_code, o.pipeline_stage, o.request_type, o.currency,
      -count(*), -count(o.cost), -count(o.baseline_cost), -coalesce(sum(o.cost), 0), -coalesce(sum(o.baseline_cost), 0),
      -count(*) filter (where o.cache_hit), -coalesce(sum(o.cache_saved_cost), 0)
    from old_rows o
    group by 1, 2, 3, 4, 5, 6, 7, 8
    on conflict on constraint llm_call_savings_hourly_key do update set
      calls = h.calls + excluded.calls, calls_with_cost = h.calls_with_cost + excluded.calls_with_cost,
      calls_with_baseline = h.calls_with_baseline + excluded.calls_with_baseline, cost = h.cost + excluded.cost,
      baseline_cost = h.baseline_cost + excluded.baseline_cost, cache_hits = h.cache_hits + excluded.cache_hits,
      cache_saved_cost = h.cache_saved_cost + excluded.cache_saved_cost;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into public.llm_call_savings_hourly as h (
      hour, organization_id, app_id, provider_code, model_code, pipeline_stage, request_type, currency,
      calls, calls_with_cost, calls_with_baseline, cost, baseline_cost, cache_hits, cache_saved_cost)
    select date_trunc('hour', n.created_at at time zone 'UTC') at time zone 'UTC', n.organization_id, n.app_id, n.provider_code,
      n.model_code, n.pipeline_stage, n.request_type, n.currency,
      count(*), count(n.cost), count(n.baseline_cost), coalesce(sum(n.cost), 0), coalesce(sum(n.baseline_cost), 0),
      count(*) filter (where n.cache_hit), coalesce(sum(n.cache_saved_cost), 0)
    from new_rows n
    group by 1, 2, 3, 4, 5, 6, 7, 8
    on conflict on constraint llm_call_savings_hourly_key do update set
      calls = h.calls + excluded.calls, calls_with_cost = h.calls_with_cost + excluded.calls_with_cost,
      calls_with_baseline = h.calls_with_baseline + excluded.calls_with_baseline, cost = h.cost + excluded.cost,
      baseline_cost = h.baseline_cost + excluded.baseline_cost, cache_hits = h.cache_hits + excluded.cache_hits,
      cache_saved_cost = h.cache_saved_cost + excluded.cache_saved_cost;
  end if;
  return null;
end $$;
revoke all on function public.llm_calls_rollup_savings_hourly() from public, anon, authenticated;

create trigger llm_calls_rollup_savings_hourly_insert after insert on public.llm_calls
  referencing new table as new_rows for each statement execute function public.llm_calls_rollup_savings_hourly();
create trigger llm_calls_rollup_savings_hourly_update after update on public.llm_calls
  referencing old table as old_rows new table as new_rows for each statement execute function public.llm_calls_rollup_savings_hourly();
create trigger llm_calls_rollup_savings_hourly_delete after delete on public.llm_calls
  referencing old table as old_rows for each statement execute function public.llm_calls_rollup_savings_hourly();

-- Existing calls, hours truncated in UTC (see 20261207270001).
insert into public.llm_call_savings_hourly (
  hour, organization_id, app_id, provider_code, model_code, pipeline_stage, request_type, currency,
  calls, calls_with_cost, calls_with_baseline, cost, baseline_cost, cache_hits, cache_saved_cost)
select date_trunc('hour', c.created_at at time zone 'UTC') at time zone 'UTC', c.organization_id, c.app_id, c.provider_code,
  c.model_code, c.pipeline_stage, c.request_type, c.currency,
  count(*), count(c.cost), count(c.baseline_cost), coalesce(sum(c.cost), 0), coalesce(sum(c.baseline_cost), 0),
  count(*) filter (where c.cache_hit), coalesce(sum(c.cache_saved_cost), 0)
from public.llm_calls c
group by 1, 2, 3, 4, 5, 6, 7, 8;

-- Read like llm_call_daily: membership checked once per statement; no user role writes it.
create policy llm_call_savings_hourly_select on public.llm_call_savings_hourly for select to authenticated
  using (
    (select public.has_platform_role())
    or organization_id = any (array(select public.my_organization_ids()))
  );
revoke all on public.llm_call_savings_hourly from anon, authenticated;
grant select on public.llm_call_savings_hourly to authenticated;
grant all on public.llm_call_savings_hourly to service_role;
