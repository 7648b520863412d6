import type { Kysely } from "kysely";
import { windowSpend } from "@/lib/db/budget-spend";
import type { DB } from "@/lib/db/schema";
import { cheapestConfiguredModel, defaultOutputTokens, estimateCost, estimateTokens, fxRates, toBudgetCurrency } from "@/lib/engine/budget";
import {
  describeCheck,
  fits,
  scopedBudgetsFor,
  scopedThresholdAlerts,
  scopeOf,
  tightest,
  windowAt,
  zoneOf,
  type BudgetCheck,
  type ScopedAlert,
} from "@/lib/engine/budget-scope";
import { Dec } from "@/lib/engine/price";
import type { ConfigSnapshot } from "@/lib/engine/snapshot";
import type { RouteDecision, SnapshotBudget, SnapshotOrganization } from "@/lib/engine/types";
import { raiseScopedBudgetAlerts } from "./budget-alerts";
import { BudgetReservations, type BudgetLease, type BudgetReservationsOptions, type ReserveOutcome } from "./budget-reservations";
import { PostgresBudgetStore } from "./budget-store";
import type { CallContext } from "./context";

/**
 * Budgets per organization × app, per API key, and the organization's daily budget (every row of
 * `budgets` except the organization × month one, which budget-admission.ts enforces as before).
 * Each applicable budget's estimate is reserved in the shared store exactly like the monthly
 * budget's (BudgetReservations over budget_counters: spent + in flight + estimate within the
 * amount, one atomic statement per counter, leases that lapse), keyed by the budget's id and the
 * first day of its window in the organization's reporting time zone.
 *
 * When several do not fit, the TIGHTEST decides (lib/engine/budget-scope.ts: least headroom in the
 * reporting currency): its policy applies: block refuses with 429 naming the budget (scope,
 * window, amounts), downgrade moves the call to the cheapest configured model, alert admits it.
 * A call with no applicable budget returns at once (no round trip). Fail-open as the monthly
 * budget: a store that cannot be reached decides on this instance's last figures, and with none
 * the call is admitted (BudgetReservations, logged once a minute).
 *
 * Threshold alerts (80 % / 100 %, setting budget.alert_thresholds): every budget whose spent + in
 * flight + this call's estimate (the figures of the reservation, before any policy applies)
 * reaches a threshold raises it once per window period (budget-alerts.ts, fire-and-forget).
 *
 * Seeding sums the window's spend from the hourly rollups of the scope (organization, app or key)
 * and only the partial hours at its edges from the ledger (lib/db/budget-spend.ts), so it does not
 * grow with the ledger; the counters in use are re-seeded every SYNC_MS.
 */

const SYNC_MS = 15_000;
type RoutedDecision = Extract<RouteDecision, { ok: true }>;

export type ScopedAdmission =
  | { ok: true; decision: RoutedDecision; leases: BudgetLease[] }
  | { ok: false; error: "budget_exceeded" | "budget_unconvertible"; message: string };

interface Registered {
  budget: SnapshotBudget;
  zone: string;
}

/** The store of the monthly budgets, seeded with the spend of a budget's scope and window (windowSpend). */
class ScopedBudgetStore extends PostgresBudgetStore {
  constructor(private readonly database: () => Promise<Kysely<DB>>, private readonly registry: Map<string, Registered>) {
    super(database);
  }

  override async rollupSpend(budgetId: string, windowStart: string): Promise<{ currency: string; amount: string }[]> {
    const r = this.registry.get(budgetId);
    if (!r) return [];
    const span = windowAt(r.budget.window, r.zone, Date.parse(`${windowStart}T12:00:00Z`));
    return windowSpend(await this.database(), {
      organizationId: r.budget.organizationId, appId: r.budget.appId, apiKeyId: r.budget.apiKeyId, from: span.from, to: span.to,
    });
  }
}

/** A budget as the reservation machinery sees an organization: its id, amount, currency and policy. */
function asCounterOwner(b: SnapshotBudget, label: string): SnapshotOrganization {
  return { id: b.id, slug: label, name: label, tier: "budget", monthlyBudget: b.amount, budgetCurrency: b.currency, budgetPolicy: b.policy };
}

