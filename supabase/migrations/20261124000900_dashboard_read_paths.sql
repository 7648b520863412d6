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
-- 2. "Incomplete records by purpose and app" (lib/db/completeness.ts) reads raw calls: the
--    partial index on incomplete calls now carries the columns that query groups and filters by,
--    so it is answered from the index alone (append-only partitions are all-visible once vacuumed).

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

create index llm_calls_incomplete_cover_idx on public.llm_calls (created_at)
  include (organization_id, app_id, purpose) where not record_complete;
drop index public.llm_calls_incomplete_idx;
