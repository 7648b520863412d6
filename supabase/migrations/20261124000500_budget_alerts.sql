-- Budget alerts: one row per organization, month and threshold crossed (80 %, 100 %), written by
-- the gateway (service role) the first time a call takes month-to-date spend over the line.
create table public.budget_alerts (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  month date not null check (month = date_trunc('month', month)::date),
  threshold_pct integer not null check (threshold_pct between 1 and 1000),
  spent numeric(28, 12) not null,
  budget numeric(20, 6) not null,
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  policy text not null check (policy in ('alert', 'block', 'downgrade')),
  created_at timestamptz not null default now(),
  -- Set by whatever delivers the alert (webhook, e-mail) once it has.
  notified_at timestamptz,
  unique (organization_id, month, threshold_pct)
);
alter table public.budget_alerts enable row level security;
create index budget_alerts_created_idx on public.budget_alerts (created_at desc);

create policy budget_alerts_select on public.budget_alerts for select to authenticated
  using (public.has_org_role(organization_id));

revoke all on public.budget_alerts from anon, authenticated;
grant select on public.budget_alerts to authenticated;
grant all on public.budget_alerts to service_role;
