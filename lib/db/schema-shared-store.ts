import type { ColumnType, Generated } from "kysely";

/**
 * Kysely types of the shared-store tables: what several gateway instances decide together
 * (rate-limit windows, concurrency leases, budget counters and reservations, circuits, the login
 * throttle). All unlogged (a PostgreSQL crash empties them, harmlessly) and service role only;
 * lib/db/schema.ts's DB includes them. Conventions as in schema.ts.
 */

/** Shared per-key rate-limit counters (migration 20261124001100; rate_limit_take() in 20261206100000). */
export interface RateLimitWindowsTable {
  key_id: string;
  bucket: number;
  hits: Generated<number>;
}

/*
 * Shared budget counters and reservations (migration 20261206020000; unlogged; service role only).
 * Amounts are numeric in the budget's currency, read as exact strings.
 */
export interface BudgetCountersTable {
  organization_id: string;
  month: ColumnType<Date, string, string>;
  currency: string;
  spent: ColumnType<string, string | undefined, string>;
  reserved: ColumnType<string, string | undefined, string>;
  synced_at: Generated<Date>;
}

export interface BudgetReservationsTable {
  id: string;
  organization_id: string;
  month: ColumnType<Date, string, string>;
  currency: string;
  amount: ColumnType<string, string, string>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

/** Per-(key, instance) concurrency leases (unlogged; service role only; migration 20261206100000). */
export interface ConcurrencySlotsTable {
  key_id: string;
  instance_id: string;
  slots: number;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

/** Shared login-throttle counts, keyed by SHA-256 digests (unlogged; service role only). */
export interface LoginFailuresTable {
  key: string;
  failures: number;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

/** Circuit breakers shared across instances (migration 20261206120000; unlogged; service role only). */
export interface ProviderCircuitsTable {
  provider: string;
  failures: Generated<number>;
  window_started_at: Generated<Date>;
  opened_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  trial_holder: string | null;
  trial_expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  changed_at: Generated<Date>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

export interface SharedStoreTables {
  rate_limit_windows: RateLimitWindowsTable;
  budget_counters: BudgetCountersTable;
  budget_reservations: BudgetReservationsTable;
  concurrency_slots: ConcurrencySlotsTable;
  login_failures: LoginFailuresTable;
  provider_circuits: ProviderCircuitsTable;
}

/**
 * The response cache's Postgres store (migration 20261208050001; unlogged; service role only):
 * one answer per SHA-256 key (organization and app are part of the key), bounded per
 * organization_key ('' = no organization) and overall by lib/db/response-cache.ts.
 */
export interface ResponseCacheTable {
  key: string;
  organization_key: string;
  app_id: string;
  entry: string;
  bytes: number;
  created_at: Generated<Date>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

export interface SharedStoreTables {
  response_cache: ResponseCacheTable;
}
