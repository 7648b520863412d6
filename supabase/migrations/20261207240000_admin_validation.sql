-- Validation where admins make mistakes (issue 12, item 6).
--
-- 1. Actions known per app. A routing rule for an action no caller sends never matches, and a
--    typo looked like any other rule. An app's known actions are those declared on the app
--    (apps.declared_actions, edited by platform admins with the app) and those seen in its calls
--    (app_seen_actions, kept by a statement trigger on llm_calls like the rollups: one row per
--    (app, action), inserted once, `on conflict do nothing` afterwards, so the hot path only
--    probes a small primary key). The dashboard and lib/db/routing-writes.ts warn about, and ask
--    to confirm, a rule for an action in neither list. Action names are app-level (the app's code
--    sends them), so every member may read them, like the app itself.
--
-- 2. Settings defined once per key. app_configuration let every row carry its own type and
--    bounds, so an organization admin could widen confidence_threshold to 0..10 on their own row
--    and save 5 for a 0..1 setting, or store it as a string. setting_definitions holds one type
--    and one pair of bounds per key: the global row defines it (platform admins; the first row of
--    a key without a global row defines it until one exists), and app and organization rows
--    follow it. A guard trigger (security definer, like the audit trigger) refuses a row whose
--    type or bounds differ from the definition, fills empty bounds from it, and refuses a value
--    outside them with a message naming the key and the bounds (23514, named by CONSTRAINT).

-- 1. Actions -------------------------------------------------------------------------------------
create or replace function public.valid_action_types(p_actions text[]) returns boolean
language sql immutable set search_path = '' as $$
  select coalesce(bool_and(a ~ '^[a-z][a-z0-9_.-]{0,99}$'), true) from unnest(p_actions) as a;
$$;
revoke all on function public.valid_action_types(text[]) from public, anon, authenticated;
grant execute on function public.valid_action_types(text[]) to authenticated, service_role;

alter table public.apps add column declared_actions text[] not null default '{}';
alter table public.apps add constraint apps_declared_actions_format
  check (cardinality(declared_actions) <= 200 and public.valid_action_types(declared_actions));

create table public.app_seen_actions (
  app_id uuid not null references public.apps (id) on delete cascade,
  action_type text not null,
  first_seen_at timestamptz not null default now(),
  primary key (app_id, action_type)
);
alter table public.app_seen_actions enable row level security;
create policy app_seen_actions_select on public.app_seen_actions for select to authenticated
  using ((select public.is_member()));
revoke all on public.app_seen_actions from anon, authenticated;
grant select on public.app_seen_actions to authenticated;
grant all on public.app_seen_actions to service_role;

create or replace function public.llm_calls_seen_actions() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.app_seen_actions (app_id, action_type, first_seen_at)
  select n.app_id, n.action_type, min(n.created_at)
  from new_rows n
  where n.app_id is not null and n.action_type is not null and n.action_type <> ''
  group by 1, 2
  on conflict do nothing;
  return null;
end $$;
revoke all on function public.llm_calls_seen_actions() from public, anon, authenticated;

create trigger llm_calls_seen_actions_insert after insert on public.llm_calls
  referencing new table as new_rows for each statement execute function public.llm_calls_seen_actions();

-- The actions of the calls recorded before this migration.
insert into public.app_seen_actions (app_id, action_type, first_seen_at)
select app_id, action_type, min(created_at)
from public.llm_calls
where app_id is not null and action_type is not null and action_type <> ''
group by 1, 2
on conflict do nothing;

-- 2. Setting definitions -------------------------------------------------------------------------
create table public.setting_definitions (
  key text primary key check (key ~ '^[a-z][a-z0-9_.]{0,99}$'),
  value_type text not null check (value_type in ('float', 'int', 'bool', 'string', 'json')),
  min_value numeric,
  max_value numeric,
  updated_at timestamptz not null default now(),
  constraint setting_definitions_bounds_order check (min_value is null or max_value is null or min_value <= max_value),
  constraint setting_definitions_bounds_numeric check (value_type in ('int', 'float') or (min_value is null and max_value is null))
);
alter table public.setting_definitions enable row level security;
create policy setting_definitions_select on public.setting_definitions for select to authenticated
  using ((select public.is_member()));
