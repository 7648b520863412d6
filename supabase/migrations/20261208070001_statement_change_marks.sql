-- Change marks for client statements (issue 13: a statement of a 10 M-call month renders in < 1 s
-- over years of closed months). The draft that carries adjustments compared EVERY closed month's
-- live figures with its frozen lines, re-reading each month from llm_call_statement_hourly: one
-- more closed month, ~0.4 s more at 10 M calls a month. A closed month whose calls have not
-- changed since the latest close needs no re-read: its adjustment is zero.
--
-- llm_call_statement_marks counts, per organization and UTC day, the statements on llm_calls that
-- touched that day's calls (insert, update = repricing, delete), kept by statement-level triggers
-- in the same transaction as the rollup. Versions only grow, so the sum of the versions over a
-- month's days changes whenever anything in that month changed. Closing records those sums
-- (statements.marks_seen, read BEFORE the rollup: a change committed in between shows as a
-- changed sum, so it is re-read, never missed); the next draft re-reads only the closed months
-- whose sum differs from what the latest close saw (lib/db/statement-marks.ts). Statements closed
-- before this migration have no marks: their months are always re-read, as before.

create table public.llm_call_statement_marks (
  organization_id uuid not null,
  day date not null,
  version bigint not null default 1,
  primary key (organization_id, day)
);
alter table public.llm_call_statement_marks enable row level security;

create or replace function public.llm_calls_statement_marks() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    insert into public.llm_call_statement_marks as m (organization_id, day)
    select distinct o.organization_id, (o.created_at at time zone 'UTC')::date from old_rows o where o.organization_id is not null
    on conflict (organization_id, day) do update set version = m.version + 1;
  end if;
  if tg_op = 'INSERT' then
    insert into public.llm_call_statement_marks as m (organization_id, day)
    select distinct n.organization_id, (n.created_at at time zone 'UTC')::date from new_rows n where n.organization_id is not null
    on conflict (organization_id, day) do update set version = m.version + 1;
  end if;
  return null;
end $$;
revoke all on function public.llm_calls_statement_marks() from public, anon, authenticated;

-- An UPDATE marks the days of its old rows (created_at never changes, so they are the new rows' days).
create trigger llm_calls_statement_marks_insert after insert on public.llm_calls
  referencing new table as new_rows for each statement execute function public.llm_calls_statement_marks();
create trigger llm_calls_statement_marks_update after update on public.llm_calls
  referencing old table as old_rows for each statement execute function public.llm_calls_statement_marks();
create trigger llm_calls_statement_marks_delete after delete on public.llm_calls
  referencing old table as old_rows for each statement execute function public.llm_calls_statement_marks();

-- Existing calls: one version per day that has any.
insert into public.llm_call_statement_marks (organization_id, day)
select distinct c.organization_id, (c.created_at at time zone 'UTC')::date from public.llm_calls c where c.organization_id is not null;

-- Closed month (YYYY-MM) → sum of its days' versions when the statement was closed.
alter table public.statements add column marks_seen jsonb;

-- Read by whoever reads the statement rollup (the same rule as llm_call_statement_hourly).
create policy llm_call_statement_marks_select on public.llm_call_statement_marks for select to authenticated
  using (
    (select public.has_platform_role(array['admin', 'finance']))
    or organization_id = any (array(
      select m.organization_id from public.memberships m
      where m.user_id = (select auth.uid()) and m.role in ('admin', 'finance') and m.organization_id is not null))
  );
revoke all on public.llm_call_statement_marks from anon, authenticated;
grant select on public.llm_call_statement_marks to authenticated;
grant all on public.llm_call_statement_marks to service_role;
