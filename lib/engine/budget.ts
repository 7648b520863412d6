import { Dec, effectivePriceRow, formatCost } from "@/lib/engine/price";
import { readJson, type SettingContext } from "@/lib/engine/settings";
import { usableModel, type ConfigSnapshot, type UsableModel } from "@/lib/engine/snapshot";
import type { BudgetState, PriceRow, SnapshotOrganization, TraceStep } from "@/lib/engine/types";

/**
 * The budget step of routing: month-to-date spend plus this call's estimate against the
 * organization's monthly budget. Pure: the gateway computes the spend (from rollups and its
 * atomic counters) and passes it in the budget's currency.
 */

export const DEFAULT_ALERT_THRESHOLDS = [80, 100] as const;

export interface BudgetEvaluation {
  /** Alert thresholds (percent) the spend after this call reaches. */
  alerts: number[];
  /** The budget is exhausted, or this call would take the spend past it. */
  over: boolean;
  policy: SnapshotOrganization["budgetPolicy"];
  /** Human-readable amounts, for the 429 message and the trace. */
  summary: string;
}

/** The thresholds setting, validated; anything malformed falls back to 80 / 100. */
function alertThresholds(snapshot: ConfigSnapshot, ctx: SettingContext): number[] {
  const raw = readJson(snapshot, "budget.alert_thresholds", ctx).value;
  if (!Array.isArray(raw) || raw.length === 0) return [...DEFAULT_ALERT_THRESHOLDS];
  const valid = raw.every((t): t is number => typeof t === "number" && Number.isFinite(t) && t > 0);
  if (!valid) return [...DEFAULT_ALERT_THRESHOLDS];
  return [...new Set(raw as number[])].sort((a, b) => a - b);
}

function parse(value: string | null): Dec | null {
  if (value === null) return null;
  try {
    const d = new Dec(value);
    return d.isFinite() ? d : null;
  } catch {
    return null;
  }
}

/**
 * Null when there is nothing to enforce (no organization, no budget, no spend figure); the trace
 * says which. A missing spend figure fails open: the gateway could not read the counters, and
 * refusing every call of a client for that would be the worse failure.
 */
export function evaluateBudget(
  snapshot: ConfigSnapshot,
  org: SnapshotOrganization | null,
  state: BudgetState | null | undefined,
  ctx: SettingContext,
  trace: TraceStep[],
): BudgetEvaluation | null {
  if (!org || org.monthlyBudget === null) {
    trace.push({ rule: "budget", outcome: "info", detail: org ? `${org.slug} has no monthly budget` : "no organization: no budget" });
    return null;
  }
  const budget = parse(org.monthlyBudget);
  const spent = state ? parse(state.spent) : null;
  if (!budget || !state || !spent) {
    trace.push({ rule: "budget", outcome: "skipped", detail: `${org.slug}: month-to-date spend unknown, budget not enforced` });
    return null;
  }
  const estimate = parse(state.estimate) ?? new Dec(0);
  const projected = spent.plus(estimate.isNegative() ? 0 : estimate);
  const alerts = alertThresholds(snapshot, ctx).filter((t) => projected.times(100).gte(budget.times(t)));
  // Exhausted (spent >= budget) blocks even a call whose estimate is unknown; otherwise a call
  // that fits exactly within the budget is still allowed.
  const over = spent.gte(budget) || projected.gt(budget);
  const cur = org.budgetCurrency;
  const summary =
    `month-to-date ${formatCost(spent)} ${cur} + estimate ${state.estimate === null ? "unknown" : `${formatCost(estimate)} ${cur}`}` +
    ` against a monthly budget of ${formatCost(budget)} ${cur}`;
  trace.push({
    rule: "budget",
    outcome: over || alerts.length > 0 ? "applied" : "info",
    detail: `${org.slug}: ${summary}${alerts.length ? `; alerts at ${alerts.join("%, ")}%` : ""}${over ? `; over budget, policy ${org.budgetPolicy}` : ""}`,
  });
  return { alerts, over, policy: org.budgetPolicy, summary };
}

export interface CheapestModel extends UsableModel {
  row: PriceRow;
  sameCurrency: boolean;
}

/**
 * The cheapest model configured for the app (primaries and fallbacks of its enabled rules that
 * the caller can see: defaults and its own organization's, never another client's pins), by the
 * price in force at `at`. Cheapest = lowest input + output list price per Mtok: the call's real
 * token mix is unknown before the call, and the sum ranks models the way their price pages do.
 * Models priced in the budget's currency are preferred, so the ranking does not compare EUR with
 * USD figures unless nothing else is priced.
 */
export function cheapestConfiguredModel(
  snapshot: ConfigSnapshot,
  appId: string,
  organizationId: string | null,
  currency: string,
  at: number,
): CheapestModel | null {
  const seen = new Set<string>();
  let best: { candidate: CheapestModel; score: Dec } | null = null;
  for (const rule of snapshot.configsByApp.get(appId) ?? []) {
    if (rule.organizationId !== null && rule.organizationId !== organizationId) continue;
    for (const modelId of [rule.modelId, ...rule.fallbackModelIds]) {
      if (seen.has(modelId)) continue;
      seen.add(modelId);
      const usable = usableModel(snapshot, modelId);
      if (typeof usable === "string") continue;
      const row = effectivePriceRow(snapshot, modelId, at);
      if (!row) continue; // an unknown price is not "cheap"
      const score = new Dec(row.inputPerMtok).plus(row.outputPerMtok);
      const candidate: CheapestModel = { ...usable, row, sameCurrency: row.currency === currency };
      if (!best || better(candidate, score, best.candidate, best.score)) best = { candidate, score };
    }
  }
  return best?.candidate ?? null;
}

function better(a: CheapestModel, aScore: Dec, b: CheapestModel, bScore: Dec): boolean {
  if (a.sameCurrency !== b.sameCurrency) return a.sameCurrency;
  const cmp = aScore.comparedTo(bScore);
  if (cmp !== 0) return cmp < 0;
  // Deterministic on equal prices: the model code decides, not the order rows were loaded in.
  return a.model.modelCode < b.model.modelCode;
}
