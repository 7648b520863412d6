-- Client statements (issue 13): billing terms per organization, a client price list per model,
-- the statement rollup, and closed statements with their frozen lines. Forward-only.
--
-- Reading: finance and admins of an organization (and every platform-wide member) read its terms,
-- prices and statements; viewers do not. Writing: platform admins only, every write audited by
-- audit_config_change(). A closed statement never changes: its lines can be added only in the
-- transaction that closed it (closed_at = now()), never updated, and deleted only once the
-- statement has been reopened (lib/db/statements-close.ts).

-- billing terms ----------------------------------------------------------------------------------
create table public.billing_terms (
  organization_id uuid primary key references public.organizations (id) on delete cascade,
  -- null = the reporting currency (reporting.currency) at the time a statement is computed.
  billing_currency text check (billing_currency ~ '^[A-Z]{3}$'),
  markup_pct numeric(9, 4) not null default 0 check (markup_pct >= 0 and markup_pct <= 10000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table public.billing_terms enable row level security;
create trigger billing_terms_updated_at before update on public.billing_terms
  for each row execute function public.set_updated_at();

-- client price list: overrides the markup for one model from effective_from (00:00 UTC) on ---------
create table public.client_prices (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  model_id uuid not null references public.llm_models (id) on delete restrict,
  input_per_mtok numeric(20, 8) not null check (input_per_mtok >= 0),
  output_per_mtok numeric(20, 8) not null check (output_per_mtok >= 0),
  -- null = the input price (as model_prices).
  cached_input_per_mtok numeric(20, 8) check (cached_input_per_mtok is null or cached_input_per_mtok >= 0),
  cache_write_per_mtok numeric(20, 8) check (cache_write_per_mtok is null or cache_write_per_mtok >= 0),
  cache_write_1h_per_mtok numeric(20, 8) check (cache_write_1h_per_mtok is null or cache_write_1h_per_mtok >= 0),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  effective_from date not null,
  created_at timestamptz not null default now(),
  unique (organization_id, model_id, effective_from)
);
alter table public.client_prices enable row level security;
create index client_prices_org_idx on public.client_prices (organization_id);

-- statement rollup: per UTC hour × organization × app × provider × model × action × currency ------
create table public.llm_call_statement_hourly (
  hour timestamptz not null,
  organization_id uuid,
  app_id uuid,
  provider_code text,
  model_code text,
  action_type text,
  currency text,
  calls bigint not null default 0,
  calls_without_cost bigint not null default 0,
  prompt_tokens bigint not null default 0,
  completion_tokens bigint not null default 0,
  cached_tokens bigint not null default 0,
  reasoning_tokens bigint not null default 0,
  cache_write_5m_tokens bigint not null default 0,
  cache_write_1h_tokens bigint not null default 0,
  cost numeric(28, 12) not null default 0,
  constraint llm_call_statement_hourly_key unique nulls not distinct
    (hour, organization_id, app_id, provider_code, model_code, action_type, currency)
);
alter table public.llm_call_statement_hourly enable row level security;
create index llm_call_statement_hourly_org_hour_idx on public.llm_call_statement_hourly (organization_id, hour);

-- The same statement-level pattern as llm_calls_rollup_hourly (20261207270001): old rows are
-- subtracted, new rows added, so INSERT, UPDATE (repricing) and DELETE keep it exact.
create or replace function public.llm_calls_rollup_statement() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    insert into public.llm_call_statement_hourly as h (
      hour, organization_id, app_id, provider_code, model_code, action_type, currency, calls, calls_without_cost,
      prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cost)
    select date_trunc('hour', o.created_at at time zone 'UTC') at time zone 'UTC', o.organization_id, o.app_id, o.provider_code,
      o.model_code, o.action_type, o.currency, -count(*), -(count(*) - count(o.cost)),
      -coalesce(sum(o.prompt_tokens), 0), -coalesce(sum(o.completion_tokens), 0), -coalesce(sum(o.cached_tokens), 0),
      -coalesce(sum(o.reasoning_tokens), 0),
      -coalesce(sum(greatest(coalesce(o.cache_write_tokens, 0) - coalesce(o.cache_write_1h_tokens, 0), 0)), 0),
      -coalesce(sum(o.cache_write_1h_tokens), 0), -coalesce(sum(o.cost), 0)
    from old_rows o
    group by 1, 2, 3, 4, 5, 6, 7
    on conflict on constraint llm_call_statement_hourly_key do update set
      calls = h.calls + excluded.calls, calls_without_cost = h.calls_without_cost + excluded.calls_without_cost,
      prompt_tokens = h.prompt_tokens + excluded.prompt_tokens, completion_tokens = h.completion_tokens + excluded.completion_tokens,
      cached_tokens = h.cached_tokens + excluded.cached_tokens, reasoning_tokens = h.reasoning_tokens + excluded.reasoning_tokens,
      cache_write_5m_tokens = h.cache_write_5m_tokens + excluded.cache_write_5m_tokens,
      cache_write_1h_tokens = h.cache_write_1h_tokens + excluded.cache_write_1h_tokens, cost = h.cost + excluded.cost;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into public.llm_call_statement_hourly as h (
      hour, organization_id, app_id, provider_code, model_code, action_type, currency, calls, calls_without_cost,
      prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cost)
    select date_trunc('hour', n.created_at at time zone 'UTC') at time zone 'UTC', n.organization_id, n.app_id, n.provider_code,
      n.model_code, n.action_type, n.currency, count(*), count(*) - count(n.cost),
      coalesce(sum(n.prompt_tokens), 0), coalesce(sum(n.completion_tokens), 0), coalesce(sum(n.cached_tokens), 0),
      coalesce(sum(n.reasoning_tokens), 0),
      coalesce(sum(greatest(coalesce(n.cache_write_tokens, 0) - coalesce(n.cache_write_1h_tokens, 0), 0)), 0),
      coalesce(sum(n.cache_write_1h_tokens), 0), coalesce(sum(n.cost), 0)
    from new_rows n
    group by 1, 2, 3, 4, 5, 6, 7
    on conflict on constraint llm_call_statement_hourly_key do update set
      calls = h.calls + excluded.calls, calls_without_cost = h.calls_without_cost + excluded.calls_without_cost,
      prompt_tokens = h.prompt_tokens + excluded.prompt_tokens, completion_tokens = h.completion_tokens + excluded.completion_tokens,
      cached_tokens = h.cached_tokens + excluded.cached_tokens, reasoning_tokens = h.reasoning_tokens + excluded.reasoning_tokens,
      cache_write_5m_tokens = h.cache_write_5m_tokens + excluded.cache_write_5m_tokens,
      cache_write_1h_tokens = h.cache_write_1h_tokens + excluded.cache_write_1h_tokens, cost = h.cost + excluded.cost;
  end if;
  return null;
end $$;
revoke all on function public.llm_calls_rollup_statement() from public, anon, authenticated;

create trigger llm_calls_rollup_statement_insert after insert on public.llm_calls
  referencing new table as new_rows for each statement execute function public.llm_calls_rollup_statement();
create trigger llm_calls_rollup_statement_update after update on public.llm_calls
  referencing old table as old_rows new table as new_rows for each statement execute function public.llm_calls_rollup_statement();
create trigger llm_calls_rollup_statement_delete after delete on public.llm_calls
  referencing old table as old_rows for each statement execute function public.llm_calls_rollup_statement();

insert into public.llm_call_statement_hourly (
  hour, organization_id, app_id, provider_code, model_code, action_type, currency, calls, calls_without_cost,
  prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cost)
select date_trunc('hour', c.created_at at time zone 'UTC') at time zone 'UTC', c.organization_id, c.app_id, c.provider_code,
  c.model_code, c.action_type, c.currency, count(*), count(*) - count(c.cost),
  coalesce(sum(c.prompt_tokens), 0), coalesce(sum(c.completion_tokens), 0), coalesce(sum(c.cached_tokens), 0),
  coalesce(sum(c.reasoning_tokens), 0),
  coalesce(sum(greatest(coalesce(c.cache_write_tokens, 0) - coalesce(c.cache_write_1h_tokens, 0), 0)), 0),
  coalesce(sum(c.cache_write_1h_tokens), 0), coalesce(sum(c.cost), 0)
from public.llm_calls c
group by 1, 2, 3, 4, 5, 6, 7;

-- closed statements --------------------------------------------------------------------------------
create table public.statements (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete restrict,
  -- first day of the month (in the organization's reporting time zone)
  month date not null check (extract(day from month) = 1),
  status text not null check (status in ('closed', 'reopened')),
  time_zone text not null,
  billing_currency text not null check (billing_currency ~ '^[A-Z]{3}$'),
  markup_pct numeric(9, 4) not null check (markup_pct >= 0),
  -- currency → rate into billing_currency used by this statement (decimal strings)
  fx_rates jsonb not null default '{}'::jsonb,
  closed_at timestamptz not null default now(),
  closed_by uuid,
  closed_by_email text,
  reopened_at timestamptz,
  reopened_by uuid,
  reopen_reason text check (reopen_reason is null or length(reopen_reason) between 3 and 500),
  unique (organization_id, month)
);
alter table public.statements enable row level security;

create table public.statement_lines (
  id uuid primary key default gen_random_uuid(),
  statement_id uuid not null references public.statements (id) on delete cascade,
  kind text not null check (kind in ('usage', 'adjustment')),
  position integer not null,
  app_id uuid,
  app_name text,
  provider_code text,
  model_code text,
  action_type text,
  -- provider cost currency (null: calls never priced)
  currency text,
  client_price_id uuid,
  pricing text not null check (pricing in ('markup', 'price_list')),
  calls bigint not null,
  calls_without_cost bigint not null,
  prompt_tokens bigint not null,
  completion_tokens bigint not null,
  cached_tokens bigint not null,
  reasoning_tokens bigint not null,
  cache_write_5m_tokens bigint not null,
  cache_write_1h_tokens bigint not null,
  provider_cost numeric(28, 12) not null,
  -- the client's price before conversion, in source_currency (price list currency or provider currency)
  source_amount numeric,
  source_currency text,
  -- source_currency → billing currency; null = no rate (amount listed apart, never dropped)
  rate numeric,
  amount numeric,
  corrects_month date,
  corrects_statement_id uuid references public.statements (id) on delete restrict,
  check (kind = 'usage' or corrects_month is not null)
);
alter table public.statement_lines enable row level security;
create index statement_lines_statement_idx on public.statement_lines (statement_id, position);
create index statement_lines_corrects_idx on public.statement_lines (corrects_statement_id);

-- A closed statement never changes: lines are added only by the transaction that closed it,
-- never updated, and removed only after a reopen.
create or replace function public.statement_lines_guard() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  s record;
begin
  if tg_op = 'UPDATE' then
    raise exception 'statement lines never change' using errcode = '55000';
  end if;
  select status, closed_at into s from public.statements
    where id = case when tg_op = 'INSERT' then new.statement_id else old.statement_id end;
  if tg_op = 'INSERT' and (s.status is distinct from 'closed' or s.closed_at <> now()) then
    raise exception 'lines are added only while closing a statement' using errcode = '55000';
  end if;
  if tg_op = 'DELETE' and s.status = 'closed' then
    raise exception 'a closed statement never changes: reopen it first' using errcode = '55000';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$;
revoke all on function public.statement_lines_guard() from public, anon, authenticated;
create trigger statement_lines_guard before insert or update or delete on public.statement_lines
  for each row execute function public.statement_lines_guard();

-- audit: who set terms and prices, who closed and reopened (with the reason) ------------------------
create trigger billing_terms_audit after insert or update or delete on public.billing_terms
  for each row execute function public.audit_config_change();
create trigger client_prices_audit after insert or update or delete on public.client_prices
  for each row execute function public.audit_config_change();
create trigger statements_audit after insert or update or delete on public.statements
  for each row execute function public.audit_config_change();

-- RLS ---------------------------------------------------------------------------------------------
create policy billing_terms_select on public.billing_terms for select to authenticated
  using (public.has_org_role(organization_id, array['admin', 'finance']));
create policy billing_terms_write on public.billing_terms for all to authenticated
  using ((select public.is_platform_admin())) with check ((select public.is_platform_admin()));
create policy client_prices_select on public.client_prices for select to authenticated
  using (public.has_org_role(organization_id, array['admin', 'finance']));
create policy client_prices_write on public.client_prices for all to authenticated
  using ((select public.is_platform_admin())) with check ((select public.is_platform_admin()));
create policy llm_call_statement_hourly_select on public.llm_call_statement_hourly for select to authenticated
  using (
    (select public.has_platform_role(array['admin', 'finance']))
    or organization_id = any (array(
      select m.organization_id from public.memberships m
      where m.user_id = (select auth.uid()) and m.role in ('admin', 'finance') and m.organization_id is not null))
  );
create policy statements_select on public.statements for select to authenticated
  using (public.has_org_role(organization_id, array['admin', 'finance']));
create policy statements_write on public.statements for all to authenticated
  using ((select public.is_platform_admin())) with check ((select public.is_platform_admin()));
create policy statement_lines_select on public.statement_lines for select to authenticated
  using (exists (select 1 from public.statements s where s.id = statement_id
                 and public.has_org_role(s.organization_id, array['admin', 'finance'])));
create policy statement_lines_write on public.statement_lines for all to authenticated
  using ((select public.is_platform_admin())) with check ((select public.is_platform_admin()));

revoke all on public.billing_terms, public.client_prices, public.llm_call_statement_hourly,
  public.statements, public.statement_lines from anon, authenticated;
grant select, insert, update, delete on public.billing_terms, public.client_prices to authenticated;
grant select, insert, update on public.statements to authenticated;
grant select, insert, delete on public.statement_lines to authenticated;
grant select on public.llm_call_statement_hourly to authenticated;
grant all on public.billing_terms, public.client_prices, public.llm_call_statement_hourly,
  public.statements, public.statement_lines to service_role;
