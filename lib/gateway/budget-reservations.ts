import { errorMessage } from "@/lib/errors";
import { randomUUID } from "node:crypto";
import type { ReportingCurrency } from "@/lib/engine/currency";
import { sumInBudgetCurrency, toBudgetCurrency } from "@/lib/engine/budget";
import { Dec, formatCost } from "@/lib/engine/price";
import type { SnapshotOrganization } from "@/lib/engine/types";
import type { CounterFigures, CounterKey } from "@/lib/db/budget-counters";
import type { BudgetStore } from "./budget-store";

/**
 * Budget reservations (issue 9 items 10, 11): before a call, its estimated cost is reserved
 * against the organization's monthly budget in the shared store (budget-store.ts), which admits
 * it only while spent + reserved + estimate stays within the budget; on completion the lease is
 * settled (the reservation replaced by the actual cost). A lease cannot be forgotten: in the
 * store it expires (LEASE_TTL_MS) unless this process renews it while its call runs, so a crashed
 * instance's reservations lapse, and a lease this process never settles stops being renewed
 * after LEASE_MAX_MS.
 *
 * Organizations without a budget never reach this module (no database round trip). Each call of
 * an organization with one costs one round trip before the provider call (the reservation) and
 * one after, off the response path (the settle). No local fast path: the decision is always taken
 * in the store, so overshoot is bounded by estimates, not by instances or sync intervals.
 *
 * When the store is unreachable the decision falls back to this instance's last figures plus its
 * own calls in flight, and with no figures at all the call is admitted: the same fail-open rule
 * as before reservations (a budget is not enforced while its spend cannot be read), reported in
 * the log once a minute.
 *
 * Spend in every currency counts: the counter is seeded from the rollups of all currencies,
 * converted with reporting.fx_rates (the Costs page's rule, lib/engine/budget.ts); a currency
 * without a rate makes the counter unusable until a rate exists (the caller refuses the call).
 */

export const LEASE_TTL_MS = 60_000;
/** Longer than any call's retries and fallbacks plus a long stream. */
export const LEASE_MAX_MS = 15 * 60_000;
const SYNC_MS = 5_000;

export interface BudgetLease {
  readonly id: string;
  /** Adds an attempt's actual cost (from recordAttempt). */
  add(currency: string | null, cost: string | null): void;
  /** Replaces the reservation with the actual cost; idempotent. Never throws. */
  settle(): void;
}

export type ReserveOutcome =
  | { ok: true; lease: BudgetLease; spent: Dec; reserved: Dec; shared: boolean }
  | { ok: false; reason: "over"; spent: Dec; reserved: Dec }
  | { ok: false; reason: "unconvertible"; currencies: string[] };

/** What a call asks to reserve: `amount` in the budget currency, converted with `fx`; `enforce` false = no check. */
export interface ReserveRequest {
  fx: ReportingCurrency;
  amount: Dec;
  enforce: boolean;
  at?: number;
}

/** One reservation as this instance tracks it, until its lease settles. */
interface Reservation {
  id: string;
  key: CounterKey;
  org: SnapshotOrganization;
  fx: ReportingCurrency;
  amount: Dec;
}

interface Local {
  spent: Dec;
  reserved: Dec;
  /** Currencies of this month's spend without a rate (from the last seed). */
  unconvertible: string[];
  seededAt: number;
}

export interface BudgetReservationsOptions {
  ttlMs?: number;
  syncMs?: number;
  log?: (line: string) => void;
  /** Called for every amount that could not be converted (metric + log in the runtime). */
  onUnconvertible?: (org: SnapshotOrganization, currency: string) => void;
  /**
   * The first day of the window a counter covers at `at` (default: the UTC month). The scoped
   * budgets (budget-scoped.ts) pass their day or month in the reporting time zone.
   */
  windowOf?: (org: SnapshotOrganization, at: number) => string;
}

export function monthOf(at: number): string {
  return `${new Date(at).toISOString().slice(0, 7)}-01`;
}

