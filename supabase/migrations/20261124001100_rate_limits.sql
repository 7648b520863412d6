-- Shared rate-limit windows: one row per app key and one-minute bucket, counting the requests
-- every gateway instance admitted. Instances add their hits with one atomic upsert every ~200 ms
-- (lib/gateway/rate-limit-store.ts) and read back the global count, so a key's limit holds
-- across instances (DESIGN "Past one machine"). Unlogged: the counts are worth a few minutes and
-- need no WAL; after a crash the table starts empty, which at worst admits one extra minute.
-- Forward-only; old windows are deleted by the gateway as it goes.
create unlogged table public.rate_limit_windows (
  key_id uuid not null,
  -- floor(epoch milliseconds / 60,000)
  bucket integer not null check (bucket > 0),
  hits bigint not null default 0 check (hits >= 0),
  primary key (key_id, bucket)
);
alter table public.rate_limit_windows enable row level security;
-- No policies: the gateway writes it as the service role; no session reads or writes it.
revoke all on public.rate_limit_windows from anon, authenticated;
grant all on public.rate_limit_windows to service_role;
