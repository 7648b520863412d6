-- Feedback and learning: quality scores per request, learned routing overrides per query
-- pattern, and the retrain runs that produced them.

create table public.production_feedback (
  id uuid primary key default gen_random_uuid(),
  request_id uuid not null,
  -- Copied from the call when feedback arrives so RLS and learning need no join on the ledger.
  organization_id uuid references public.organizations (id) on delete set null,
  app_id uuid references public.apps (id) on delete set null,
  action_type text,
  query_pattern text,
  provider_code text,
  model_code text,
  quality_score smallint not null check (quality_score between 1 and 5),
  is_correct boolean,
  comment text check (comment is null or length(comment) <= 4000),
  source text not null default 'api' check (source in ('api', 'dashboard', 'import', 'seed')),
  created_at timestamptz not null default now()
);
alter table public.production_feedback enable row level security;
create index production_feedback_request_idx on public.production_feedback (request_id);
create index production_feedback_org_created_idx on public.production_feedback (organization_id, created_at desc);
create index production_feedback_pattern_idx on public.production_feedback (app_id, action_type, query_pattern, model_code);

create table public.retrain_runs (
  id uuid primary key default gen_random_uuid(),
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  actor_id uuid,
  trigger text not null default 'manual' check (trigger in ('manual', 'cron', 'api')),
  dry_run boolean not null,
  params jsonb not null default '{}',
  status text not null default 'running' check (status in ('running', 'succeeded', 'failed')),
  diff jsonb,
  summary jsonb
);
alter table public.retrain_runs enable row level security;

create table public.learning_overrides (
  id uuid primary key default gen_random_uuid(),
  app_id uuid not null references public.apps (id) on delete cascade,
  action_type text not null,
  query_pattern text not null,
  model_id uuid not null references public.llm_models (id) on delete cascade,
  confidence text not null check (confidence in ('high', 'medium', 'low')),
  samples integer not null check (samples >= 0),
  avg_score numeric(6, 4),
  correctness_rate numeric(6, 4),
  evidence jsonb,
  active boolean not null default false,
  run_id uuid references public.retrain_runs (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table public.learning_overrides enable row level security;
-- At most one active override per (app, action, pattern).
create unique index learning_overrides_active_idx on public.learning_overrides (app_id, action_type, query_pattern) where active;
create trigger learning_overrides_updated_at before update on public.learning_overrides for each row execute function public.set_updated_at();
create trigger learning_overrides_audit after insert or update or delete on public.learning_overrides for each row execute function public.audit_config_change();

create policy production_feedback_select on public.production_feedback for select to authenticated
  using (
    (organization_id is not null and public.has_org_role(organization_id))
    or (organization_id is null and (select public.has_platform_role()))
  );
-- Feedback arrives through the API (service role, attributed from the call). From a session only
-- platform admins insert it: the row's model, pattern and request are caller-supplied, and learned
-- overrides built from feedback change routing for every organization, so an org admin must not
-- be able to write it (nor attach it to another organization's request).
create policy production_feedback_insert on public.production_feedback for insert to authenticated
  with check ((select public.is_platform_admin()));
create policy production_feedback_delete on public.production_feedback for delete to authenticated
  using ((select public.is_platform_admin()));

create policy learning_overrides_select on public.learning_overrides for select to authenticated using ((select public.is_member()));
create policy learning_overrides_write on public.learning_overrides for all to authenticated
  using ((select public.is_platform_admin())) with check ((select public.is_platform_admin()));
create policy retrain_runs_select on public.retrain_runs for select to authenticated
  using ((select public.has_platform_role()) or exists (
    select 1 from public.memberships m where m.user_id = (select auth.uid()) and m.role = 'admin'));
create policy retrain_runs_write on public.retrain_runs for all to authenticated
  using ((select public.is_platform_admin())) with check ((select public.is_platform_admin()));

-- Revoke first, from both API roles (Supabase's default privileges grant ALL on new tables).
revoke all on public.production_feedback, public.retrain_runs, public.learning_overrides from anon, authenticated;
grant select, insert, delete on public.production_feedback to authenticated;
grant select, insert, update, delete on public.retrain_runs, public.learning_overrides to authenticated;
grant all on public.production_feedback, public.retrain_runs, public.learning_overrides to service_role;
