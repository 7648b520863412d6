-- Shared budget counters and reservations (issue 9 item 10): before calling a provider, every
-- gateway instance reserves the call's estimated cost against its organization's monthly budget
-- with one atomic UPDATE … RETURNING on the counter row that only succeeds while
-- spent + reserved + estimate stays within the budget; on completion the reservation is replaced
-- by the actual cost (lib/gateway/budget-store.ts). Amounts are in the budget's currency.
-- Unlogged like rate_limit_windows: after a crash the tables start empty and each counter is
-- re-seeded from the daily rollups (llm_call_daily) on first use; reservations are leases with an
-- expiry, renewed while their call runs, so a crashed instance's reservations lapse.
-- Forward-only; the gateway deletes lapsed reservations as it goes.
create unlogged table public.budget_counters (
  organization_id uuid not null,
  -- first day of the UTC month the counter covers
  month date not null,
  -- the budget's currency when the counter was made; a currency change starts a new counter
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  spent numeric not null default 0,
  reserved numeric not null default 0 check (reserved >= 0),
  synced_at timestamptz not null default now(),
  primary key (organization_id, month, currency)
);

create unlogged table public.budget_reservations (
  id uuid primary key,
  organization_id uuid not null,
  month date not null,
  currency text not null,
  amount numeric not null check (amount >= 0),
  expires_at timestamptz not null
);
create index budget_reservations_expiry on public.budget_reservations (expires_at);

alter table public.budget_counters enable row level security;
alter table public.budget_reservations enable row level security;
-- No policies: the gateway writes them as the service role; no session reads or writes them.
revoke all on public.budget_counters from anon, authenticated;
revoke all on public.budget_reservations from anon, authenticated;
grant all on public.budget_counters to service_role;
grant all on public.budget_reservations to service_role;
