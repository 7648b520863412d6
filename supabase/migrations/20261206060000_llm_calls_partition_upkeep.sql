-- Partitions that never run out (issue 16, items 4 and 5).
--
-- Before: llm_calls had monthly partitions plus a DEFAULT partition. A row for a month without a
-- partition landed in the default, after which that month's partition could no longer be created
-- ("updated partition constraint for default partition … would be violated") and every later
-- startup failed. In Supabase mode nothing created partitions after the first migration's +3 months.
--
-- Now:
-- 1. llm_calls_create_partition(month) creates one month's partition WITHOUT `create table …
--    partition of` (which takes ACCESS EXCLUSIVE on llm_calls and so blocks every insert): it
--    creates a standalone table, fills it with that month's rows from the default partition if
--    one exists, and ATTACHes it, which takes only SHARE UPDATE EXCLUSIVE on llm_calls (inserts
--    and reads carry on). Rows are moved with an INSERT into the standalone table and a DELETE
--    from `only` the default partition: statement triggers declared on a partitioned table fire
--    only for statements that name the parent, so neither llm_calls_rollup nor
--    llm_calls_incomplete_rollup sees the move and the daily rollups stay exactly as they are
--    (the rows were counted when they were first inserted through the parent).
-- 2. llm_calls_partition_upkeep(now, months_ahead) creates last month to months_ahead ahead and
--    drains the default partition (if any) month by month. Startup, the cron route, the server's
--    daily timer and pg_cron all call it; it is idempotent and serialized by an advisory lock.
-- 3. The default partition is drained once more here and then DROPPED. Reasons: a default makes
--    `DETACH PARTITION … CONCURRENTLY` impossible (retention could only detach under ACCESS
--    EXCLUSIVE, stalling every insert behind the slowest running query), and rows in it are what
--    blocked partition creation. Without it, an insert for a month that has no partition fails
--    with "no partition of relation found for row"; the recorder classifies that as a partition
--    failure, calls ensure_llm_calls_partitions for the rows' months and retries (bounded to 5
--    years back and one year ahead: a date outside that is bad data and is dead-lettered, never
--    dropped silently). With upkeep keeping three months ahead this path is the exception.
--    Should an operator attach a default again, upkeep drains it; nothing here depends on it.

-- The one lock every change to llm_calls' partition set takes (two instances starting at once
-- raced on CREATE TABLE before). Transaction-scoped: released at commit or rollback.
create or replace function public.llm_calls_partition_lock() returns void
language sql security definer set search_path = '' as $$
  select pg_catalog.pg_advisory_xact_lock(7716350212611240300);
$$;

-- Creates the partition of one month (UTC). Returns the number of rows moved into it from the
-- default partition, 0 when it was created empty, null when it already existed.
--
-- Sequence with a default partition holding rows of that month, all in the caller's transaction:
--   a. advisory lock (serializes upkeep across instances);
--   b. LOCK the default partition in ACCESS EXCLUSIVE mode: no row of that month can be inserted
--      into it (or read half-moved) until commit. Inserts routed to other partitions are not
--      affected; ATTACH would take this lock anyway to re-validate the default, so taking it first
--      avoids a lock upgrade (and its deadlock) later;
--   c. create the month's table standalone (LIKE llm_calls: columns, defaults, generated column,
--      CHECK and NOT NULL constraints), RLS on, no user grants;
--   d. INSERT the month's rows from `only` the default into it, then DELETE them from `only` the
--      default — neither statement names llm_calls, so no rollup trigger fires;
--   e. ATTACH it for [month, month + 1): SHARE UPDATE EXCLUSIVE on llm_calls, builds the missing
--      indexes (primary key, unique key, the ledger's indexes) and checks the rows and the default.
-- Without rows in the default the same sequence runs with nothing to move. Cost under lock is
-- proportional to the rows moved; in steady state the default is absent or empty.
create or replace function public.llm_calls_create_partition(p_month date)
returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  m date := date_trunc('month', p_month)::date;
  part text := format('llm_calls_%s', to_char(date_trunc('month', p_month), 'YYYY_MM'));
  lo timestamptz := (date_trunc('month', p_month)::date)::timestamp at time zone 'UTC';
  hi timestamptz := ((date_trunc('month', p_month) + interval '1 month')::date)::timestamp at time zone 'UTC';
  def oid;
  cols text;
  moved bigint := 0;
begin
  perform public.llm_calls_partition_lock();
  if to_regclass('public.' || part) is not null then
    return null;
  end if;
  select nullif(pt.partdefid, 0) into def
  from pg_catalog.pg_partitioned_table pt where pt.partrelid = 'public.llm_calls'::regclass;
  if def is not null then
    execute format('lock table %s in access exclusive mode', def::regclass);
  end if;
  execute format(
    'create table public.%I (like public.llm_calls including defaults including constraints including generated)', part);
  execute format('alter table public.%I enable row level security', part);
  execute format('revoke all on public.%I from anon, authenticated', part);
  execute format('grant all on public.%I to service_role', part);
  if def is not null then
    -- Every stored column by name (the generated record_complete is recomputed on insert).
    select string_agg(quote_ident(a.attname), ', ' order by a.attnum) into cols
    from pg_catalog.pg_attribute a
    where a.attrelid = 'public.llm_calls'::regclass and a.attnum > 0 and not a.attisdropped and a.attgenerated = '';
    execute format('insert into public.%I (%s) select %s from only %s where created_at >= $1 and created_at < $2',
      part, cols, cols, def::regclass) using lo, hi;
    get diagnostics moved = row_count;
    if moved > 0 then
      execute format('delete from only %s where created_at >= $1 and created_at < $2', def::regclass) using lo, hi;
    end if;
  end if;
  execute format('alter table public.llm_calls attach partition public.%I for values from (%L) to (%L)', part, lo, hi);
  return moved;
end $$;

-- Same signature and result as before (partitions created), now through the safe path above: the
-- recorder's retry, the seed and the scripts keep calling it.
create or replace function public.ensure_llm_calls_partitions(p_from date, p_to date)
returns integer
language plpgsql security definer set search_path = '' as $$
declare
  m date := date_trunc('month', p_from)::date;
  created integer := 0;
begin
  while m <= p_to loop
    if public.llm_calls_create_partition(m) is not null then
      created := created + 1;
    end if;
    m := (m + interval '1 month')::date;
  end loop;
  return created;
end $$;

-- Months covered at and after p_now's month without a hole, rows in the default partition (null
-- when there is none) and the partition count: what /api/llm/health reports.
create or replace function public.llm_calls_partition_status(p_now timestamptz default now())
returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  m date := date_trunc('month', p_now at time zone 'UTC')::date;
  ahead integer := -1;
  def oid;
  in_default bigint;
  total integer;
begin
  while ahead < 120 and to_regclass(format('public.llm_calls_%s', to_char(m, 'YYYY_MM'))) is not null loop
    ahead := ahead + 1;
    m := (m + interval '1 month')::date;
  end loop;
  select nullif(pt.partdefid, 0) into def
  from pg_catalog.pg_partitioned_table pt where pt.partrelid = 'public.llm_calls'::regclass;
  if def is not null then
    execute format('select count(*) from only %s', def::regclass) into in_default;
  end if;
  select count(*) into total from pg_catalog.pg_inherits i where i.inhparent = 'public.llm_calls'::regclass;
  return jsonb_build_object(
    'current_month', ahead >= 0,
    'months_ahead', greatest(ahead, 0),
    'default_partition', def is not null,
    'rows_in_default', in_default,
    'partitions', total);
end $$;

-- The job: partitions from last month to p_months_ahead ahead, and every month that has rows in
-- the default partition. Returns what it did and the status afterwards.
create or replace function public.llm_calls_partition_upkeep(p_now timestamptz default now(), p_months_ahead integer default 3)
returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  this_month date := date_trunc('month', p_now at time zone 'UTC')::date;
  ahead integer := least(greatest(coalesce(p_months_ahead, 3), 1), 24);
  def oid;
  m date;
  r bigint;
  created integer := 0;
  moved bigint := 0;
  drained date[] := '{}';
begin
  perform public.llm_calls_partition_lock();
  m := (this_month - interval '1 month')::date;
  while m <= (this_month + make_interval(months => ahead))::date loop
    r := public.llm_calls_create_partition(m);
    if r is not null then created := created + 1; moved := moved + r; end if;
    m := (m + interval '1 month')::date;
  end loop;
  select nullif(pt.partdefid, 0) into def
  from pg_catalog.pg_partitioned_table pt where pt.partrelid = 'public.llm_calls'::regclass;
  if def is not null then
    for m in execute format(
      'select distinct date_trunc(''month'', created_at at time zone ''UTC'')::date from only %s order by 1', def::regclass)
    loop
      r := public.llm_calls_create_partition(m);
      if r is not null then created := created + 1; moved := moved + r; drained := drained || m; end if;
    end loop;
  end if;
  return jsonb_build_object('created', created, 'moved', moved, 'drained_months', to_jsonb(drained))
    || public.llm_calls_partition_status(p_now);
end $$;

-- Security definer functions that create tables: service role only. On Supabase, anon and
-- authenticated get EXECUTE on new functions by default, so revoke from them by name too.
revoke all on function public.llm_calls_partition_lock() from public, anon, authenticated;
revoke all on function public.llm_calls_create_partition(date) from public, anon, authenticated;
revoke all on function public.llm_calls_partition_status(timestamptz) from public, anon, authenticated;
revoke all on function public.llm_calls_partition_upkeep(timestamptz, integer) from public, anon, authenticated;
grant execute on function public.llm_calls_partition_lock() to service_role;
grant execute on function public.llm_calls_create_partition(date) to service_role;
grant execute on function public.llm_calls_partition_status(timestamptz) to service_role;
grant execute on function public.llm_calls_partition_upkeep(timestamptz, integer) to service_role;

-- Drain the default into monthly partitions, then drop it (reasons above). It is empty after the
-- drain; the check keeps a row from ever being dropped with it.
select public.llm_calls_partition_upkeep();
do $$
begin
  if to_regclass('public.llm_calls_default') is not null then
    if exists (select 1 from only public.llm_calls_default) then
      raise exception 'llm_calls_default still holds rows after the drain';
    end if;
    alter table public.llm_calls detach partition public.llm_calls_default;
    drop table public.llm_calls_default;
  end if;
end $$;
