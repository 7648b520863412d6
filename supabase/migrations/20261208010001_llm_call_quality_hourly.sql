-- Hourly completeness rollups (issue 12: Completeness counts days of the reporting time zone).
-- llm_call_daily and llm_call_incomplete_daily are keyed by UTC day, so they answer exactly only
-- for zones whose days are UTC days. Every zone with a whole-hour offset (Europe/Amsterdam,
-- America/New_York…, DST included) has its day boundaries on UTC hours: these two tables answer
-- those exactly without reading the ledger (lib/db/completeness.ts sums hours between the zone's
-- midnights, like lib/db/costs.ts with llm_call_hourly). Only the counters Completeness reads,
-- with the very definitions of the daily rollups (20261124000300_llm_calls.sql and
-- 20261206011000_refused_calls.sql); one statement-level trigger function keeps both, so a
-- repricing (UPDATE of cost) or a delete moves the counts too. A separate table rather than new
-- columns on llm_call_hourly: the Costs path keeps its narrow rows.

create table public.llm_call_quality_hourly (
  hour timestamptz not null,
  organization_id uuid,
  provider_code text,
  model_code text,
  pipeline_stage text,
  request_type text,
  calls bigint not null default 0,
  failed_calls bigint not null default 0,
  complete_calls bigint not null default 0,
  calls_with_tokens bigint not null default 0,
  calls_with_cost bigint not null default 0,
  fallback_priced_calls bigint not null default 0,
  constraint llm_call_quality_hourly_key unique nulls not distinct
    (hour, organization_id, provider_code, model_code, pipeline_stage, request_type)
);
alter table public.llm_call_quality_hourly enable row level security;
create index llm_call_quality_hourly_org_hour_idx on public.llm_call_quality_hourly (organization_id, hour);
create index llm_call_quality_hourly_hour_idx on public.llm_call_quality_hourly (hour);

create table public.llm_call_incomplete_hourly (
  hour timestamptz not null,
  organization_id uuid,
  app_id uuid,
  purpose text,
  calls bigint not null default 0,
  constraint llm_call_incomplete_hourly_key unique nulls not distinct (hour, organization_id, app_id, purpose)
);
alter table public.llm_call_incomplete_hourly enable row level security;
create index llm_call_incomplete_hourly_org_hour_idx on public.llm_call_incomplete_hourly (organization_id, hour);
create index llm_call_incomplete_hourly_hour_idx on public.llm_call_incomplete_hourly (hour);

create or replace function public.llm_calls_quality_hourly() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    insert into public.llm_call_quality_hourly as h (
      hour, organization_id, provider_code, model_code, pipeline_stage, request_type,
      calls, failed_calls, complete_calls, calls_with_tokens, calls_with_cost, fallback_priced_calls)
    select date_trunc('hour', o.created_at at time zone 'UTC') at time zone 'UTC', o.organization_id, o.provider_code, o.model_code,
      o.pipeline_stage, o.request_type,
      -count(*), -count(*) filter (where o.status = 'failed'), -count(*) filter (where o.record_complete),
      -count(o.total_tokens), -count(o.cost), -count(*) filter (where o.pricing_source = 'fallback')
    from old_rows o
    group by 1, 2, 3, 4, 5, 6
    on conflict on constraint llm_call_quality_hourly_key do update set
      calls = h.calls + excluded.calls, failed_calls = h.failed_calls + excluded.failed_calls,
      complete_calls = h.complete_calls + excluded.complete_calls, calls_with_tokens = h.calls_with_tokens + excluded.calls_with_tokens,
      calls_with_cost = h.calls_with_cost + excluded.calls_with_cost, fallback_priced_calls = h.fallback_priced_calls + excluded.fallback_priced_calls;
    insert into public.llm_call_incomplete_hourly as i (hour, organization_id, app_id, purpose, calls)
    select date_trunc('hour', o.created_at at time zone 'UTC') at time zone 'UTC', o.organization_id, o.app_id, o.purpose, -count(*)
    from old_rows o
    where not o.record_complete and not (o.status = 'failed' and o.provider_code is null)
    group by 1, 2, 3, 4
    on conflict on constraint llm_call_incomplete_hourly_key do update set calls = i.calls + excluded.calls;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into public.llm_call_quality_hourly as h (
      hour, organization_id, provider_code, model_code, pipeline_stage, request_type,
      calls, failed_calls, complete_calls, calls_with_tokens, calls_with_cost, fallback_priced_calls)
    select date_trunc('hour', n.created_at at time zone 'UTC') at time zone 'UTC', n.organization_id, n.provider_code, n.model_code,
      n.pipeline_stage, n.request_type,
      count(*), count(*) filter (where n.status = 'failed'), count(*) filter (where n.record_complete),
      count(n.total_tokens), count(n.cost), count(*) filter (where n.pricing_source = 'fallback')
    from new_rows n
    group by 1, 2, 3, 4, 5, 6
    on conflict on constraint llm_call_quality_hourly_key do update set
      calls = h.calls + excluded.calls, failed_calls = h.failed_calls + excluded.failed_calls,
      complete_calls = h.complete_calls + excluded.complete_calls, calls_with_tokens = h.calls_with_tokens + excluded.calls_with_tokens,
      calls_with_cost = h.calls_with_cost + excluded.calls_with_cost, fallback_priced_calls = h.fallback_priced_calls + excluded.fallback_priced_calls;
    insert into public.llm_call_incomplete_hourly as i (hour, organization_id, app_id, purpose, calls)
    select date_trunc('hour', n.created_at at time zone 'UTC') at time zone 'UTC', n.organization_id, n.app_id, n.purpose, count(*)
    from new_rows n
    where not n.record_complete and not (n.status = 'failed' and n.provider_code is null)
    group by 1, 2, 3, 4
    on conflict on constraint llm_call_incomplete_hourly_key do update set calls = i.calls + excluded.calls;
  end if;
  return null;
