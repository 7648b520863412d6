-- Circuit breakers shared across gateway instances (issue 16 item 9): one row per provider
-- (keyed by the provider's code, as the breakers, metrics and health are) holding the fleet's
-- view of its health: provider failures counted in a window, the time the circuit stays open
-- until, and the one half-open trial call allowed fleet-wide (its holder and lease expiry).
-- Written only when something goes wrong (a provider failure, a trial, a recovery); each
-- instance reads the rows on a short poll (lib/gateway/circuit-store.ts), so a healthy
-- provider costs no round trip per call.
-- Unlogged like budget_counters: after a PostgreSQL crash the table starts empty, i.e. every
-- circuit closed, which is what a fresh fleet starts with anyway. Service role only.
-- Forward-only; the gateway prunes closed rows whose window expired.
create unlogged table public.provider_circuits (
  provider text primary key,
  -- provider failures since window_started_at (reset by a success or when the window expires)
  failures integer not null default 0 check (failures >= 0),
  window_started_at timestamptz not null default now(),
  -- null = closed; in the future = open; in the past = half-open (one trial call allowed)
  opened_until timestamptz,
  -- the half-open trial in flight: who holds it (instance and pass) and until when
  trial_holder text,
  trial_expires_at timestamptz,
  changed_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index provider_circuits_expiry on public.provider_circuits (expires_at);

alter table public.provider_circuits enable row level security;
-- No policies: the gateway writes it as the service role; no session reads or writes it.
revoke all on public.provider_circuits from anon, authenticated;
grant all on public.provider_circuits to service_role;
