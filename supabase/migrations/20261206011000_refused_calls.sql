-- Refused calls in the ledger (issue 9, item 6). A call refused after authentication (key rate
-- limit, concurrency cap, budget block, every circuit open) gets one llm_calls row: status
-- 'failed', error_type saying why, no provider and no model (nothing was attempted), usage zero,
-- cost null (no price applies). Error-rate charts count it (calls, failed_calls).
--
-- Completeness measures whether attempts are attributable and priced; a refusal has nothing to
-- price, so "a failed row without a provider" is left out of it: the completeness page and the
-- overview's completeness figure subtract those rows (lib/db/completeness.ts, overview.ts), and
-- "incomplete records by purpose" no longer counts them (below). record_complete itself is a
-- generated column of a partitioned ledger; redefining it would rewrite every partition.

create or replace function public.llm_calls_incomplete_rollup() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    insert into public.llm_call_incomplete_daily as d (day, organization_id, app_id, purpose, calls)
    select (o.created_at at time zone 'UTC')::date, o.organization_id, o.app_id, o.purpose, -count(*)
    from old_rows o
    where not o.record_complete and not (o.status = 'failed' and o.provider_code is null)
    group by 1, 2, 3, 4
    on conflict on constraint llm_call_incomplete_daily_key do update set calls = d.calls + excluded.calls, updated_at = now();
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into public.llm_call_incomplete_daily as d (day, organization_id, app_id, purpose, calls)
    select (n.created_at at time zone 'UTC')::date, n.organization_id, n.app_id, n.purpose, count(*)
    from new_rows n
    where not n.record_complete and not (n.status = 'failed' and n.provider_code is null)
    group by 1, 2, 3, 4
    on conflict on constraint llm_call_incomplete_daily_key do update set calls = d.calls + excluded.calls, updated_at = now();
  end if;
  return null;
end $$;
revoke all on function public.llm_calls_incomplete_rollup() from public, anon, authenticated;

-- Rows recorded before this migration that match the new exclusion leave the rollup too, so a
-- later update or delete of them nets to zero.
insert into public.llm_call_incomplete_daily as d (day, organization_id, app_id, purpose, calls)
select (created_at at time zone 'UTC')::date, organization_id, app_id, purpose, -count(*)
from public.llm_calls
where not record_complete and status = 'failed' and provider_code is null
group by 1, 2, 3, 4
on conflict on constraint llm_call_incomplete_daily_key do update set calls = d.calls + excluded.calls, updated_at = now();
