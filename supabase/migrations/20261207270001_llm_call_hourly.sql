-- Hourly cost rollup (issue 12 item 4: date ranges in a reporting time zone).
-- llm_call_daily is keyed by UTC day, so it answers exactly only for zones whose days are UTC
-- days. Every zone with a whole-hour offset (Europe/Amsterdam, America/New_York…, DST included)
-- has day boundaries on UTC hours, so an hourly rollup answers those exactly without reading the
-- ledger: lib/db/costs.ts sums hours between the zone's midnights. Narrow on purpose: only what
-- the Costs page and its CSV read (no app, tokens or latency), kept by the same kind of
-- statement-level triggers as llm_call_daily, so a repricing (UPDATE of cost) moves amounts too.

create table public.llm_call_hourly (
  hour timestamptz not null,
  organization_id uuid,
  provider_code text,
  model_code text,
  pipeline_stage text,
  request_type text,
  currency text,
  calls bigint not null default 0,
  calls_with_cost bigint not null default 0,
  cost numeric(28, 12) not null default 0,
  constraint llm_call_hourly_key unique nulls not distinct
    (hour, organization_id, provider_code, model_code, pipeline_stage, request_type, currency)
);
alter table public.llm_call_hourly enable row level security;
create index llm_call_hourly_org_hour_idx on public.llm_call_hourly (organization_id, hour);
create index llm_call_hourly_hour_idx on public.llm_call_hourly (hour);

create or replace function public.llm_calls_rollup_hourly() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    insert into public.llm_call_hourly as h (
      hour, organization_id, provider_code, model_code, pipeline_stage, request_type, currency, calls, calls_with_cost, cost)
    select date_trunc('hour', o.created_at at time zone 'UTC') at time zone 'UTC', o.organization_id, o.provider_code, o.model_code, o.pipeline_stage,
      o.request_type, o.currency, -count(*), -count(o.cost), -coalesce(sum(o.cost), 0)
    from old_rows o
    group by 1, 2, 3, 4, 5, 6, 7
    on conflict on constraint llm_call_hourly_key do update set
      calls = h.calls + excluded.calls, calls_with_cost = h.calls_with_cost + excluded.calls_with_cost,
      cost = h.cost + excluded.cost;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into public.llm_call_hourly as h (
      hour, organization_id, provider_code, model_code, pipeline_stage, request_type, currency, calls, calls_with_cost, cost)
    select date_trunc('hour', n.created_at at time zone 'UTC') at time zone 'UTC', n.organization_id, n.provider_code, n.model_code, n.pipeline_stage,
      n.request_type, n.currency, count(*), count(n.cost), coalesce(sum(n.cost), 0)
    from new_rows n
    group by 1, 2, 3, 4, 5, 6, 7
    on conflict on constraint llm_call_hourly_key do update set
      calls = h.calls + excluded.calls, calls_with_cost = h.calls_with_cost + excluded.calls_with_cost,
      cost = h.cost + excluded.cost;
  end if;
  return null;
end $$;
revoke all on function public.llm_calls_rollup_hourly() from public, anon, authenticated;

create trigger llm_calls_rollup_hourly_insert after insert on public.llm_calls
  referencing new table as new_rows for each statement execute function public.llm_calls_rollup_hourly();
create trigger llm_calls_rollup_hourly_update after update on public.llm_calls
  referencing old table as old_rows new table as new_rows for each statement execute function public.llm_calls_rollup_hourly();
create trigger llm_calls_rollup_hourly_delete after delete on public.llm_calls
  referencing old table as old_rows for each statement execute function public.llm_calls_rollup_hourly();

-- Existing calls. Hours are truncated in UTC (date_trunc on a timestamptz would use the session's
-- zone, which for a half-hour zone is not a UTC hour).
insert into public.llm_call_hourly (
  hour, organization_id, provider_code, model_code, pipeline_stage, request_type, currency, calls, calls_with_cost, cost)
select date_trunc('hour', c.created_at at time zone 'UTC') at time zone 'UTC', c.organization_id, c.provider_code, c.model_code, c.pipeline_stage,
  c.request_type, c.currency, count(*), count(c.cost), coalesce(sum(c.cost), 0)
from public.llm_calls c
group by 1, 2, 3, 4, 5, 6, 7;

-- Read exactly like llm_call_daily (20261124000900_dashboard_read_paths.sql): membership checked
-- once per statement. No user role writes it.
create policy llm_call_hourly_select on public.llm_call_hourly for select to authenticated
  using (
    (select public.has_platform_role())
    or organization_id = any (array(select public.my_organization_ids()))
  );
revoke all on public.llm_call_hourly from anon, authenticated;
grant select on public.llm_call_hourly to authenticated;
grant all on public.llm_call_hourly to service_role;
