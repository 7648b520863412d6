-- Foundation: organizations, users' profiles and memberships, apps, the audit trail and the
-- role helpers every RLS policy uses. Applies unchanged on Supabase (`supabase db push`) and on
-- plain PostgreSQL / PGlite after lib/db/sql/bootstrap.sql has created what Supabase provides.

-- updated_at maintenance ---------------------------------------------------------------------
create or replace function public.set_updated_at() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end $$;

-- organizations --------------------------------------------------------------------------------
create table public.organizations (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text not null check (length(name) between 1 and 200),
  tier text not null default 'standard' check (tier in ('standard', 'premium', 'internal')),
  -- Monthly budget in budget_currency; null = no budget. Policy applies when it is exceeded.
  monthly_budget numeric(20, 6) check (monthly_budget is null or monthly_budget >= 0),
  budget_currency text not null default 'EUR' check (budget_currency ~ '^[A-Z]{3}$'),
  budget_policy text not null default 'alert' check (budget_policy in ('alert', 'block', 'downgrade')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table public.organizations enable row level security;
create trigger organizations_updated_at before update on public.organizations
  for each row execute function public.set_updated_at();

-- profiles: the part of auth.users that dashboards may show (email), readable under RLS -------
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  email text not null,
  display_name text,
  created_at timestamptz not null default now()
);
alter table public.profiles enable row level security;

create or replace function public.handle_new_auth_user() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.profiles (id, email)
  values (new.id, coalesce(new.email, ''))
  on conflict (id) do update set email = excluded.email;
  return new;
end $$;
create trigger on_auth_user_saved after insert or update of email on auth.users
  for each row execute function public.handle_new_auth_user();

-- memberships: organization_id null = platform-wide (admin there = platform admin) ------------
create table public.memberships (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  organization_id uuid references public.organizations (id) on delete cascade,
  role text not null check (role in ('admin', 'finance', 'viewer')),
  created_at timestamptz not null default now(),
  created_by uuid,
  unique nulls not distinct (user_id, organization_id)
);
alter table public.memberships enable row level security;
create index memberships_org_idx on public.memberships (organization_id);

-- Role helpers. security definer so policies on memberships do not recurse into themselves;
-- search_path '' so a user cannot shadow the tables they read.
create or replace function public.is_platform_admin() returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.memberships m
    where m.user_id = auth.uid() and m.organization_id is null and m.role = 'admin'
  );
$$;

-- True when the caller holds one of `roles` in `org`, or holds it platform-wide.
create or replace function public.has_org_role(org uuid, roles text[] default array['admin', 'finance', 'viewer'])
returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.memberships m
    where m.user_id = auth.uid()
      and (m.organization_id = org or m.organization_id is null)
      and m.role = any (roles)
  );
$$;

-- True when the caller holds one of `roles` platform-wide (rows without an organization).
create or replace function public.has_platform_role(roles text[] default array['admin', 'finance', 'viewer'])
returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.memberships m
    where m.user_id = auth.uid() and m.organization_id is null and m.role = any (roles)
  );
$$;

-- True when the caller has any membership at all (reads of shared catalog data).
create or replace function public.is_member() returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.memberships m where m.user_id = auth.uid());
$$;

-- Organizations the caller belongs to (all of them for platform-wide members).
create or replace function public.my_organization_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select o.id from public.organizations o
  where exists (
    select 1 from public.memberships m
    where m.user_id = auth.uid() and (m.organization_id = o.id or m.organization_id is null)
  );
$$;

-- Revoked from anon and authenticated by name too: Supabase's default privileges grant EXECUTE
-- on every new function in public to both, which a revoke from public does not undo.
revoke all on function public.is_platform_admin() from public, anon, authenticated;
revoke all on function public.has_org_role(uuid, text[]) from public, anon, authenticated;
revoke all on function public.has_platform_role(text[]) from public, anon, authenticated;
revoke all on function public.is_member() from public, anon, authenticated;
revoke all on function public.my_organization_ids() from public, anon, authenticated;
grant execute on function public.is_platform_admin() to authenticated, service_role;
grant execute on function public.has_org_role(uuid, text[]) to authenticated, service_role;
grant execute on function public.has_platform_role(text[]) to authenticated, service_role;
grant execute on function public.is_member() to authenticated, service_role;
grant execute on function public.my_organization_ids() to authenticated, service_role;

create policy organizations_select on public.organizations for select to authenticated
  using ((select public.has_org_role(id)));
create policy organizations_insert on public.organizations for insert to authenticated
  with check ((select public.is_platform_admin()));
create policy organizations_update on public.organizations for update to authenticated
  using ((select public.is_platform_admin())) with check ((select public.is_platform_admin()));
create policy organizations_delete on public.organizations for delete to authenticated
  using ((select public.is_platform_admin()));

create policy profiles_select on public.profiles for select to authenticated
  using (
    id = (select auth.uid())
    or (select public.is_platform_admin())
    or exists (
      select 1 from public.memberships m
      where m.user_id = profiles.id and m.organization_id is not null
        and public.has_org_role(m.organization_id, array['admin'])
    )
  );
create policy profiles_update on public.profiles for update to authenticated
  using (id = (select auth.uid())) with check (id = (select auth.uid()));

-- Org admins manage their organization's memberships; only platform admins grant platform-wide
-- roles. Everyone sees their own memberships.
create policy memberships_select on public.memberships for select to authenticated
  using (
    user_id = (select auth.uid())
    or (select public.is_platform_admin())
    or (organization_id is not null and public.has_org_role(organization_id, array['admin']))
  );
