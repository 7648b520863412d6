import { sql, type Kysely, type RawBuilder } from "kysely";
import type { DB } from "./schema";

/**
 * The fleet's circuit state in Postgres (provider_circuits, migration 20261206120000), behind
 * lib/gateway/shared-circuits.ts (through lib/gateway/circuit-store.ts). One row per provider
 * code; each statement is atomic on that row, so every instance decides against the same figures:
 *
 * - failCircuit: counts a provider failure in the window; at the threshold the circuit opens until
 *   now + cooldown. A failure while open or half-open (the trial's, or a call let through
 *   before the circuit opened) restarts the cooldown; the failing trial's lease is cleared.
 * - closeCircuit: closes the circuit (count 0, no trial): the provider answered.
 * - releaseTrial: the trial ended neutrally (a caller's 400, a cancel): frees it for the next call.
 * - claimTrial: takes the one half-open trial, fleet-wide, while none is held (or its lease ran out).
 *
 * Times are returned as milliseconds from the database's now() (openMs, trialMs), so instances
 * whose clocks differ still agree on when a circuit half-opens. Runs as the service role.
 */

/** A provider's circuit as the gateway and the providers page report it. */
export type CircuitState = "closed" | "open" | "half_open";

export interface CircuitRow {
  provider: string;
  /** Provider failures in the current window. */
  failures: number;
  /** Milliseconds until the circuit half-opens (≤ 0: half-open now); null = closed. */
  openMs: number | null;
  /** Who holds the half-open trial ("instance#n"), and the milliseconds left on its lease. */
  trialHolder: string | null;
  trialMs: number | null;
}

export interface CircuitPolicy {
  threshold: number;
  cooldownMs: number;
  /** Failures older than this (with no circuit open) no longer count. */
  windowMs: number;
}

interface RawRow {
  provider: string;
  failures: number | string;
  open_ms: number | string | null;
  trial_holder: string | null;
  trial_ms: number | string | null;
}

/** The row's columns, times relative to the database's clock. */
const COLUMNS = sql`provider, failures,
  (extract(epoch from (opened_until - now())) * 1000)::float8 as open_ms,
  trial_holder,
  (extract(epoch from (trial_expires_at - now())) * 1000)::float8 as trial_ms`;

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

function toRow(r: RawRow): CircuitRow {
  return { provider: r.provider, failures: Number(r.failures), openMs: num(r.open_ms), trialHolder: r.trial_holder, trialMs: num(r.trial_ms) };
}

const interval = (ms: number): RawBuilder<unknown> => sql`make_interval(secs => ${ms / 1000})`;

export async function listCircuits(db: Kysely<DB>): Promise<CircuitRow[]> {
  const { rows } = await sql<RawRow>`select ${COLUMNS} from public.provider_circuits`.execute(db);
  return rows.map(toRow);
}

export async function failCircuit(db: Kysely<DB>, provider: string, holder: string | null, policy: CircuitPolicy): Promise<CircuitRow> {
  const window = interval(policy.windowMs);
  const cooldown = interval(policy.cooldownMs);
  // The window restarts only while closed: an open circuit keeps counting.
  const expired = sql`(c.opened_until is null and c.window_started_at < now() - ${window})`;
  const count = sql`(case when ${expired} then 1 else c.failures + 1 end)`;
  const ownsTrial = sql`(c.trial_holder = ${holder})`;
  const { rows } = await sql<RawRow>`
    insert into public.provider_circuits as c (provider, failures, window_started_at, opened_until, expires_at)
    values (${provider}, 1, now(), case when 1 >= ${policy.threshold} then now() + ${cooldown} end, now() + ${cooldown} + ${window})
    on conflict (provider) do update set
      failures = ${count},
      window_started_at = case when ${expired} then now() else c.window_started_at end,
      opened_until = case when c.opened_until is not null or ${count} >= ${policy.threshold} then now() + ${cooldown} end,
      trial_holder = case when ${ownsTrial} then null else c.trial_holder end,
      trial_expires_at = case when ${ownsTrial} then null else c.trial_expires_at end,
      changed_at = now(),
      expires_at = now() + ${cooldown} + ${window}
    returning ${COLUMNS}`.execute(db);
  return toRow(rows[0]!);
}

export async function closeCircuit(db: Kysely<DB>, provider: string, policy: CircuitPolicy): Promise<CircuitRow | null> {
  const { rows } = await sql<RawRow>`
    update public.provider_circuits
    set failures = 0, window_started_at = now(), opened_until = null, trial_holder = null, trial_expires_at = null,
        changed_at = now(), expires_at = now() + ${interval(policy.windowMs)}
    where provider = ${provider} and (failures > 0 or opened_until is not null or trial_holder is not null)
    returning ${COLUMNS}`.execute(db);
  return rows[0] ? toRow(rows[0]) : null;
}

export async function releaseTrial(db: Kysely<DB>, provider: string, holder: string): Promise<CircuitRow | null> {
  const { rows } = await sql<RawRow>`
    update public.provider_circuits set trial_holder = null, trial_expires_at = null, changed_at = now()
    where provider = ${provider} and trial_holder = ${holder}
    returning ${COLUMNS}`.execute(db);
  return rows[0] ? toRow(rows[0]) : null;
}

export async function claimTrial(db: Kysely<DB>, provider: string, holder: string, leaseMs: number): Promise<{ claimed: boolean; row: CircuitRow | null }> {
  const lease = interval(leaseMs);
  const { rows } = await sql<RawRow & { claimed: boolean }>`
    with up as (
      update public.provider_circuits c
      set trial_holder = ${holder}, trial_expires_at = now() + ${lease}, changed_at = now(),
          expires_at = greatest(c.expires_at, now() + ${lease})
      where c.provider = ${provider} and c.opened_until <= now()
        and (c.trial_holder is null or c.trial_expires_at <= now())
      returning c.*
    )
    select true as claimed, ${COLUMNS} from up
    union all
    select false, ${COLUMNS} from public.provider_circuits
    where provider = ${provider} and not exists (select 1 from up)`.execute(db);
  const r = rows[0];
  return r ? { claimed: r.claimed, row: toRow(r) } : { claimed: false, row: null };
}

export async function pruneCircuits(db: Kysely<DB>): Promise<number> {
  const result = await sql`
    delete from public.provider_circuits
    where (opened_until is null and expires_at < now()) or opened_until < now() - interval '1 day'`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
