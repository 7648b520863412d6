-- Dashboard read paths at 10 M calls (npm run bench:dashboard).
--
-- 1. The select policies of the ledger, its daily rollup and feedback called
--    has_org_role(organization_id) once PER ROW: a security definer function is never inlined,
--    so a 93-day rollup read (~25k rows) spent most of its time in ~25k membership look-ups.
--    The same rule, evaluated once per statement: platform-wide members see every row (what
--    has_org_role returns for them for any organization, and has_platform_role for rows without
--    one); everyone else sees the rows of the organizations they belong to. my_organization_ids()
--    ignores the role, which is the same set: memberships.role only admits admin/finance/viewer,
--    has_org_role's default roles. Both sub-selects are uncorrelated, so each runs at most once.

drop policy llm_calls_select on public.llm_calls;
create policy llm_calls_select on public.llm_calls for select to authenticated
  using (
    (select public.has_platform_role())
    or organization_id = any (array(select public.my_organization_ids()))
  );

drop policy llm_call_daily_select on public.llm_call_daily;
create policy llm_call_daily_select on public.llm_call_daily for select to authenticated
  using (
    (select public.has_platform_role())
    or organization_id = any (array(select public.my_organization_ids()))
  );

drop policy production_feedback_select on public.production_feedback;
create policy production_feedback_select on public.production_feedback for select to authenticated
  using (
    (select public.has_platform_role())
    or organization_id = any (array(select public.my_organization_ids()))
  );