const keyString = (k: CounterKey) => `${k.organizationId}|${k.month}|${k.currency}`;

export class BudgetReservations {
  private readonly local = new Map<string, Local>();
  private readonly seeding = new Map<string, Promise<Local>>();
  private readonly live = new Map<string, { created: number; shared: boolean }>();
  private readonly orgs = new Map<string, { org: SnapshotOrganization; fx: ReportingCurrency }>();
  private timer: NodeJS.Timeout | null = null;
  private lastWarning = 0;
  private readonly ttlMs: number;

  constructor(
    private readonly store: BudgetStore,
    private readonly options: BudgetReservationsOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? LEASE_TTL_MS;
  }

  /** Last known spent + reserved (budget currency), for routing before the reservation. */
  view(org: SnapshotOrganization, at = Date.now()): CounterFigures | null {
    const l = this.local.get(keyString(this.key(org, at)));
    return l ? { spent: l.spent.toFixed(), reserved: l.reserved.toFixed() } : null;
  }

  /**
   * Reserves `amount` (budget currency) for a call. `enforce` false records the reservation
   * without a check (alert policy, and the model a downgrade moved to).
   */
  async reserve(org: SnapshotOrganization, { fx, amount, enforce, at = Date.now() }: ReserveRequest): Promise<ReserveOutcome> {
    if (org.monthlyBudget === null) throw new Error("reserve() needs an organization with a budget");
    const key = this.key(org, at);
    const k = keyString(key);
    this.orgs.set(k, { org, fx });
    this.start();
    const id = randomUUID();
    const reservation: Reservation = { id, key, org, fx, amount };
    try {
      let local = this.local.get(k);
      if (!local || local.unconvertible.length > 0) local = await this.seed(key, org, fx);
      if (local.unconvertible.length > 0) return { ok: false, reason: "unconvertible", currencies: local.unconvertible };
      let r = await this.store.reserve(key, { id, amount: amount.toFixed(), ttlMs: this.ttlMs }, enforce ? org.monthlyBudget : null);
      if (r.outcome === "missing") {
        // The counter went away (a restart of an unlogged table): seed it again, once.
        local = await this.seed(key, org, fx);
        r = await this.store.reserve(key, { id, amount: amount.toFixed(), ttlMs: this.ttlMs }, enforce ? org.monthlyBudget : null);
      }
      if (r.outcome === "missing") throw new Error("budget counter missing after seeding");
      local.spent = new Dec(r.spent);
      local.reserved = new Dec(r.reserved);
      if (r.outcome === "refused") return { ok: false, reason: "over", spent: local.spent, reserved: local.reserved };
      this.live.set(id, { created: Date.now(), shared: true });
      return { ok: true, lease: this.lease(reservation, true), spent: local.spent, reserved: local.reserved.minus(amount), shared: true };
    } catch (err) {
      return this.reserveLocally(reservation, enforce, err);
    }
  }

  /** The store is unreachable: decide on this instance's last figures (fail open without any). */
  private reserveLocally(reservation: Reservation, enforce: boolean, err: unknown): ReserveOutcome {
    const { id, key, org, amount } = reservation;
    this.warn(`budget reservations not shared right now (deciding on this instance's figures): ${errorMessage(err)}`);
    const local = this.local.get(keyString(key));
    if (local && local.unconvertible.length > 0) return { ok: false, reason: "unconvertible", currencies: local.unconvertible };
    if (local && enforce) {
      const budget = new Dec(org.monthlyBudget!);
      const committed = local.spent.plus(local.reserved);
      if (committed.gte(budget) || committed.plus(amount).gt(budget)) return { ok: false, reason: "over", spent: local.spent, reserved: local.reserved };
    }
    const before = local?.reserved ?? new Dec(0);
    if (local) local.reserved = local.reserved.plus(amount);
    this.live.set(id, { created: Date.now(), shared: false });
    return { ok: true, lease: this.lease(reservation, false), spent: local?.spent ?? new Dec(0), reserved: before, shared: false };
  }