create policy memberships_insert on public.memberships for insert to authenticated
  with check (
    (select public.is_platform_admin())
    or (organization_id is not null and public.has_org_role(organization_id, array['admin']))
  );
create policy memberships_update on public.memberships for update to authenticated
  using (
    (select public.is_platform_admin())
    or (organization_id is not null and public.has_org_role(organization_id, array['admin']))
  )
  with check (
    (select public.is_platform_admin())
    or (organization_id is not null and public.has_org_role(organization_id, array['admin']))
  );
create policy memberships_delete on public.memberships for delete to authenticated
  using (
    (select public.is_platform_admin())
    or (organization_id is not null and public.has_org_role(organization_id, array['admin']))
  );

-- apps -----------------------------------------------------------------------------------------
-- baseline_model_id / legacy_model_id reference llm_models, added in the catalog migration.
create table public.apps (
  id uuid primary key default gen_random_uuid(),
  code text not null unique check (code ~ '^[a-z0-9][a-z0-9_-]{1,62}$'),
  name text not null check (length(name) between 1 and 200),
  description text,
  allow_explicit_models boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table public.apps enable row level security;
create trigger apps_updated_at before update on public.apps
  for each row execute function public.set_updated_at();

create policy apps_select on public.apps for select to authenticated using ((select public.is_member()));
create policy apps_insert on public.apps for insert to authenticated with check ((select public.is_platform_admin()));
create policy apps_update on public.apps for update to authenticated
  using ((select public.is_platform_admin())) with check ((select public.is_platform_admin()));
create policy apps_delete on public.apps for delete to authenticated using ((select public.is_platform_admin()));

-- configuration version: bumped on every configuration change so gateway instances notice -----
create table public.config_version (
  id boolean primary key default true check (id),
  version bigint not null default 1,
  updated_at timestamptz not null default now()
);
alter table public.config_version enable row level security;
insert into public.config_version (id) values (true);

-- audit log: written only by the trigger below ------------------------------------------------
create table public.audit_log (
  id bigint generated always as identity primary key,
  created_at timestamptz not null default now(),
  actor_id uuid,
  actor_email text,
  actor_role text not null,
  table_name text not null,
  record_id text,
  organization_id uuid,
  action text not null check (action in ('insert', 'update', 'delete')),
  before jsonb,
  after jsonb
);
alter table public.audit_log enable row level security;
create index audit_log_created_idx on public.audit_log (created_at desc);
create index audit_log_org_created_idx on public.audit_log (organization_id, created_at desc);
create index audit_log_table_record_idx on public.audit_log (table_name, record_id);

create policy audit_log_select on public.audit_log for select to authenticated
  using (
    (select public.is_platform_admin())
    or (organization_id is not null and public.has_org_role(organization_id, array['admin']))
  );

-- Records who changed what (claims of the signed-in user; 'service' for the gateway and jobs),
-- never secrets (key hashes are stripped), and bumps config_version + notifies listeners.
create or replace function public.audit_config_change() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
  before_row jsonb;
  after_row jsonb;
  row_data jsonb;
  org uuid;
begin
  if tg_op in ('UPDATE', 'DELETE') then
    before_row := to_jsonb(old) - array['key_hash', 'updated_at'];
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    after_row := to_jsonb(new) - array['key_hash', 'updated_at'];
  end if;
  if tg_op = 'UPDATE' and before_row = after_row then
    return null;
  end if;
  row_data := coalesce(after_row, before_row);
  org := case when tg_table_name = 'organizations' then (row_data ->> 'id')::uuid
              else (row_data ->> 'organization_id')::uuid end;
  -- A row moved between organizations is visible to platform admins only: filing it under
  -- either side would show one organization's admins the other's values.
  if tg_op = 'UPDATE' and (before_row ->> 'organization_id') is distinct from (after_row ->> 'organization_id') then
    org := null;
  end if;
  insert into public.audit_log (actor_id, actor_email, actor_role, table_name, record_id,
                                organization_id, action, before, after)
  values ((claims ->> 'sub')::uuid, claims ->> 'email', coalesce(claims ->> 'role', 'service'),
          tg_table_name, row_data ->> 'id', org, lower(tg_op), before_row, after_row);
  update public.config_version set version = version + 1, updated_at = now();
  perform pg_notify('llm_config_changed', tg_table_name);
  return null;
end $$;
revoke all on function public.audit_config_change() from public, anon, authenticated;
-- Trigger functions are never called directly; nobody needs EXECUTE on them.
revoke all on function public.set_updated_at() from public, anon, authenticated;
revoke all on function public.handle_new_auth_user() from public, anon, authenticated;

create trigger organizations_audit after insert or update or delete on public.organizations
  for each row execute function public.audit_config_change();
create trigger memberships_audit after insert or update or delete on public.memberships
  for each row execute function public.audit_config_change();
create trigger apps_audit after insert or update or delete on public.apps
  for each row execute function public.audit_config_change();

-- privileges: anon gets nothing; RLS decides what authenticated sees ---------------------------
-- Revoke everything first, from both API roles: on Supabase the default privileges of schema
-- public grant ALL on every new table to anon and authenticated, including TRUNCATE (which RLS
-- does not filter) and table-wide UPDATE (which would defeat the column grants below).
revoke all on public.organizations, public.profiles, public.memberships, public.apps,
  public.config_version, public.audit_log from anon, authenticated;
revoke all on sequence public.audit_log_id_seq from anon, authenticated;
grant select, insert, update, delete on public.organizations, public.memberships, public.apps to authenticated;
grant select, update (display_name) on public.profiles to authenticated;
grant select on public.audit_log to authenticated;
grant all on public.organizations, public.profiles, public.memberships, public.apps,
  public.config_version, public.audit_log to service_role;
