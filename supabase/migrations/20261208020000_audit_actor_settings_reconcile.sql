-- Who wrote a change without a signed-in user, and settings rows that disagree with their
-- definition (issue 12, items 6 and 7).
--
-- 1. The service actor. Writes without JWT claims (the gateway, background jobs, migrations) were
--    recorded as actor_role 'service' only, and the Audit page inferred "learning job" or
--    "retention job" from the table. A service writer now names itself with a transaction-local
--    setting, `select set_config('app.actor', 'gateway' | 'job:<name>', true)` (lib/db/service.ts
--    withServiceActor), which the audit triggers copy into the new column audit_log.actor_kind.
--    A signed-in user's claims always win (app.actor is ignored when `sub` is set), a value that
--    is not of that shape is ignored, and rows written before this migration keep actor_kind
--    null (the page keeps inferring their label).
--
-- 2. Settings reconciled with setting_definitions. Migration 20261207240000 defined one type and
--    one pair of bounds per key but left existing rows as they were until their next write. Every
--    row now takes its definition's type and bounds. A value is never changed: a value that no
--    longer fits (out of the definition's bounds, or of another type) stays, the Settings page
--    lists it as "needs attention" and the gateway reads the built-in default instead
--    (lib/engine/setting-validity.ts). So that such a row can exist, the two row checks on value
--    type and bounds become NOT VALID: still enforced on every insert and update (and the guard
--    trigger checks against the definition), not on the rows already stored.

-- 1. Service actor ------------------------------------------------------------------------------
alter table public.audit_log add column actor_kind text
  constraint audit_log_actor_kind_format check (actor_kind is null or actor_kind ~ '^(gateway|job:[a-z][a-z0-9_.-]{0,59})$');
create index audit_log_actor_kind_idx on public.audit_log (actor_kind, id desc) where actor_kind is not null;

-- The service writer named in app.actor, when there is no signed-in user and the name is valid.
create or replace function public.audit_service_actor(claims jsonb) returns text
language sql stable set search_path = '' as $$
  select case when claims ->> 'sub' is null and a ~ '^(gateway|job:[a-z][a-z0-9_.-]{0,59})$' then a end
  from (select nullif(current_setting('app.actor', true), '') as a) s;
$$;
revoke all on function public.audit_service_actor(jsonb) from public, anon, authenticated;

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
  insert into public.audit_log (actor_id, actor_email, actor_role, actor_kind, table_name, record_id,
                                organization_id, action, before, after)
  values ((claims ->> 'sub')::uuid, claims ->> 'email', coalesce(claims ->> 'role', 'service'),
          public.audit_service_actor(claims),
          tg_table_name, row_data ->> 'id', org, lower(tg_op), before_row, after_row);
  update public.config_version set version = version + 1, updated_at = now();
  perform pg_notify('llm_config_changed', tg_table_name);
  return null;
end $$;
revoke all on function public.audit_config_change() from public, anon, authenticated;

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
  if tg_op = 'UPDATE' and old.organization_id is distinct from new.organization_id then
    org := null;
  end if;
  insert into public.audit_log (actor_id, actor_email, actor_role, actor_kind, table_name, record_id,
                                organization_id, action, before, after)
  values ((claims ->> 'sub')::uuid, claims ->> 'email', coalesce(claims ->> 'role', 'service'),
          public.audit_service_actor(claims),
          tg_table_name, coalesce(after_row, before_row) ->> 'organization_id', org, lower(tg_op),
          before_row, after_row);
  return null;
end $$;
revoke all on function public.audit_organization_webhook() from public, anon, authenticated;

-- 2. Settings reconciled with their definitions ---------------------------------------------------
-- This migration's own writes are audited as the job that made them.
select set_config('app.actor', 'job:settings-reconcile', true);

-- A key without a definition (none expected: the guard defines every new key) gets one as in
-- 20261207240000: the global row, else the first app row, else the first organization row.
insert into public.setting_definitions (key, value_type, min_value, max_value)
select distinct on (key) key, value_type,
       case when value_type in ('int', 'float') then min_value end,
       case when value_type in ('int', 'float') then max_value end
from public.app_configuration
order by key, case scope when 'global' then 0 when 'app' then 1 else 2 end, created_at, id
on conflict (key) do nothing;

alter table public.app_configuration drop constraint app_configuration_value_type;
alter table public.app_configuration drop constraint app_configuration_bounds;

-- The guard refuses a value outside the bounds; here the value is kept as it is (listed, not fixed).
alter table public.app_configuration disable trigger app_configuration_definition;
update public.app_configuration c
   set value_type = d.value_type, min_value = d.min_value, max_value = d.max_value
  from public.setting_definitions d
 where d.key = c.key
   and (c.value_type, c.min_value, c.max_value) is distinct from (d.value_type, d.min_value, d.max_value);
alter table public.app_configuration enable trigger app_configuration_definition;

alter table public.app_configuration add constraint app_configuration_value_type check (
    case value_type
      when 'bool' then jsonb_typeof(value) = 'boolean'
      when 'string' then jsonb_typeof(value) = 'string'
      when 'float' then jsonb_typeof(value) = 'number'
      when 'int' then case when jsonb_typeof(value) = 'number'
                           then (value #>> '{}')::numeric = trunc((value #>> '{}')::numeric)
                           else false end
      else true
    end
  ) not valid;
alter table public.app_configuration add constraint app_configuration_bounds check (
    case when value_type in ('int', 'float') and jsonb_typeof(value) = 'number'
         then (min_value is null or (value #>> '{}')::numeric >= min_value)
              and (max_value is null or (value #>> '{}')::numeric <= max_value)
         else true
    end
  ) not valid;

select set_config('app.actor', '', true);
