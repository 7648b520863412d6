-- Budget webhooks: an optional URL per organization that budget alerts are POSTed to, and the
-- delivery bookkeeping on budget_alerts. Delivery runs as the service role (lib/finance/
-- budget-webhooks.ts).
--
-- The URL often carries a secret (Slack/Teams-style URLs put a token in the path or query), so it
-- lives in its own table that only platform admins read or write, not on organizations (which
-- every member reads), and the generic audit trigger (which copies whole rows into audit_log,
-- readable by org admins) does not see it: a dedicated trigger records the scheme and host only.

-- https only; plain http only for loopback hosts (tests, local development). No user-info part
-- (user:password@host): credentials belong in the path or query, where the dispatcher never logs
-- them. The same rule is in lib/schemas/budget.ts so forms get a clear message first.
create table public.organization_webhooks (
  organization_id uuid primary key references public.organizations (id) on delete cascade,
  url text not null
    constraint organization_webhooks_url_check check (
      length(url) <= 2000
      and (
        url ~ '^https://[^\s/?#@]+([/?#]\S*)?$'
        or url ~ '^http://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?([/?#]\S*)?$'
      )
    ),
  updated_at timestamptz not null default now(),
  -- Who set the URL last (auth.uid() of the session; null for the service path). Set by the
  -- trigger below, so a session cannot attribute its change to someone else.
  updated_by uuid
);
alter table public.organization_webhooks enable row level security;

create or replace function public.stamp_organization_webhook() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  new.updated_by := auth.uid();
  return new;
end $$;
revoke all on function public.stamp_organization_webhook() from public, anon, authenticated;
create trigger organization_webhooks_stamp before insert or update on public.organization_webhooks
  for each row execute function public.stamp_organization_webhook();

-- Like public.audit_config_change(), but the URL is reduced to its scheme and host (with port):
-- organization admins read their organization's audit trail, and the path or query may hold a
-- token. A changed URL is recorded even when its host stays the same (a rotated token is a
-- change). No config_version bump: the gateway does not read webhooks, the dispatcher reads the
-- URL on every delivery.
create or replace function public.audit_organization_webhook() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
  before_row jsonb;
  after_row jsonb;
  org uuid;
begin
  if tg_op = 'UPDATE' and old.url = new.url and old.organization_id = new.organization_id then
    return null;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    before_row := jsonb_build_object(
      'organization_id', old.organization_id,
      'url_scheme', substring(old.url from '^([a-z]+)://'),
      'url_host', substring(old.url from '^[a-z]+://([^/?#]*)'),
      'updated_by', old.updated_by);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    after_row := jsonb_build_object(
      'organization_id', new.organization_id,
      'url_scheme', substring(new.url from '^([a-z]+)://'),
      'url_host', substring(new.url from '^[a-z]+://([^/?#]*)'),
      'updated_by', new.updated_by);
  end if;
  org := (coalesce(after_row, before_row) ->> 'organization_id')::uuid;
  -- A row moved between organizations is filed under neither (platform admins only), as in
  -- audit_config_change().
  if tg_op = 'UPDATE' and old.organization_id is distinct from new.organization_id then
    org := null;
  end if;
  insert into public.audit_log (actor_id, actor_email, actor_role, table_name, record_id,
                                organization_id, action, before, after)
  values ((claims ->> 'sub')::uuid, claims ->> 'email', coalesce(claims ->> 'role', 'service'),
          tg_table_name, coalesce(after_row, before_row) ->> 'organization_id', org, lower(tg_op),
          before_row, after_row);
  return null;
end $$;
revoke all on function public.audit_organization_webhook() from public, anon, authenticated;
create trigger organization_webhooks_audit after insert or update or delete on public.organization_webhooks
  for each row execute function public.audit_organization_webhook();

-- Platform admins only, for every operation: org admins, finance and viewers of the organization
-- never see the URL (the Budgets page shows it to platform admins only).
create policy organization_webhooks_select on public.organization_webhooks for select to authenticated
  using ((select public.is_platform_admin()));
create policy organization_webhooks_insert on public.organization_webhooks for insert to authenticated
  with check ((select public.is_platform_admin()));
create policy organization_webhooks_update on public.organization_webhooks for update to authenticated
  using ((select public.is_platform_admin())) with check ((select public.is_platform_admin()));
create policy organization_webhooks_delete on public.organization_webhooks for delete to authenticated
  using ((select public.is_platform_admin()));

-- attempts: delivery attempts so far. next_attempt_at: when the dispatcher may try again; while
-- a dispatcher holds the row it is pushed into the future (a lease), so two dispatchers never
-- send the same alert. last_error: why the last attempt failed (status code or error class,
-- never the URL). notified_at (existing) is set once a webhook answered 2xx.
alter table public.budget_alerts
  add column attempts integer not null default 0 constraint budget_alerts_attempts_check check (attempts >= 0),
  add column last_error text constraint budget_alerts_last_error_check check (last_error is null or length(last_error) <= 500),
  add column next_attempt_at timestamptz;

-- The dispatcher's scan: undelivered alerts that are due.
create index budget_alerts_due_idx on public.budget_alerts (next_attempt_at nulls first, created_at)
  where notified_at is null;

-- Revoke first, from both API roles (Supabase's default privileges grant ALL on new tables).
-- Column additions inherit the tables' grants; budget_alerts' are restated so they are visible here.
revoke all on public.organization_webhooks, public.budget_alerts from anon, authenticated;
grant select, insert, update, delete on public.organization_webhooks to authenticated;
grant select on public.budget_alerts to authenticated;
grant all on public.organization_webhooks, public.budget_alerts to service_role;
