-- Catalog and configuration: providers, models, price history, routing rules, typed settings,
-- app keys. Every table here is configuration: audited and bumps config_version.

-- providers: the database holds the NAME of the env var with the key, never the key ------------
create table public.llm_providers (
  id uuid primary key default gen_random_uuid(),
  code text not null unique check (code ~ '^[a-z0-9][a-z0-9_-]{1,62}$'),
  name text not null,
  kind text not null check (kind in ('openai', 'anthropic', 'mistral', 'google', 'openrouter', 'openai_compatible', 'mock')),
  base_url text check (base_url is null or base_url ~ '^https?://[^\s]+$'),
  -- Restricted so an admin cannot point a provider at DATABASE_URL or the service-role key.
  api_key_env_var text check (api_key_env_var is null or api_key_env_var ~ '^[A-Z][A-Z0-9_]*_API_KEY$'),
  enabled boolean not null default true,
  timeout_ms integer not null default 60000 check (timeout_ms between 100 and 600000),
  max_retries integer not null default 2 check (max_retries between 0 and 10),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint llm_providers_key_required check (kind in ('mock', 'openai_compatible') or api_key_env_var is not null)
);
alter table public.llm_providers enable row level security;

create table public.llm_models (
  id uuid primary key default gen_random_uuid(),
  provider_id uuid not null references public.llm_providers (id) on delete restrict,
  model_code text not null check (length(model_code) between 1 and 200),
  display_name text not null,
  context_window integer check (context_window is null or context_window > 0),
  max_output_tokens integer check (max_output_tokens is null or max_output_tokens > 0),
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (provider_id, model_code)
);
alter table public.llm_models enable row level security;
create index llm_models_code_idx on public.llm_models (model_code);

alter table public.apps
  add column baseline_model_id uuid references public.llm_models (id) on delete set null,
  add column legacy_model_id uuid references public.llm_models (id) on delete set null;

-- prices are history: a change adds a row; a call is priced with the row in force at its time --
create table public.model_prices (
  id uuid primary key default gen_random_uuid(),
  model_id uuid not null references public.llm_models (id) on delete cascade,
  input_per_mtok numeric(20, 8) not null check (input_per_mtok >= 0),
  output_per_mtok numeric(20, 8) not null check (output_per_mtok >= 0),
  cached_input_per_mtok numeric(20, 8) check (cached_input_per_mtok is null or cached_input_per_mtok >= 0),
  reasoning_per_mtok numeric(20, 8) check (reasoning_per_mtok is null or reasoning_per_mtok >= 0),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  effective_from timestamptz not null default now(),
  source text not null default 'manual' check (source in ('manual', 'seed', 'import')),
  note text,
  created_at timestamptz not null default now(),
  created_by uuid,
  unique (model_id, effective_from)
);
alter table public.model_prices enable row level security;

-- routing rules ---------------------------------------------------------------------------------
create table public.llm_configurations (
  id uuid primary key default gen_random_uuid(),
  app_id uuid not null references public.apps (id) on delete cascade,
  -- null = the app's default; set = a client override, pinned for that organization.
  organization_id uuid references public.organizations (id) on delete cascade,
  action_type text not null check (action_type = '*' or action_type ~ '^[a-z][a-z0-9_.-]{0,99}$'),
  model_id uuid not null references public.llm_models (id) on delete restrict,
  -- Ordered fallback chain, tried after the primary's retries are exhausted.
  fallback_model_ids uuid[] not null default '{}' check (cardinality(fallback_model_ids) <= 5),
  priority integer not null default 100 check (priority between 0 and 1000),
  params jsonb not null default '{}' check (jsonb_typeof(params) = 'object'),
  enabled boolean not null default true,
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique nulls not distinct (app_id, organization_id, action_type, priority)
);
alter table public.llm_configurations enable row level security;
create index llm_configurations_lookup_idx on public.llm_configurations (app_id, action_type);
create index llm_configurations_org_idx on public.llm_configurations (organization_id);

create or replace function public.check_fallback_models() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.model_id = any (new.fallback_model_ids) then
    raise exception 'the primary model cannot be its own fallback' using errcode = '23514';
  end if;
  if exists (
    select 1 from unnest(new.fallback_model_ids) f(id)
    where not exists (select 1 from public.llm_models m where m.id = f.id)
  ) then
    raise exception 'unknown fallback model' using errcode = '23503';
  end if;
  if cardinality(new.fallback_model_ids) <> (select count(distinct f) from unnest(new.fallback_model_ids) f) then
    raise exception 'a fallback model is listed twice' using errcode = '23514';
  end if;
  return new;
end $$;
create trigger llm_configurations_fallbacks before insert or update on public.llm_configurations
  for each row execute function public.check_fallback_models();
revoke all on function public.check_fallback_models() from public, anon, authenticated;

