-- Learning under hostile tenants (issue 9, item 3).
--
-- 1. One feedback per request. Repeated posts of the same request's feedback used to add a row
--    each, so one caller could outvote everyone by repeating itself. Existing duplicates keep the
--    latest row (created_at, then id); the delete runs through production_feedback_rollup's
--    statement trigger, so production_feedback_daily loses exactly the removed rows. From now on a
--    repeat is an upsert (lib/gateway/handlers/feedback.ts): the UPDATE half of the upsert fires
--    the rollup's update trigger, which moves the old row out and the new one in.
delete from public.production_feedback f
using public.production_feedback newer
where newer.request_id = f.request_id
  and (newer.created_at, newer.id) > (f.created_at, f.id);

drop index public.production_feedback_request_idx;
alter table public.production_feedback add constraint production_feedback_request_key unique (request_id);

-- 2. Learned overrides per organization. An override learned from one organization's feedback
--    applies to that organization's calls only (organization_id set); app-wide overrides
--    (organization_id null) need evidence from several organizations (lib/engine/learn.ts).
alter table public.learning_overrides
  add column organization_id uuid references public.organizations (id) on delete cascade;
-- At most one active override per (app, action, pattern, organization or app-wide).
drop index public.learning_overrides_active_idx;
create unique index learning_overrides_active_idx on public.learning_overrides (app_id, action_type, query_pattern, organization_id)
  nulls not distinct where active;

-- Members see app-wide overrides and their own organizations' ones, never another client's.
drop policy learning_overrides_select on public.learning_overrides;
create policy learning_overrides_select on public.learning_overrides for select to authenticated
  using ((select public.is_member()) and (organization_id is null or public.has_org_role(organization_id)));