/** One lease for many: the attempt's cost goes to every budget it counts against. */
export function combineLeases(leases: readonly (BudgetLease | null | undefined)[]): BudgetLease | null {
  const all = leases.filter((l): l is BudgetLease => Boolean(l));
  if (all.length <= 1) return all[0] ?? null;
  return {
    id: all.map((l) => l.id).join(","),
    add: (currency, cost) => all.forEach((l) => l.add(currency, cost)),
    settle: () => all.forEach((l) => l.settle()),
  };
}

export interface ScopedBudgetsOptions extends BudgetReservationsOptions {
  /** Records the threshold alerts a call raises; must return at once and never throw. */
  raiseAlerts?: (org: SnapshotOrganization, alerts: readonly ScopedAlert[]) => void;
}

export class ScopedBudgets {
  private readonly registry = new Map<string, Registered>();
  readonly reservations: BudgetReservations;
  private readonly raiseAlerts: NonNullable<ScopedBudgetsOptions["raiseAlerts"]>;

  constructor(db: () => Promise<Kysely<DB>>, { raiseAlerts = raiseScopedBudgetAlerts, ...options }: ScopedBudgetsOptions = {}) {
    this.raiseAlerts = raiseAlerts;
    this.reservations = new BudgetReservations(new ScopedBudgetStore(db, this.registry), {
      syncMs: SYNC_MS,
      ...options,
      windowOf: (owner, at) => {
        const r = this.registry.get(owner.id);
        return r ? windowAt(r.budget.window, r.zone, at).start : `${new Date(at).toISOString().slice(0, 7)}-01`;
      },
    });
  }

  stop(): void {
    this.reservations.stop();
  }

