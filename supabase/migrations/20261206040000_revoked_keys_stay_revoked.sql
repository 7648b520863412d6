-- A revoked app key stays revoked. api_keys.revoked_at is writable by org admins (they revoke
-- their organization's keys from the dashboard, and in Supabase mode through PostgREST), and the
-- column grant cannot tell "set" from "clear": an org admin could un-revoke a key with
-- `update api_keys set revoked_at = null`. This trigger makes revocation one-way for everyone,
-- the service role and platform admins included: once set, revoked_at can never be cleared or
-- moved later (moving it earlier, i.e. revoking sooner, is allowed). Re-enabling a key means
-- minting a new one.
create or replace function public.api_keys_revocation_is_final() returns trigger
language plpgsql set search_path = '' as $$
begin
  if old.revoked_at is not null and (new.revoked_at is null or new.revoked_at > old.revoked_at) then
    raise exception 'a revoked key stays revoked: revoked_at cannot be cleared or moved later'
      using errcode = '23514', constraint = 'api_keys_revocation_is_final';
  end if;
  return new;
end $$;
revoke all on function public.api_keys_revocation_is_final() from public, anon, authenticated;

create trigger api_keys_revocation_is_final before update on public.api_keys
  for each row execute function public.api_keys_revocation_is_final();
