import type { Kysely } from "kysely";
import {
  claimTrial,
  closeCircuit,
  failCircuit,
  listCircuits,
  pruneCircuits,
  releaseTrial,
  type CircuitPolicy,
  type CircuitRow,
} from "@/lib/db/provider-circuits";
import type { DB } from "@/lib/db/schema";

/**
 * The fleet's circuit state in Postgres (provider_circuits), behind SharedCircuitBreakers
 * (shared-circuits.ts). One row per provider code; each statement is atomic on that row, so every
 * instance decides against the same figures (the statements and their rules: lib/db/provider-circuits.ts).
 * Runs as the service role.
 */

export interface CircuitStore {
  list(): Promise<CircuitRow[]>;
  /** holder: the trial's holder when this failure is the trial's. */
  fail(provider: string, holder: string | null, policy: CircuitPolicy): Promise<CircuitRow>;
  /** The row after closing it; null when there was nothing to close (no row, or already clean). */
  succeed(provider: string, policy: CircuitPolicy): Promise<CircuitRow | null>;
  /** The row after releasing the trial; null when `holder` no longer held it. */
  release(provider: string, holder: string): Promise<CircuitRow | null>;
  claimTrial(provider: string, holder: string, leaseMs: number): Promise<{ claimed: boolean; row: CircuitRow | null }>;
  /** Deletes closed rows past their expiry and circuits nobody tried for a day. */
  prune(): Promise<number>;
}

export class PostgresCircuitStore implements CircuitStore {
  constructor(private readonly db: () => Promise<Kysely<DB>>) {}

  async list(): Promise<CircuitRow[]> {
    return listCircuits(await this.db());
  }

  async fail(provider: string, holder: string | null, policy: CircuitPolicy): Promise<CircuitRow> {
    return failCircuit(await this.db(), provider, holder, policy);
  }

  async succeed(provider: string, policy: CircuitPolicy): Promise<CircuitRow | null> {
    return closeCircuit(await this.db(), provider, policy);
  }

  async release(provider: string, holder: string): Promise<CircuitRow | null> {
    return releaseTrial(await this.db(), provider, holder);
  }

  async claimTrial(provider: string, holder: string, leaseMs: number): Promise<{ claimed: boolean; row: CircuitRow | null }> {
    return claimTrial(await this.db(), provider, holder, leaseMs);
  }

  async prune(): Promise<number> {
    return pruneCircuits(await this.db());
  }
}