-- typed settings: organization beats app beats global --------------------------------------------
create table public.app_configuration (
  id uuid primary key default gen_random_uuid(),
  key text not null check (key ~ '^[a-z][a-z0-9_.]{0,99}$'),
  scope text not null check (scope in ('global', 'app', 'organization')),
  app_id uuid references public.apps (id) on delete cascade,
  organization_id uuid references public.organizations (id) on delete cascade,
  value_type text not null check (value_type in ('float', 'int', 'bool', 'string', 'json')),
  value jsonb not null,
  min_value numeric,
  max_value numeric,
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint app_configuration_scope_shape check (
    (scope = 'global' and app_id is null and organization_id is null)
    or (scope = 'app' and app_id is not null and organization_id is null)
    or (scope = 'organization' and organization_id is not null)
  ),
  constraint app_configuration_value_type check (
    case value_type
      when 'bool' then jsonb_typeof(value) = 'boolean'
      when 'string' then jsonb_typeof(value) = 'string'
      when 'float' then jsonb_typeof(value) = 'number'
      when 'int' then case when jsonb_typeof(value) = 'number'
                           then (value #>> '{}')::numeric = trunc((value #>> '{}')::numeric)
                           else false end
      else true
    end
  ),
  constraint app_configuration_bounds check (
    case when value_type in ('int', 'float') and jsonb_typeof(value) = 'number'
         then (min_value is null or (value #>> '{}')::numeric >= min_value)
              and (max_value is null or (value #>> '{}')::numeric <= max_value)
         else true
    end
  ),
  constraint app_configuration_bounds_order check (min_value is null or max_value is null or min_value <= max_value),
  unique nulls not distinct (key, app_id, organization_id)
);
alter table public.app_configuration enable row level security;

-- The effective setting for (key, app, organization) and where it comes from. Runs with the
-- caller's rights, so a user only resolves settings RLS lets them see.
create or replace function public.resolve_app_config(p_key text, p_app_id uuid default null, p_org_id uuid default null)
returns table (id uuid, scope text, app_id uuid, organization_id uuid, value_type text, value jsonb)
language sql stable set search_path = '' as $$
  select c.id, c.scope, c.app_id, c.organization_id, c.value_type, c.value
  from public.app_configuration c
  where c.key = p_key
    and (
      (c.scope = 'organization' and c.organization_id = p_org_id and (c.app_id is null or c.app_id = p_app_id))
      or (c.scope = 'app' and c.app_id = p_app_id)
      or c.scope = 'global'
    )
  order by case c.scope when 'organization' then (case when c.app_id is null then 1 else 0 end)
                        when 'app' then 2 else 3 end
  limit 1;
$$;

create or replace function public.get_app_config(p_key text, p_app_id uuid default null, p_org_id uuid default null)
returns jsonb
language sql stable set search_path = '' as $$
  select r.value from public.resolve_app_config(p_key, p_app_id, p_org_id) r;
$$;

-- app keys: only the sha-256 hash is stored; no user role may read it -------------------------
create table public.api_keys (
  id uuid primary key default gen_random_uuid(),
  app_id uuid not null references public.apps (id) on delete cascade,
  -- Pinned organization: every call made with this key is attributed to it.
  organization_id uuid references public.organizations (id) on delete cascade,
  name text not null check (length(name) between 1 and 100),
  prefix text not null check (length(prefix) between 4 and 32),
  key_hash text not null unique check (key_hash ~ '^[0-9a-f]{64}$'),
  scopes text[] not null default array['llm'] check (scopes <@ array['llm', 'feedback', 'admin']),
  rate_limit_per_minute integer check (rate_limit_per_minute is null or rate_limit_per_minute > 0),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now(),
  created_by uuid
);
alter table public.api_keys enable row level security;
create index api_keys_app_idx on public.api_keys (app_id);

-- instance secrets (session signing key when AUTH_SECRET is not set): service role only -------
create table public.instance_secrets (
  name text primary key,
  value text not null,
  created_at timestamptz not null default now()
);
alter table public.instance_secrets enable row level security;

-- policies ---------------------------------------------------------------------------------------
create policy llm_providers_select on public.llm_providers for select to authenticated using ((select public.is_member()));
create policy llm_providers_write on public.llm_providers for all to authenticated
  using ((select public.is_platform_admin())) with check ((select public.is_platform_admin()));
create policy llm_models_select on public.llm_models for select to authenticated using ((select public.is_member()));
create policy llm_models_write on public.llm_models for all to authenticated
  using ((select public.is_platform_admin())) with check ((select public.is_platform_admin()));
create policy model_prices_select on public.model_prices for select to authenticated using ((select public.is_member()));
create policy model_prices_insert on public.model_prices for insert to authenticated
  with check ((select public.is_platform_admin()));
-- History is never overwritten: no update policy. A mistaken row may be deleted by a platform admin.
create policy model_prices_delete on public.model_prices for delete to authenticated
  using ((select public.is_platform_admin()));

create policy llm_configurations_select on public.llm_configurations for select to authenticated
  using (
    (organization_id is null and (select public.is_member()))
    or (organization_id is not null and public.has_org_role(organization_id))
  );
create policy llm_configurations_write on public.llm_configurations for all to authenticated
  using (
    (select public.is_platform_admin())
    or (organization_id is not null and public.has_org_role(organization_id, array['admin']))
  )
  with check (
    (select public.is_platform_admin())
    or (organization_id is not null and public.has_org_role(organization_id, array['admin']))
  );

create policy app_configuration_select on public.app_configuration for select to authenticated
  using (
    (organization_id is null and (select public.is_member()))
    or (organization_id is not null and public.has_org_role(organization_id))
  );
create policy app_configuration_write on public.app_configuration for all to authenticated
  using (
    (select public.is_platform_admin())
    or (scope = 'organization' and public.has_org_role(organization_id, array['admin']))
  )
  with check (
    (select public.is_platform_admin())
    or (scope = 'organization' and public.has_org_role(organization_id, array['admin']))
  );

create policy api_keys_select on public.api_keys for select to authenticated
  using (
    (select public.is_platform_admin())
    or (organization_id is not null and public.has_org_role(organization_id, array['admin']))
  );
create policy api_keys_write on public.api_keys for all to authenticated
  using (
    (select public.is_platform_admin())
    or (organization_id is not null and public.has_org_role(organization_id, array['admin']))
  )
  -- Org admins mint keys for their organization, but never admin-scoped ones.
  with check (
    (select public.is_platform_admin())
    or (organization_id is not null and public.has_org_role(organization_id, array['admin'])
        and not ('admin' = any (scopes)))
  );

-- audit + updated_at ------------------------------------------------------------------------------
create trigger llm_providers_updated_at before update on public.llm_providers for each row execute function public.set_updated_at();
create trigger llm_models_updated_at before update on public.llm_models for each row execute function public.set_updated_at();
create trigger llm_configurations_updated_at before update on public.llm_configurations for each row execute function public.set_updated_at();
create trigger app_configuration_updated_at before update on public.app_configuration for each row execute function public.set_updated_at();

create trigger llm_providers_audit after insert or update or delete on public.llm_providers for each row execute function public.audit_config_change();
create trigger llm_models_audit after insert or update or delete on public.llm_models for each row execute function public.audit_config_change();
create trigger model_prices_audit after insert or update or delete on public.model_prices for each row execute function public.audit_config_change();
create trigger llm_configurations_audit after insert or update or delete on public.llm_configurations for each row execute function public.audit_config_change();
create trigger app_configuration_audit after insert or update or delete on public.app_configuration for each row execute function public.audit_config_change();
-- last_used_at changes on every call; it is not a configuration change worth an audit row.
create trigger api_keys_audit after insert or delete or update of name, scopes, rate_limit_per_minute, expires_at, revoked_at, organization_id
  on public.api_keys for each row execute function public.audit_config_change();

-- privileges --------------------------------------------------------------------------------------
-- Revoke first, from both API roles (Supabase's default privileges grant ALL on new tables).
revoke all on public.llm_providers, public.llm_models, public.model_prices, public.llm_configurations,
  public.app_configuration, public.api_keys, public.instance_secrets from anon, authenticated;
grant select, insert, update, delete on public.llm_providers, public.llm_models, public.llm_configurations,
  public.app_configuration to authenticated;
grant select, insert, delete on public.model_prices to authenticated;
-- Column privileges: key_hash can be written when a key is created but never read back.
grant select (id, app_id, organization_id, name, prefix, scopes, rate_limit_per_minute, expires_at,
              last_used_at, revoked_at, created_at, created_by) on public.api_keys to authenticated;
grant insert (app_id, organization_id, name, prefix, key_hash, scopes, rate_limit_per_minute, expires_at, created_by)
  on public.api_keys to authenticated;
grant update (name, scopes, rate_limit_per_minute, expires_at, revoked_at) on public.api_keys to authenticated;
grant delete on public.api_keys to authenticated;
grant all on public.llm_providers, public.llm_models, public.model_prices, public.llm_configurations,
  public.app_configuration, public.api_keys, public.instance_secrets to service_role;
revoke all on function public.resolve_app_config(text, uuid, uuid) from public, anon;
revoke all on function public.get_app_config(text, uuid, uuid) from public, anon;
grant execute on function public.resolve_app_config(text, uuid, uuid) to authenticated, service_role;
grant execute on function public.get_app_config(text, uuid, uuid) to authenticated, service_role;
