-- Per-key limits (issue 9, item 5): no key is unlimited by accident.
--
-- * api_keys.rate_limit_per_minute null now means the typed setting
--   gateway.default_rate_limit_per_minute (600 built in), no longer "unlimited".
-- * api_keys.max_concurrent: calls a key may have in flight at once; null = the typed setting
--   gateway.default_max_concurrent_per_key (20 built in).
-- * There is no "unlimited" value. Raising a key above the platform's default is a capacity
--   decision for platform admins: an organization admin may set a key's limits, and the
--   organization-scope defaults, only up to the app/global default (the built-in one when no row
--   sets it). Platform admins may set any value up to 1,000,000 per minute / 10,000 in flight.
--   The service role (gateway, seeds, migrations; no signed-in user) is not restricted.

alter table public.api_keys
  add column max_concurrent integer check (max_concurrent is null or max_concurrent between 1 and 10000);

grant select (max_concurrent) on public.api_keys to authenticated;
grant insert (max_concurrent) on public.api_keys to authenticated;
grant update (max_concurrent) on public.api_keys to authenticated;

-- A changed limit is a configuration change: audited, and config_version tells the gateway.
drop trigger api_keys_audit on public.api_keys;
create trigger api_keys_audit after insert or delete or update of name, scopes, rate_limit_per_minute, max_concurrent, expires_at, revoked_at, organization_id
  on public.api_keys for each row execute function public.audit_config_change();

-- The most an organization admin may set for a gateway default: the app's (or global) setting,
-- else the built-in default of lib/engine/settings.ts (kept in step by a test). Called only by the
-- guards below, which run as the owner: RLS cannot hide the app/global row from the check.
create or replace function public.gateway_limit_ceiling(p_key text, p_app_id uuid) returns numeric
language sql stable set search_path = '' as $$
  select coalesce(
    (select (c.value #>> '{}')::numeric
       from public.app_configuration c
      where c.key = p_key and jsonb_typeof(c.value) = 'number'
        and ((c.scope = 'app' and c.app_id = p_app_id) or c.scope = 'global')
      order by case c.scope when 'app' then 0 else 1 end
      limit 1),
    case p_key when 'gateway.default_rate_limit_per_minute' then 600
               when 'gateway.default_max_concurrent_per_key' then 20 end);
$$;
revoke all on function public.gateway_limit_ceiling(text, uuid) from public, anon, authenticated;
grant execute on function public.gateway_limit_ceiling(text, uuid) to service_role;

-- Signed-in users other than platform admins stay within the ceilings. Raised as check
-- violations (23514) named by CONSTRAINT, so the dashboard can say which rule refused.
-- security definer (like the audit trigger): the ceiling is read as the owner.
create or replace function public.guard_key_limits() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if auth.uid() is null or public.is_platform_admin() then
    return new;
  end if;
  if new.rate_limit_per_minute is not null
     and new.rate_limit_per_minute > public.gateway_limit_ceiling('gateway.default_rate_limit_per_minute', new.app_id) then
    raise exception 'only a platform admin can set a rate limit above the default of %/min',
      public.gateway_limit_ceiling('gateway.default_rate_limit_per_minute', new.app_id)
      using errcode = '23514', constraint = 'api_keys_rate_limit_ceiling';
  end if;
  if new.max_concurrent is not null
     and new.max_concurrent > public.gateway_limit_ceiling('gateway.default_max_concurrent_per_key', new.app_id) then
    raise exception 'only a platform admin can allow more than % concurrent calls',
      public.gateway_limit_ceiling('gateway.default_max_concurrent_per_key', new.app_id)
      using errcode = '23514', constraint = 'api_keys_concurrency_ceiling';
  end if;
  return new;
end $$;
revoke all on function public.guard_key_limits() from public, anon, authenticated;
create trigger api_keys_limit_ceiling before insert or update of rate_limit_per_minute, max_concurrent
  on public.api_keys for each row execute function public.guard_key_limits();

create or replace function public.guard_gateway_default_settings() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.key not in ('gateway.default_rate_limit_per_minute', 'gateway.default_max_concurrent_per_key')
     or auth.uid() is null or public.is_platform_admin() then
    return new;
  end if;
  if jsonb_typeof(new.value) = 'number'
     and (new.value #>> '{}')::numeric > public.gateway_limit_ceiling(new.key, new.app_id) then
    raise exception 'only a platform admin can raise % above %', new.key, public.gateway_limit_ceiling(new.key, new.app_id)
      using errcode = '23514', constraint = 'app_configuration_gateway_limit_ceiling';
  end if;
  return new;
end $$;
revoke all on function public.guard_gateway_default_settings() from public, anon, authenticated;
create trigger app_configuration_gateway_limit_ceiling before insert or update of key, value, app_id
  on public.app_configuration for each row execute function public.guard_gateway_default_settings();