-- Written only by the guard below (as the owner): a definition changes with its global row.
revoke all on public.setting_definitions from anon, authenticated;
grant select on public.setting_definitions to authenticated;
grant all on public.setting_definitions to service_role;

-- Existing keys: the global row's definition, else the first app row, else the first
-- organization row. Rows that already differ stay as they are until their next write.
insert into public.setting_definitions (key, value_type, min_value, max_value)
select distinct on (key) key, value_type,
       case when value_type in ('int', 'float') then min_value end,
       case when value_type in ('int', 'float') then max_value end
from public.app_configuration
order by key, case scope when 'global' then 0 when 'app' then 1 else 2 end, created_at, id;

create or replace function public.guard_setting_definition() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  d public.setting_definitions;
  numeric_type boolean := new.value_type in ('int', 'float');
  v numeric;
begin
  if not numeric_type then
    new.min_value := null;
    new.max_value := null;
  end if;
  select * into d from public.setting_definitions where key = new.key;
  if not found then
    insert into public.setting_definitions (key, value_type, min_value, max_value)
    values (new.key, new.value_type, new.min_value, new.max_value);
    return new;
  end if;

  if new.scope = 'global' then
    -- The global row is the definition: other rows of the key follow its bounds; its type can
    -- change only while it is the key's only row.
    if new.value_type <> d.value_type
       and exists (select 1 from public.app_configuration c where c.key = new.key and c.id <> new.id) then
      raise exception '% is a % setting in other rows too: change or delete them before changing its type', new.key, d.value_type
        using errcode = '23514', constraint = 'app_configuration_definition_type';
    end if;
    update public.setting_definitions
       set value_type = new.value_type, min_value = new.min_value, max_value = new.max_value, updated_at = now()
     where key = new.key
       and (value_type, min_value, max_value) is distinct from (new.value_type, new.min_value, new.max_value);
    update public.app_configuration
       set min_value = new.min_value, max_value = new.max_value
     where key = new.key and id <> new.id
       and (min_value, max_value) is distinct from (new.min_value, new.max_value);
    return new;
  end if;

  -- App and organization rows follow the definition.
  if new.value_type <> d.value_type then
    raise exception '% is defined as a % setting for every scope; an app or organization row cannot change its type', new.key, d.value_type
      using errcode = '23514', constraint = 'app_configuration_definition_type';
  end if;
  if new.min_value is null and new.max_value is null then
    new.min_value := d.min_value;
    new.max_value := d.max_value;
  elsif (new.min_value, new.max_value) is distinct from (d.min_value, d.max_value) then
    raise exception 'the bounds of % are % … % for every scope; only a platform admin changes them, on its global setting',
      new.key, coalesce(d.min_value::text, '−∞'), coalesce(d.max_value::text, '+∞')
      using errcode = '23514', constraint = 'app_configuration_definition_bounds';
  end if;
  if numeric_type and jsonb_typeof(new.value) = 'number' then
    v := (new.value #>> '{}')::numeric;
    if (d.min_value is not null and v < d.min_value) or (d.max_value is not null and v > d.max_value) then
      raise exception '% must be between % and % (% given)',
        new.key, coalesce(d.min_value::text, '−∞'), coalesce(d.max_value::text, '+∞'), v
        using errcode = '23514', constraint = 'app_configuration_definition_bounds';
    end if;
  end if;
  return new;
end $$;
revoke all on function public.guard_setting_definition() from public, anon, authenticated;

create trigger app_configuration_definition before insert or update of key, scope, value_type, value, min_value, max_value
  on public.app_configuration for each row execute function public.guard_setting_definition();
