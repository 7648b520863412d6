import type { Kysely } from "kysely";
import {
  reserveBudget,
  rollupSpend,
  renewReservations,
  seedCounter,
  settleReservation,
  sweepReservations,
  type CounterFigures,
  type CounterKey,
  type ReserveResult,
} from "@/lib/db/budget-counters";
import type { DB } from "@/lib/db/schema";

/**
 * The shared budget state behind BudgetReservations, in Postgres (budget_counters,
 * budget_reservations). Each statement is atomic on the (organization, month, currency) counter
 * row, so every instance decides against the same figures; what each one does, and why, is told
 * beside the statements in lib/db/budget-counters.ts. Runs as the service role.
 */

export interface BudgetStore {
  seed(key: CounterKey, spent: string): Promise<CounterFigures>;
  /** budget null = record the reservation without a check (alert and downgrade policies). */
  reserve(key: CounterKey, lease: { id: string; amount: string; ttlMs: number }, budget: string | null): Promise<ReserveResult>;
  settle(key: CounterKey, leaseId: string, actual: string): Promise<void>;
  renew(leaseIds: string[], ttlMs: number): Promise<void>;
  sweep(): Promise<number>;
  /** Month-to-date spend per currency from the daily rollups (only currencies with a cost). */
  rollupSpend(organizationId: string, month: string): Promise<{ currency: string; amount: string }[]>;
}

export class PostgresBudgetStore implements BudgetStore {
  constructor(private readonly db: () => Promise<Kysely<DB>>) {}

  async seed(key: CounterKey, spent: string): Promise<CounterFigures> {
    return seedCounter(await this.db(), key, spent);
  }

  async reserve(key: CounterKey, lease: { id: string; amount: string; ttlMs: number }, budget: string | null): Promise<ReserveResult> {
    return reserveBudget(await this.db(), key, lease, budget);
  }

  async settle(key: CounterKey, leaseId: string, actual: string): Promise<void> {
    await settleReservation(await this.db(), key, leaseId, actual);
  }

  async renew(leaseIds: string[], ttlMs: number): Promise<void> {
    if (leaseIds.length === 0) return;
    await renewReservations(await this.db(), leaseIds, ttlMs);
  }

  async sweep(): Promise<number> {
    return sweepReservations(await this.db());
  }

  async rollupSpend(organizationId: string, month: string): Promise<{ currency: string; amount: string }[]> {
    return rollupSpend(await this.db(), organizationId, month);
  }
}