  /** shared: the reservation is in the store (settle there too), not only on this instance. */
  private lease({ id, key, org, fx, amount }: Reservation, shared: boolean): BudgetLease {
    let actual = new Dec(0);
    let settled = false;
    return {
      id,
      add: (currency, cost) => {
        if (settled || cost === null || currency === null) return;
        const converted = toBudgetCurrency(cost, currency, key.currency, fx);
        if (converted) actual = actual.plus(converted);
        else {
          // Never dropped: without a rate the reservation stands in for the actual cost.
          this.options.onUnconvertible?.(org, currency);
          actual = Dec.max(actual, amount);
        }
      },
      settle: () => {
        if (settled) return;
        settled = true;
        this.live.delete(id);
        const local = this.local.get(keyString(key));
        if (local) {
          local.reserved = Dec.max(local.reserved.minus(amount), 0);
          local.spent = local.spent.plus(actual);
        }
        if (!shared) return;
        void this.store.settle(key, id, formatCost(actual)).catch((err: unknown) => {
          // The lease lapses in the store; the rollups bring the cost into `spent` at the next seed.
          this.warn(`budget reservation ${id} not settled (it will lapse): ${errorMessage(err)}`);
        });
      },
    };
  }

  /** Seeds (or raises) the counter from the rollups of every currency, converted. */
  private seed(key: CounterKey, org: SnapshotOrganization, fx: ReportingCurrency): Promise<Local> {
    const k = keyString(key);
    let p = this.seeding.get(k);
    if (!p) {
      p = (async () => {
        const parts = await this.store.rollupSpend(key.organizationId, key.month);
        const sum = sumInBudgetCurrency(parts, key.currency, fx);
        const local = this.local.get(k) ?? { spent: new Dec(0), reserved: new Dec(0), unconvertible: [], seededAt: 0 };
        if (!sum.ok) {
          for (const c of sum.unconvertible) this.options.onUnconvertible?.(org, c);
          local.unconvertible = sum.unconvertible;
        } else {
          const figures = await this.store.seed(key, formatCost(sum.amount));
          local.spent = new Dec(figures.spent);
          local.reserved = new Dec(figures.reserved);
          local.unconvertible = [];
        }
        local.seededAt = Date.now();
        this.local.set(k, local);
        return local;
      })().finally(() => this.seeding.delete(k));
      this.seeding.set(k, p);
    }
    return p;
  }

  private key(org: SnapshotOrganization, at: number): CounterKey {
    return { organizationId: org.id, month: this.windowStart(org, at), currency: org.budgetCurrency };
  }

  private windowStart(org: SnapshotOrganization, at: number): string {
    return this.options.windowOf ? this.options.windowOf(org, at) : monthOf(at);
  }

  /**
   * Every SYNC_MS: renew this process's leases (those younger than LEASE_MAX_MS), release lapsed
   * ones fleet-wide, and re-seed the counters in use from the rollups (spend recorded by paths
   * that never reserved, and repairs after a counter was lost).
   */
  async sync(): Promise<void> {
    const now = Date.now();
    const renew: string[] = [];
    for (const [id, l] of this.live) {
      if (now - l.created > LEASE_MAX_MS) this.live.delete(id);
      else if (l.shared) renew.push(id);
    }
    try {
      await this.store.renew(renew, this.ttlMs);
      await this.store.sweep();
      for (const [k, { org, fx }] of this.orgs) {
        const [organizationId, m, currency] = k.split("|") as [string, string, string];
        if (m !== this.windowStart(org, now)) {
          this.orgs.delete(k);
          this.local.delete(k);
          continue;
        }
        await this.seed({ organizationId, month: m, currency }, org, fx);
      }
    } catch (err) {
      this.warn(`budget sync failed: ${errorMessage(err)}`);
    }
  }

  private start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sync(), this.options.syncMs ?? SYNC_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private warn(line: string): void {
    if (Date.now() - this.lastWarning < 60_000) return;
    this.lastWarning = Date.now();
    (this.options.log ?? ((l: string) => console.warn(`[gateway] ${l}`)))(line);
  }
}
