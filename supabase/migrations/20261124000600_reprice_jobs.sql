-- Repricing as a resumable job, and prices imported from LiteLLM's price file.
--
-- A job reprices calls whose cost is unknown or came from the built-in fallback table with the
-- database price in force at each call's time. It walks llm_calls in (created_at, id) order and
-- stores its keyset cursor after every batch, in the same transaction as the batch, so a crash
-- or a frozen serverless function resumes exactly where the last committed batch ended.

-- prices may come from a LiteLLM file --------------------------------------------------------------
alter table public.model_prices drop constraint model_prices_source_check;
alter table public.model_prices add constraint model_prices_source_check
  check (source in ('manual', 'seed', 'import', 'litellm'));

-- what a repricing changed, on the call itself (the partitions inherit the columns) --------------
alter table public.llm_calls
  add column repriced_at timestamptz,
  add column reprice_job_id uuid,
  add column previous_cost numeric(24, 12),
  add column previous_currency text,
  add column previous_pricing_source text check (previous_pricing_source in ('database', 'fallback'));

-- The candidates of a repricing, in keyset order; rows leave the index once priced from the database.
create index llm_calls_reprice_idx on public.llm_calls (created_at, id)
  where cost is null or pricing_source = 'fallback';

create table public.reprice_jobs (
  id uuid primary key default gen_random_uuid(),
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  trigger text not null default 'manual' check (trigger in ('manual', 'import')),
  requested_by uuid,
  -- null = every model; else only calls of these catalog models.
  model_ids uuid[] check (model_ids is null or cardinality(model_ids) between 1 and 5000),
  cursor_created_at timestamptz,
  cursor_id uuid,
  examined integer not null default 0 check (examined >= 0),
  changed integer not null default 0 check (changed >= 0),
  total_estimate integer check (total_estimate is null or total_estimate >= 0),
  -- The runner holding the job: a runner whose lease was taken over stops at its next batch.
  lease_id uuid,
  heartbeat_at timestamptz,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  error text,
  constraint reprice_jobs_cursor_pair check ((cursor_created_at is null) = (cursor_id is null))
);
alter table public.reprice_jobs enable row level security;
create index reprice_jobs_created_idx on public.reprice_jobs (created_at desc);
-- One job at a time: a second start finds the active one instead of racing it.
create unique index reprice_jobs_one_active on public.reprice_jobs ((true)) where status in ('queued', 'running');

-- Platform admins (who may reprice) read the jobs; only the service path writes them, after the
-- application has checked that the requester is a platform admin.
create policy reprice_jobs_select on public.reprice_jobs for select to authenticated
  using ((select public.is_platform_admin()));

revoke all on public.reprice_jobs from anon, authenticated;
grant select on public.reprice_jobs to authenticated;
grant all on public.reprice_jobs to service_role;
