import {
  crossedThresholds,
  defaultOutputTokens,
  estimateCost,
  estimateTokens,
  evaluateBudget,
  fxRates,
  toBudgetCurrency,
  type TokenEstimate,
} from "@/lib/engine/budget";
import { Dec, formatCost } from "@/lib/engine/price";
import type { SettingContext } from "@/lib/engine/settings";
import type { ConfigSnapshot } from "@/lib/engine/snapshot";
import type { BudgetState, RouteDecision, SnapshotOrganization } from "@/lib/engine/types";
import type { ReportingCurrency } from "@/lib/engine/currency";
import type { BudgetLease, BudgetReservations } from "./budget-reservations";
import type { CallContext } from "./context";
import { metrics } from "./metrics";

/**
 * The budget step of route() once the route is known: estimate the call on its primary model,
 * convert the estimate into the budget's currency, reserve it in the shared store, and refuse
 * (policy block), move to the cheapest model (policy downgrade, re-estimated) or only record it
 * (policy alert) when it does not fit. Organizations without a budget return at once.
 */

type RoutedDecision = Extract<RouteDecision, { ok: true }>;

export type BudgetAdmission =
  | { ok: true; decision: RoutedDecision; lease: BudgetLease | null; alerts: number[]; spent: string | null }
  | { ok: false; error: "budget_exceeded" | "budget_unconvertible"; message: string; spent: string | null };

type Estimate = { ok: true; amount: Dec; known: boolean } | { ok: false; currency: string };

const flagged = new Set<string>();

/** A currency without a rate into an organization's budget currency: a metric, and one log line. */
export function flagUnconvertible(org: SnapshotOrganization, currency: string): void {
  metrics().budgetUnconvertible.inc({ organization: org.slug, currency });
  const key = `${org.id}|${currency}|${org.budgetCurrency}`;
  if (flagged.has(key)) return;
  flagged.add(key);
  console.warn(`[gateway] budget of ${org.slug} is in ${org.budgetCurrency}, but reporting.fx_rates has no rate for ${currency}: its calls are refused until one is set`);
}

function unconvertible(org: SnapshotOrganization, currencies: string[], spent: string | null): BudgetAdmission {
  const list = currencies.join(", ");
  return {
    ok: false,
    error: "budget_unconvertible",
    spent,
    message:
      `The monthly budget of ${org.slug} is in ${org.budgetCurrency}, and spend in ${list} cannot be converted into it: ` +
      `reporting.fx_rates has no rate. The call was refused; a platform admin can add the rate in Settings.`,
  };
}

export async function admitWithinBudget({
  budgets,
  snapshot,
  ctx,
  decision,
  request,
  reroute,
  at = Date.now(),
}: {
  budgets: BudgetReservations;
  snapshot: ConfigSnapshot;
  ctx: CallContext;
  decision: RoutedDecision;
  request: Record<string, unknown>;
  /** Routes again with the store's figures (the downgrade policy, once over budget). */
  reroute: (state: BudgetState) => RouteDecision;
  at?: number;
}): Promise<BudgetAdmission | Extract<RouteDecision, { ok: false }>> {
  const org = ctx.organization;
  if (!org || org.monthlyBudget === null) return { ok: true, decision, lease: null, alerts: decision.budgetAlerts, spent: null };
  const settings: SettingContext = { appId: ctx.app.id, organizationId: org.id };
  const fx = fxRates(snapshot);
  const tokens = estimateTokens(request, decision.params, defaultOutputTokens(snapshot, settings));
  const budget = new Dec(org.monthlyBudget);

  let d = decision;
  const basis: EstimateBasis = { snapshot, org, fx, tokens, at };
  let est = estimateFor(d, basis);
  if (!est.ok) return flagged1(org, est.currency);
  let r = await budgets.reserve(org, { fx, amount: est.amount, enforce: org.budgetPolicy !== "alert" && d.primary.source !== "budget_downgrade", at });
  if (!r.ok && r.reason === "unconvertible") return unconvertible(org, r.currencies, null);
  if (!r.ok) {
    const state: BudgetState = { spent: r.spent.toFixed(), reserved: r.reserved.toFixed(), estimate: est.known ? est.amount.toFixed() : null };
    if (org.budgetPolicy === "block") {
      const evaluation = evaluateBudget(snapshot, { org, state, ctx: settings, trace: [] });
      const summary = evaluation?.summary ?? `month-to-date ${state.spent} ${org.budgetCurrency} against ${org.monthlyBudget}`;
      return { ok: false, error: "budget_exceeded", message: `Monthly budget exceeded: ${summary}. Policy: block.`, spent: state.spent };
    }
    // Downgrade: route again with the store's figures (over budget), re-estimate, record without a check.
    const again = reroute(state);
    if (!again.ok) return again;
    d = again;
    est = estimateFor(d, basis);
    if (!est.ok) return flagged1(org, est.currency);
    r = await budgets.reserve(org, { fx, amount: est.amount, enforce: false, at });
    if (!r.ok) return r.reason === "unconvertible" ? unconvertible(org, r.currencies, null) : { ok: false, error: "budget_exceeded", message: "Monthly budget exceeded.", spent: r.spent.toFixed() };
  }
  const cur = org.budgetCurrency;
  d.trace.push({
    rule: "budget",
    outcome: "info",
    detail:
      `${org.slug}: reserved ${est.known ? `${formatCost(est.amount)} ${cur}` : "0 (no price for the model)"} for this call` +
      ` (month-to-date ${formatCost(r.spent)} ${cur} + in flight ${formatCost(r.reserved)} ${cur} of ${formatCost(budget)} ${cur}${r.shared ? "" : "; store unreachable, decided on this instance's figures"})`,
    modelId: d.primary.model.id,
  });
  const alerts = crossedThresholds(snapshot, settings, budget, r.spent.plus(r.reserved).plus(est.amount));
  return { ok: true, decision: d, lease: r.lease, alerts, spent: r.spent.toFixed() };
}

function flagged1(org: SnapshotOrganization, currency: string): BudgetAdmission {
  flagUnconvertible(org, currency);
  return unconvertible(org, [currency], null);
}

/** The call's estimate on the decision's primary, in the budget currency (0 when the model has no price). */
/** What a call's estimate is made from, whichever model the route puts first. */
interface EstimateBasis {
  snapshot: ConfigSnapshot;
  org: SnapshotOrganization;
  fx: ReportingCurrency;
  tokens: TokenEstimate | null;
  at: number;
}

function estimateFor(d: RoutedDecision, { snapshot, org, fx, tokens, at }: EstimateBasis): Estimate {
  const est = estimateCost(snapshot, d.primary.model.id, tokens, at);
  if (!est) return { ok: true, amount: new Dec(0), known: false };
  const converted = toBudgetCurrency(est.amount, est.currency, org.budgetCurrency, fx);
  return converted ? { ok: true, amount: converted, known: true } : { ok: false, currency: est.currency };
}
