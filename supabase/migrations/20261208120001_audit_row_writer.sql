-- One writer of the audit_log row for a trigger row. Forward-only.
--
-- audit_finance_change() (20261208110001) was a copy of audit_config_change() (latest definition
-- in 20261208020000) without the config_version bump. Both now call audit_write_row(), which
-- writes exactly the row they wrote: actor from the JWT claims (else role 'service' and the
-- service actor named in app.actor, public.audit_service_actor), key_hash and updated_at stripped
-- from before/after, an UPDATE that changes nothing else skipped, the organization taken from
-- organization_id (from id for the organizations table), and a row moved between organizations
-- filed with organization_id null (visible to platform admins only: filing it under either side
-- would show one organization's admins the other's values). It returns whether it wrote a row;
-- audit_config_change() then bumps config_version and notifies llm_config_changed, as before.
-- Triggers are unchanged: they keep calling the two functions.

-- op and tbl are the trigger's tg_op and tg_table_name; old_row and new_row to_jsonb(old) and
-- to_jsonb(new) (each read only where tg_op has that row).
create or replace function public.audit_write_row(op text, tbl text, old_row jsonb, new_row jsonb)
returns boolean
language plpgsql security definer set search_path = '' as $$
declare
  claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
  before_row jsonb;
  after_row jsonb;
  row_data jsonb;
  org uuid;
begin
  if op in ('UPDATE', 'DELETE') then
    before_row := old_row - array['key_hash', 'updated_at'];
  end if;
  if op in ('INSERT', 'UPDATE') then
    after_row := new_row - array['key_hash', 'updated_at'];
  end if;
  if op = 'UPDATE' and before_row = after_row then
    return false;
  end if;
  row_data := coalesce(after_row, before_row);
  org := case when tbl = 'organizations' then (row_data ->> 'id')::uuid
              else (row_data ->> 'organization_id')::uuid end;
  if op = 'UPDATE' and (before_row ->> 'organization_id') is distinct from (after_row ->> 'organization_id') then
    org := null;
  end if;
  insert into public.audit_log (actor_id, actor_email, actor_role, actor_kind, table_name, record_id,
                                organization_id, action, before, after)
  values ((claims ->> 'sub')::uuid, claims ->> 'email', coalesce(claims ->> 'role', 'service'),
          public.audit_service_actor(claims),
          tbl, row_data ->> 'id', org, lower(op), before_row, after_row);
  return true;
end $$;
revoke all on function public.audit_write_row(text, text, jsonb, jsonb) from public, anon, authenticated;

-- Configuration tables: audited, and every instance reloads (lib/gateway/config-cache.ts).
create or replace function public.audit_config_change() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if public.audit_write_row(tg_op, tg_table_name, to_jsonb(old), to_jsonb(new)) then
    update public.config_version set version = version + 1, updated_at = now();
    perform pg_notify('llm_config_changed', tg_table_name);
  end if;
  return null;
end $$;
revoke all on function public.audit_config_change() from public, anon, authenticated;

-- Finance tables the gateway does not read (statements, billing_terms, client_prices): audited only.
create or replace function public.audit_finance_change() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform public.audit_write_row(tg_op, tg_table_name, to_jsonb(old), to_jsonb(new));
  return null;
end $$;
revoke all on function public.audit_finance_change() from public, anon, authenticated;
