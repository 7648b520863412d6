-- Spend per UTC hour × organization × API key × currency (issue 16: budget spend from rollups).
-- Budgets per key (lib/db/budget-spend.ts) summed their window from llm_calls, which the gateway
-- re-reads every 15 s per budget in use per instance: a scan of millions of rows a month. The
-- whole UTC hours of a window now come from this table (per key), llm_call_statement_hourly (per
-- app) and llm_call_hourly (per organization); only the partial hours at a window's edges (zones
-- with a half- or quarter-hour offset) still read the ledger, less than an hour at each end.
-- Kept exact by statement-level triggers of the same pattern as llm_call_statement_hourly
-- (20261208030001): old rows subtracted, new rows added, so INSERT, UPDATE (repricing) and DELETE
-- move the amounts. calls_with_cost tells a currency whose calls all lack a cost (no spend) from
-- one whose priced calls sum to 0 (cache hits). Forward-only.

create table public.llm_call_key_hourly (
  hour timestamptz not null,
  organization_id uuid,
  api_key_id uuid,
  currency text,
  calls bigint not null default 0,
  calls_with_cost bigint not null default 0,
  cost numeric(28, 12) not null default 0,
  -- Ordered for the read (organization, key, hour range): the key's own index serves it, so the
  -- triggers maintain a single index.
  constraint llm_call_key_hourly_key unique nulls not distinct (organization_id, api_key_id, hour, currency)
);
alter table public.llm_call_key_hourly enable row level security;

create or replace function public.llm_calls_rollup_key_hourly() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    insert into public.llm_call_key_hourly as h (hour, organization_id, api_key_id, currency, calls, calls_with_cost, cost)
    select date_trunc('hour', o.created_at at time zone 'UTC') at time zone 'UTC', o.organization_id, o.api_key_id, o.currency,
      -count(*), -count(o.cost), -coalesce(sum(o.cost), 0)
    from old_rows o
    group by 1, 2, 3, 4
    on conflict on constraint llm_call_key_hourly_key do update set
      calls = h.calls + excluded.calls, calls_with_cost = h.calls_with_cost + excluded.calls_with_cost, cost = h.cost + excluded.cost;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into public.llm_call_key_hourly as h (hour, organization_id, api_key_id, currency, calls, calls_with_cost, cost)
    select date_trunc('hour', n.created_at at time zone 'UTC') at time zone 'UTC', n.organization_id, n.api_key_id, n.currency,
      count(*), count(n.cost), coalesce(sum(n.cost), 0)
    from new_rows n
    group by 1, 2, 3, 4
    on conflict on constraint llm_call_key_hourly_key do update set
      calls = h.calls + excluded.calls, calls_with_cost = h.calls_with_cost + excluded.calls_with_cost, cost = h.cost + excluded.cost;
  end if;
  return null;
end $$;
revoke all on function public.llm_calls_rollup_key_hourly() from public, anon, authenticated;

create trigger llm_calls_rollup_key_hourly_insert after insert on public.llm_calls
  referencing new table as new_rows for each statement execute function public.llm_calls_rollup_key_hourly();
create trigger llm_calls_rollup_key_hourly_update after update on public.llm_calls
  referencing old table as old_rows new table as new_rows for each statement execute function public.llm_calls_rollup_key_hourly();
create trigger llm_calls_rollup_key_hourly_delete after delete on public.llm_calls
  referencing old table as old_rows for each statement execute function public.llm_calls_rollup_key_hourly();

-- Existing calls. Hours are truncated in UTC (date_trunc on a timestamptz would use the session's zone).
insert into public.llm_call_key_hourly (hour, organization_id, api_key_id, currency, calls, calls_with_cost, cost)
select date_trunc('hour', c.created_at at time zone 'UTC') at time zone 'UTC', c.organization_id, c.api_key_id, c.currency,
  count(*), count(c.cost), coalesce(sum(c.cost), 0)
from public.llm_calls c
group by 1, 2, 3, 4;

-- Read like llm_call_hourly and the ledger itself (20261124000900_dashboard_read_paths.sql):
-- members of the organization, membership checked once per statement. No user role writes it.
create policy llm_call_key_hourly_select on public.llm_call_key_hourly for select to authenticated
  using (
    (select public.has_platform_role())
    or organization_id = any (array(select public.my_organization_ids()))
  );
revoke all on public.llm_call_key_hourly from anon, authenticated;
grant select on public.llm_call_key_hourly to authenticated;
grant all on public.llm_call_key_hourly to service_role;