end $$;
revoke all on function public.llm_calls_quality_hourly() from public, anon, authenticated;

create trigger llm_calls_quality_hourly_insert after insert on public.llm_calls
  referencing new table as new_rows for each statement execute function public.llm_calls_quality_hourly();
create trigger llm_calls_quality_hourly_update after update on public.llm_calls
  referencing old table as old_rows new table as new_rows for each statement execute function public.llm_calls_quality_hourly();
create trigger llm_calls_quality_hourly_delete after delete on public.llm_calls
  referencing old table as old_rows for each statement execute function public.llm_calls_quality_hourly();

-- Existing calls (hours truncated in UTC, as in 20261207270001_llm_call_hourly.sql).
insert into public.llm_call_quality_hourly (
  hour, organization_id, provider_code, model_code, pipeline_stage, request_type,
  calls, failed_calls, complete_calls, calls_with_tokens, calls_with_cost, fallback_priced_calls)
select date_trunc('hour', c.created_at at time zone 'UTC') at time zone 'UTC', c.organization_id, c.provider_code, c.model_code,
  c.pipeline_stage, c.request_type,
  count(*), count(*) filter (where c.status = 'failed'), count(*) filter (where c.record_complete),
  count(c.total_tokens), count(c.cost), count(*) filter (where c.pricing_source = 'fallback')
from public.llm_calls c
group by 1, 2, 3, 4, 5, 6;
insert into public.llm_call_incomplete_hourly (hour, organization_id, app_id, purpose, calls)
select date_trunc('hour', c.created_at at time zone 'UTC') at time zone 'UTC', c.organization_id, c.app_id, c.purpose, count(*)
from public.llm_calls c
where not c.record_complete and not (c.status = 'failed' and c.provider_code is null)
group by 1, 2, 3, 4;

-- Read exactly like llm_call_daily: membership checked once per statement. No user role writes them.
create policy llm_call_quality_hourly_select on public.llm_call_quality_hourly for select to authenticated
  using (
    (select public.has_platform_role())
    or organization_id = any (array(select public.my_organization_ids()))
  );
revoke all on public.llm_call_quality_hourly from anon, authenticated;
grant select on public.llm_call_quality_hourly to authenticated;
grant all on public.llm_call_quality_hourly to service_role;

create policy llm_call_incomplete_hourly_select on public.llm_call_incomplete_hourly for select to authenticated
  using (
    (select public.has_platform_role())
    or organization_id = any (array(select public.my_organization_ids()))
  );
revoke all on public.llm_call_incomplete_hourly from anon, authenticated;
grant select on public.llm_call_incomplete_hourly to authenticated;
grant all on public.llm_call_incomplete_hourly to service_role;
