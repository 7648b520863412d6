-- Budgets per organization, organization × app and API key, monthly or daily (issue 13,
-- "Budgets that finance can plan with").
--
-- * budgets: one row per (organization, app or key or neither, window). Read like the budget
--   fields of organizations by the organization's admins and finance; written by platform admins
--   only; audited (audit_config_change, which also bumps config_version so every gateway reloads).
-- * The organization × month row mirrors organizations.monthly_budget / budget_currency /
--   budget_policy both ways (triggers below), so everything that reads or writes those columns
--   keeps working: a change on either side is copied to the other when it differs.
-- * llm_calls.api_key_id: the key a call came with (set by the gateway for new rows; older rows
--   stay null), so per-key budgets can count their spend.
-- * budget_alerts.kind: 'threshold' (the gateway's 80 % / 100 %), 'forecast' (month-end forecast
--   above the budget, once per organization and month) and 'spike' (a day above 3x its trailing
--   median, once per organization and day), recorded by /api/cron/budget-forecast.
-- * Counters of budgets other than the organization × month one live in budget_counters /
--   budget_reservations too: organization_id then holds the budget's id and month the first day
--   of its window (a day, or the zone's month), so one atomic statement and one sweep serve all.
-- Forward-only.

create table public.budgets (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  app_id uuid references public.apps (id) on delete cascade,
  api_key_id uuid references public.api_keys (id) on delete cascade,
  period text not null check (period in ('month', 'day')),
  -- > 0 for new budgets (the form and action say so); 0 only for the mirrored organization ×
  -- month row, where organizations.monthly_budget = 0 has always meant "nothing may be spent".
  amount numeric(20, 6) not null check (amount >= 0),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  policy text not null check (policy in ('alert', 'block', 'downgrade')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint budgets_one_scope check (num_nonnulls(app_id, api_key_id) <= 1),
  constraint budgets_unique unique nulls not distinct (organization_id, app_id, api_key_id, period)
);
create index budgets_org_idx on public.budgets (organization_id);
alter table public.budgets enable row level security;

create trigger budgets_updated_at before update on public.budgets
  for each row execute function public.set_updated_at();
create trigger budgets_audit after insert or update or delete on public.budgets
  for each row execute function public.audit_config_change();

-- A key budget belongs to the organization the key may act for (a key pinned to another
-- organization can never spend against it).
create or replace function public.budgets_check_key() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.api_key_id is not null and exists (
    select 1 from public.api_keys k
    where k.id = new.api_key_id and k.organization_id is not null and k.organization_id <> new.organization_id
  ) then
    raise exception 'API key % is pinned to another organization', new.api_key_id using errcode = '23514';
  end if;
  return new;
end $$;
revoke all on function public.budgets_check_key() from public, anon, authenticated;
create trigger budgets_check_key before insert or update on public.budgets
  for each row execute function public.budgets_check_key();

create policy budgets_select on public.budgets for select to authenticated
  using ((select public.has_org_role(organization_id, array['admin', 'finance'])));
create policy budgets_insert on public.budgets for insert to authenticated
  with check ((select public.is_platform_admin()));
create policy budgets_update on public.budgets for update to authenticated
  using ((select public.is_platform_admin())) with check ((select public.is_platform_admin()));
create policy budgets_delete on public.budgets for delete to authenticated
  using ((select public.is_platform_admin()));
revoke all on public.budgets from anon, authenticated;
grant select, insert, update, delete on public.budgets to authenticated;
grant all on public.budgets to service_role;

-- Existing organization budgets become organization × month rows.
insert into public.budgets (organization_id, period, amount, currency, policy)
select o.id, 'month', o.monthly_budget, o.budget_currency, o.budget_policy
from public.organizations o
where o.monthly_budget is not null;

-- organizations → budgets (the Organizations/Budgets forms, seeds and older scripts write the columns).
create or replace function public.organizations_budget_to_budgets() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.monthly_budget is null then
    delete from public.budgets b
    where b.organization_id = new.id and b.app_id is null and b.api_key_id is null and b.period = 'month';
  else
    insert into public.budgets as b (organization_id, period, amount, currency, policy)
    values (new.id, 'month', new.monthly_budget, new.budget_currency, new.budget_policy)
    on conflict on constraint budgets_unique do update
      set amount = excluded.amount, currency = excluded.currency, policy = excluded.policy
      where (b.amount, b.currency, b.policy) is distinct from (excluded.amount, excluded.currency, excluded.policy);
  end if;
  return null;
end $$;
revoke all on function public.organizations_budget_to_budgets() from public, anon, authenticated;
create trigger organizations_budget_mirror
  after insert or update of monthly_budget, budget_currency, budget_policy on public.organizations
  for each row execute function public.organizations_budget_to_budgets();

-- budgets → organizations (the Budgets page writes budgets).
create or replace function public.budgets_to_organizations() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  r record := coalesce(new, old);
begin
  if r.app_id is not null or r.api_key_id is not null or r.period <> 'month' then
    return null;
  end if;
  if tg_op = 'DELETE' then
    update public.organizations o set monthly_budget = null
    where o.id = old.organization_id and o.monthly_budget is not null;
  else
    update public.organizations o
    set monthly_budget = new.amount, budget_currency = new.currency, budget_policy = new.policy
    where o.id = new.organization_id
      and (o.monthly_budget, o.budget_currency, o.budget_policy) is distinct from (new.amount, new.currency, new.policy);
  end if;
  return null;
end $$;
revoke all on function public.budgets_to_organizations() from public, anon, authenticated;
create trigger budgets_organization_mirror after insert or update or delete on public.budgets
  for each row execute function public.budgets_to_organizations();

-- The key on the ledger.
alter table public.llm_calls add column api_key_id uuid;
create index llm_calls_api_key_created_idx on public.llm_calls (api_key_id, created_at) where api_key_id is not null;
create index llm_calls_org_app_created_idx on public.llm_calls (organization_id, app_id, created_at);

-- Alert kinds. budget widens to numeric(28, 12): a spike row keeps the trailing median there, exactly.
alter table public.budget_alerts alter column budget type numeric(28, 12);
alter table public.budget_alerts add column kind text not null default 'threshold'
  check (kind in ('threshold', 'forecast', 'spike'));
alter table public.budget_alerts add column budget_id uuid references public.budgets (id) on delete set null;
-- The day a spike happened, or the day a forecast alert was computed.
alter table public.budget_alerts add column day date;
alter table public.budget_alerts drop constraint budget_alerts_organization_id_month_threshold_pct_key;
create unique index budget_alerts_threshold_key on public.budget_alerts (organization_id, month, threshold_pct) where kind = 'threshold';
create unique index budget_alerts_forecast_key on public.budget_alerts (organization_id, month) where kind = 'forecast';
create unique index budget_alerts_spike_key on public.budget_alerts (organization_id, day) where kind = 'spike';
alter table public.budget_alerts add constraint budget_alerts_day_check check ((kind = 'threshold') = (day is null));

comment on column public.budget_counters.organization_id is
  'The organization (its monthly budget), or a budgets.id for every other budget (per app, per key, daily)';
comment on column public.budget_counters.month is
  'First day of the UTC month (organization monthly budget), or of the budget''s window in the reporting time zone';
