-- Limits exact across a fleet of gateway instances (issue 16, items 1 and 3).
--
-- 1. Rate limits: an instance no longer adds its hits in the background; it takes an allowance
--    from the key's window row with rate_limit_take() (one atomic statement under the row lock)
--    that only grants what keeps previous * weight + hits within the limit, then admits locally
--    from that allowance (lib/gateway/rate-limit.ts). Far from the limit the allowance is a large
--    share of what is left, so the hot path rarely touches the database; near the limit it is
--    one request at a time. Unused allowance is handed back when the minute rolls over.
-- 2. Concurrency caps: one row per (key, instance) with the slots that instance holds and an
--    expiry renewed while the instance lives; concurrency_reserve() sets an instance's slots
--    under a per-key transaction advisory lock, never past the cap counting the other
--    instances' unexpired rows. A crashed instance's rows lapse (lib/gateway/concurrency-store.ts).
-- 3. Login throttle: failed sign-ins per (address, account) and per address, shared by every
--    instance (lib/auth/login-throttle-store.ts). Keys are SHA-256 digests, never emails.
-- All unlogged (losing them on a crash at worst admits one more window) and service role only.
-- Forward-only; the code that uses each table deletes its expired rows.

create or replace function public.rate_limit_take(p_key uuid, p_bucket integer, p_limit bigint, p_weight double precision, p_want bigint)
returns table (granted bigint, current_hits bigint, previous_hits bigint)
language plpgsql
set search_path = public
as $$
declare
  prev bigint;
  cur bigint;
  g bigint;
begin
  select w.hits into prev from public.rate_limit_windows w where w.key_id = p_key and w.bucket = p_bucket - 1;
  prev := coalesce(prev, 0);
  insert into public.rate_limit_windows (key_id, bucket, hits) values (p_key, p_bucket, 0) on conflict do nothing;
  select w.hits into cur from public.rate_limit_windows w where w.key_id = p_key and w.bucket = p_bucket for update;
  -- The same test as admits() in rate-limit.ts: previous * weight + current + n <= limit.
  g := greatest(0, least(p_want, floor(p_limit - prev * p_weight - cur)::bigint));
  if g > 0 then
    update public.rate_limit_windows w set hits = w.hits + g where w.key_id = p_key and w.bucket = p_bucket;
  end if;
  return query select g, cur + g, prev;
end;
$$;

create unlogged table public.concurrency_slots (
  key_id uuid not null,
  instance_id text not null check (length(instance_id) between 1 and 200),
  slots integer not null check (slots >= 0),
  expires_at timestamptz not null,
  primary key (key_id, instance_id)
);
create index concurrency_slots_expiry on public.concurrency_slots (expires_at);

-- Sets this instance's slots for the key to p_need (less if p_cap minus the other instances'
-- unexpired slots leaves less) plus a spare of 1/p_share of what stays free; returns what it
-- holds now and what the others hold.
create or replace function public.concurrency_reserve(p_key uuid, p_instance text, p_cap integer, p_need integer, p_share integer, p_ttl_ms integer)
returns table (held integer, others integer)
language plpgsql
set search_path = public
as $$
declare
  o integer;
  h integer;
begin
  perform pg_advisory_xact_lock(hashtextextended('llmcp.concurrency:' || p_key::text, 0));
  select coalesce(sum(s.slots), 0)::integer into o from public.concurrency_slots s
    where s.key_id = p_key and s.instance_id <> p_instance and s.expires_at > clock_timestamp();
  h := greatest(0, least(p_need, p_cap - o)) + greatest(0, (p_cap - o - p_need) / greatest(p_share, 1));
  if h = 0 then
    delete from public.concurrency_slots s where s.key_id = p_key and s.instance_id = p_instance;
  else
    insert into public.concurrency_slots as s (key_id, instance_id, slots, expires_at)
      values (p_key, p_instance, h, clock_timestamp() + make_interval(secs => p_ttl_ms / 1000.0))
      on conflict (key_id, instance_id) do update set slots = excluded.slots, expires_at = excluded.expires_at;
  end if;
  return query select h, o;
end;
$$;

create unlogged table public.login_failures (
  -- sha256 hex of "pair\n<address>\n<account>" or "address\n<address>"
  key text primary key check (key ~ '^[0-9a-f]{64}$'),
  failures integer not null check (failures >= 0),
  expires_at timestamptz not null
);
create index login_failures_expiry on public.login_failures (expires_at);

alter table public.concurrency_slots enable row level security;
alter table public.login_failures enable row level security;
-- No policies: the gateway and the sign-in action write them as the service role.
revoke all on public.concurrency_slots from anon, authenticated;
revoke all on public.login_failures from anon, authenticated;
grant all on public.concurrency_slots to service_role;
grant all on public.login_failures to service_role;
revoke execute on function public.rate_limit_take(uuid, integer, bigint, double precision, bigint) from public, anon, authenticated;
revoke execute on function public.concurrency_reserve(uuid, text, integer, integer, integer, integer) from public, anon, authenticated;
grant execute on function public.rate_limit_take(uuid, integer, bigint, double precision, bigint) to service_role;
grant execute on function public.concurrency_reserve(uuid, text, integer, integer, integer, integer) to service_role;