-- 2. "Incomplete records by purpose and app" (Completeness page) was the one dashboard query on
--    raw calls: ~110k rows for 93 days at 10 M calls. Purpose is not part of llm_call_daily's key
--    (it would multiply every other chart's rows), so incomplete calls get a rollup of their own,
--    per (UTC day, organization, app, purpose), kept current by statement triggers like
--    llm_call_daily. Only incomplete rows count; a repricing that completes a call moves it out.
create table public.llm_call_incomplete_daily (
  day date not null,
  organization_id uuid,
  app_id uuid,
  purpose text,
  calls bigint not null default 0,
  updated_at timestamptz not null default now(),
  constraint llm_call_incomplete_daily_key unique nulls not distinct (day, organization_id, app_id, purpose)
);
alter table public.llm_call_incomplete_daily enable row level security;
create index llm_call_incomplete_daily_org_day_idx on public.llm_call_incomplete_daily (organization_id, day);
create index llm_call_incomplete_daily_day_idx on public.llm_call_incomplete_daily (day);

create or replace function public.llm_calls_incomplete_rollup() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    insert into public.llm_call_incomplete_daily as d (day, organization_id, app_id, purpose, calls)
    select (o.created_at at time zone 'UTC')::date, o.organization_id, o.app_id, o.purpose, -count(*)
    from old_rows o
    where not o.record_complete
    group by 1, 2, 3, 4
    on conflict on constraint llm_call_incomplete_daily_key do update set calls = d.calls + excluded.calls, updated_at = now();
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into public.llm_call_incomplete_daily as d (day, organization_id, app_id, purpose, calls)
    select (n.created_at at time zone 'UTC')::date, n.organization_id, n.app_id, n.purpose, count(*)
    from new_rows n
    where not n.record_complete
    group by 1, 2, 3, 4
    on conflict on constraint llm_call_incomplete_daily_key do update set calls = d.calls + excluded.calls, updated_at = now();
  end if;
  return null;
end $$;
revoke all on function public.llm_calls_incomplete_rollup() from public, anon, authenticated;

create trigger llm_calls_incomplete_rollup_insert after insert on public.llm_calls
  referencing new table as new_rows for each statement execute function public.llm_calls_incomplete_rollup();
create trigger llm_calls_incomplete_rollup_update after update on public.llm_calls
  referencing old table as old_rows new table as new_rows for each statement execute function public.llm_calls_incomplete_rollup();
create trigger llm_calls_incomplete_rollup_delete after delete on public.llm_calls
  referencing old table as old_rows for each statement execute function public.llm_calls_incomplete_rollup();

-- The calls recorded before this migration (the partial index on incomplete calls serves it).
insert into public.llm_call_incomplete_daily (day, organization_id, app_id, purpose, calls)
select (created_at at time zone 'UTC')::date, organization_id, app_id, purpose, count(*)
from public.llm_calls
where not record_complete
group by 1, 2, 3, 4;

create policy llm_call_incomplete_daily_select on public.llm_call_incomplete_daily for select to authenticated
  using (
    (select public.has_platform_role())
    or organization_id = any (array(select public.my_organization_ids()))
  );

revoke all on public.llm_call_incomplete_daily from anon, authenticated;
grant select on public.llm_call_incomplete_daily to authenticated;
grant all on public.llm_call_incomplete_daily to service_role;

-- 3. Feedback by time (the Overview's 30-day average score, the feedback summary by model and by
--    query pattern) had only (organization_id, created_at) to go on, so every read was a full scan
--    of production_feedback. A covering index on created_at answers both from the index alone.
create index production_feedback_created_cover_idx on public.production_feedback (created_at)
  include (organization_id, app_id, model_code, query_pattern, quality_score, is_correct);

-- 4. The feedback summary (per model and per query pattern over a date range) aggregated raw
--    feedback: ~500k rows a year at 10 M calls. A daily rollup per (UTC day, organization, app,
--    model, query pattern) with count, score sum and correctness counts, kept by statement
--    triggers like llm_call_daily, answers it from a few thousand rows.
create table public.production_feedback_daily (
  day date not null,
  organization_id uuid,
  app_id uuid,
  model_code text,
  query_pattern text,
  feedback bigint not null default 0,
  score_sum bigint not null default 0,
  -- Rows that state is_correct, and those of them that say true.
  judged bigint not null default 0,
  correct bigint not null default 0,
  updated_at timestamptz not null default now(),
  constraint production_feedback_daily_key unique nulls not distinct (day, organization_id, app_id, model_code, query_pattern)
);
alter table public.production_feedback_daily enable row level security;
create index production_feedback_daily_org_day_idx on public.production_feedback_daily (organization_id, day);
create index production_feedback_daily_day_idx on public.production_feedback_daily (day);

create or replace function public.production_feedback_rollup() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    insert into public.production_feedback_daily as d (day, organization_id, app_id, model_code, query_pattern, feedback, score_sum, judged, correct)
    select (o.created_at at time zone 'UTC')::date, o.organization_id, o.app_id, o.model_code, o.query_pattern,
           -count(*), -sum(o.quality_score), -count(o.is_correct), -count(*) filter (where o.is_correct)
    from old_rows o
    group by 1, 2, 3, 4, 5
    on conflict on constraint production_feedback_daily_key do update set
      feedback = d.feedback + excluded.feedback, score_sum = d.score_sum + excluded.score_sum,
      judged = d.judged + excluded.judged, correct = d.correct + excluded.correct, updated_at = now();
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into public.production_feedback_daily as d (day, organization_id, app_id, model_code, query_pattern, feedback, score_sum, judged, correct)
    select (n.created_at at time zone 'UTC')::date, n.organization_id, n.app_id, n.model_code, n.query_pattern,
           count(*), sum(n.quality_score), count(n.is_correct), count(*) filter (where n.is_correct)
    from new_rows n
    group by 1, 2, 3, 4, 5
    on conflict on constraint production_feedback_daily_key do update set
      feedback = d.feedback + excluded.feedback, score_sum = d.score_sum + excluded.score_sum,
      judged = d.judged + excluded.judged, correct = d.correct + excluded.correct, updated_at = now();
  end if;
  return null;
end $$;
revoke all on function public.production_feedback_rollup() from public, anon, authenticated;

create trigger production_feedback_rollup_insert after insert on public.production_feedback
  referencing new table as new_rows for each statement execute function public.production_feedback_rollup();
create trigger production_feedback_rollup_update after update on public.production_feedback
  referencing old table as old_rows new table as new_rows for each statement execute function public.production_feedback_rollup();
create trigger production_feedback_rollup_delete after delete on public.production_feedback
  referencing old table as old_rows for each statement execute function public.production_feedback_rollup();

insert into public.production_feedback_daily (day, organization_id, app_id, model_code, query_pattern, feedback, score_sum, judged, correct)
select (created_at at time zone 'UTC')::date, organization_id, app_id, model_code, query_pattern,
       count(*), sum(quality_score), count(is_correct), count(*) filter (where is_correct)
from public.production_feedback
group by 1, 2, 3, 4, 5;

create policy production_feedback_daily_select on public.production_feedback_daily for select to authenticated
  using (
    (select public.has_platform_role())
    or organization_id = any (array(select public.my_organization_ids()))
  );

revoke all on public.production_feedback_daily from anon, authenticated;
grant select on public.production_feedback_daily to authenticated;
grant all on public.production_feedback_daily to service_role;
