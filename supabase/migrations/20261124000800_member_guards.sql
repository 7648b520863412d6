-- Members page: finding a user by email for the "add member" form, and lock-out guards on
-- memberships. No new table: memberships and profiles (foundation) keep their RLS policies, which
-- decide who may add, change or remove which membership.

-- The id of the user with this email, for admins adding a member. security definer because org
-- admins may not read profiles of people outside their organizations (profiles_select), yet must
-- be able to name them to add them; the membership insert itself still runs under RLS. Callers
-- who administer nothing are refused (42501), so viewers and finance cannot probe for emails.
create or replace function public.user_id_for_email(p_email text) returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  found uuid;
begin
  if not exists (select 1 from public.memberships m where m.user_id = auth.uid() and m.role = 'admin') then
    raise exception 'only administrators can look up users' using errcode = '42501';
  end if;
  select u.id into found from auth.users u
  where lower(u.email) = lower(btrim(p_email))
  order by u.created_at
  limit 1;
  return found;
end $$;
revoke all on function public.user_id_for_email(text) from public, anon, authenticated;
grant execute on function public.user_id_for_email(text) to authenticated, service_role;

-- Lock-out guards, checked by the database for every path (dashboard, SQL, cascades):
--   * the last platform admin cannot be removed or demoted (nobody could grant it back);
--   * a signed-in user cannot remove or demote their own last admin membership.
-- Raised as check violations (23514) named by CONSTRAINT so the app can say which rule refused.
-- security definer: the count must see every platform admin, not only the rows RLS shows.
create or replace function public.guard_admin_memberships() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  removes_platform_admin boolean;
  removes_own_admin boolean;
begin
  if old.role <> 'admin' then
    return case when tg_op = 'DELETE' then old else new end;
  end if;
  removes_platform_admin := old.organization_id is null and (
    tg_op = 'DELETE' or new.role <> 'admin' or new.organization_id is not null);
  removes_own_admin := old.user_id = auth.uid() and (
    tg_op = 'DELETE' or new.role <> 'admin' or new.user_id <> old.user_id);
  if removes_platform_admin or removes_own_admin then
    -- Serialises concurrent removals: two admins demoting each other at once would each still
    -- see the other. Each check below runs after the lock, on a fresh snapshot.
    perform pg_advisory_xact_lock(hashtext('public.memberships admin guard'));
  end if;
  if removes_platform_admin and not exists (
    select 1 from public.memberships m
    where m.organization_id is null and m.role = 'admin' and m.id <> old.id
  ) then
    raise exception 'the last platform admin cannot be removed or demoted'
      using errcode = '23514', constraint = 'memberships_last_platform_admin';
  end if;
  if removes_own_admin and not exists (
    select 1 from public.memberships m
    where m.user_id = old.user_id and m.role = 'admin' and m.id <> old.id
  ) then
    raise exception 'you cannot remove or demote your own last admin membership'
      using errcode = '23514', constraint = 'memberships_own_last_admin';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$;
revoke all on function public.guard_admin_memberships() from public, anon, authenticated;

create trigger memberships_admin_guard before update or delete on public.memberships
  for each row execute function public.guard_admin_memberships();
