-- Partition upkeep from inside the database where pg_cron is installed (Supabase: enable it under
-- Database → Extensions, then re-run this file or the statement below). Daily at 02:17 UTC, beside
-- the app's own schedules (startup, the daily timer of long-running servers, Vercel Cron on
-- /api/cron/partitions): any one of them keeps llm_calls three months ahead. Skipped silently
-- where the extension is absent (PGlite, plain PostgreSQL): nothing here requires it.
-- Retention is not scheduled here: DETACH … CONCURRENTLY cannot run inside a function or a
-- transaction, so it runs from the app (lib/db/retention.ts).
do $$
begin
  if exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron') then
    execute $cron$select cron.schedule('llm-calls-partition-upkeep', '17 2 * * *', 'select public.llm_calls_partition_upkeep()')$cron$;
  end if;
end $$;