  /** Reserves the call against every applicable budget; the tightest one that does not fit decides. */
  async admit({ snapshot, ctx, decision, request, at = Date.now() }: {
    snapshot: ConfigSnapshot;
    ctx: CallContext;
    decision: RoutedDecision;
    request: Record<string, unknown>;
    at?: number;
  }): Promise<ScopedAdmission> {
    const org = ctx.organization;
    const budgets = org ? scopedBudgetsFor(org.budgets, ctx.app.id, ctx.key.id) : [];
    if (!org || budgets.length === 0) return { ok: true, decision, leases: [] };
    const zone = zoneOf(snapshot, org.id);
    for (const b of budgets) this.registry.set(b.id, { budget: b, zone });
    const fx = fxRates(snapshot);
    const tokens = estimateTokens(request, decision.params, defaultOutputTokens(snapshot, { appId: ctx.app.id, organizationId: org.id }));
    const label = (b: SnapshotBudget) =>
      scopeOf(b) === "key" ? `${org.slug} × key ${b.apiKeyId!.slice(0, 8)}` : scopeOf(b) === "app" ? `${org.slug} × ${ctx.app.code}` : org.slug;

    const estimate = (d: RoutedDecision, b: SnapshotBudget): Dec | string => {
      const est = estimateCost(snapshot, d.primary.model.id, tokens, at);
      if (!est) return new Dec(0);
      return toBudgetCurrency(est.amount, est.currency, b.currency, fx) ?? est.currency;
    };
    const reserveAll = async (d: RoutedDecision, enforce: (b: SnapshotBudget) => boolean) => {
      const outcomes: { b: SnapshotBudget; est: Dec; r: ReserveOutcome }[] = [];
      for (const b of budgets) {
        const est = estimate(d, b);
        if (typeof est === "string") return { unconvertible: `${b.currency} (${est} has no rate)`, outcomes };
        outcomes.push({ b, est, r: { ok: false, reason: "over", spent: new Dec(0), reserved: new Dec(0) } });
      }
      await Promise.all(outcomes.map(async (o) => {
        o.r = await this.reservations.reserve(asCounterOwner(o.b, label(o.b)), { fx, amount: o.est, enforce: enforce(o.b), at });
      }));
      return { unconvertible: null, outcomes };
    };
    const release = (outcomes: { r: ReserveOutcome }[]) => outcomes.forEach((o) => o.r.ok && o.r.lease.settle());
    const unconvertibleAnswer = (what: string): ScopedAdmission => ({
      ok: false, error: "budget_unconvertible",
      message: `A budget of ${org.slug} is in ${what}: reporting.fx_rates has no rate. The call was refused; a platform admin can add the rate in Settings.`,
    });

    let d = decision;
    let first = await reserveAll(d, (b) => b.policy !== "alert");
    if (first.unconvertible) return release(first.outcomes), unconvertibleAnswer(first.unconvertible);
    const bad = first.outcomes.find((o) => !o.r.ok && o.r.reason === "unconvertible");
    if (bad && !bad.r.ok && bad.r.reason === "unconvertible") return release(first.outcomes), unconvertibleAnswer(`${bad.b.currency} (${bad.r.currencies.join(", ")} spent without a rate)`);

    const checks = new Map<SnapshotBudget, BudgetCheck>();
    for (const o of first.outcomes) {
      if (o.r.ok || o.r.reason === "over") checks.set(o.b, { budget: o.b, label: label(o.b), spent: o.r.spent, reserved: o.r.reserved, estimate: o.est });
    }
    const alerts = scopedThresholdAlerts(snapshot, { appId: ctx.app.id, organizationId: org.id }, [...checks.values()], zone, at);
    if (alerts.length > 0) this.raiseAlerts(org, alerts);
    // The store's refusal is the answer: its figures may be a read from just before the
    // reservation that filled the budget committed, so they are not re-judged here. Budgets
    // reserved without a check (policy alert) are over when their figures do not fit.
    const refused = new Set(first.outcomes.filter((o) => !o.r.ok).map((o) => o.b));
    const over = [...checks.values()].filter((c) => refused.has(c.budget) || !fits(c));
    const decider = tightest(over, fx);
    if (!decider) {
      const t = tightest([...checks.values()], fx);
      if (t) d.trace.push({ rule: "budget", outcome: "info", detail: `tightest budget: ${describeCheck(t)}` });
      return { ok: true, decision: d, leases: leasesOf(first.outcomes) };
    }
    d.trace.push({ rule: "budget", outcome: "applied", detail: `over budget: ${describeCheck(decider)}; policy ${decider.budget.policy} (the tightest of ${over.length} over)` });

    if (decider.budget.policy === "block") {
      release(first.outcomes);
      return { ok: false, error: "budget_exceeded", message: `Budget exceeded: ${describeCheck(decider)}. Policy: block.` };
    }
    if (decider.budget.policy === "alert") {
      // Admitted: the refused budgets still count this call in flight.
      for (const o of first.outcomes) {
        if (!o.r.ok) o.r = await this.reservations.reserve(asCounterOwner(o.b, label(o.b)), { fx, amount: o.est, enforce: false, at });
      }
      return { ok: true, decision: d, leases: leasesOf(first.outcomes) };
    }
    // Downgrade: the cheapest configured model, every budget reserved without a check.
    release(first.outcomes);
    const cheapest = cheapestConfiguredModel(snapshot, { appId: ctx.app.id, organizationId: org.id, currency: decider.budget.currency, at, kind: d.primary.model.kind });
    if (cheapest && cheapest.model.id !== d.primary.model.id) {
      d = {
        ...d,
        primary: { model: cheapest.model, provider: cheapest.provider, source: "budget_downgrade" },
        fallbacks: d.fallbacks.filter((f) => f.model.id !== cheapest.model.id),
      };
      d.trace.push({ rule: "budget", outcome: "applied", detail: `downgrade to the cheapest configured model ${cheapest.model.modelCode}`, modelId: cheapest.model.id });
    } else {
      d.trace.push({ rule: "budget", outcome: "info", detail: "downgrade: no cheaper priced, enabled model is configured for the app" });
    }
    first = await reserveAll(d, () => false);
    if (first.unconvertible) return release(first.outcomes), unconvertibleAnswer(first.unconvertible);
    return { ok: true, decision: d, leases: leasesOf(first.outcomes) };
  }
}

function leasesOf(outcomes: { r: ReserveOutcome }[]): BudgetLease[] {
  return outcomes.flatMap((o) => (o.r.ok ? [o.r.lease] : []));
}
