import { cheapestConfiguredModel, evaluateBudget, type BudgetEvaluation } from "@/lib/engine/budget";
import { classifyQuery } from "@/lib/engine/classify";
import { readBool, readString, type SettingContext } from "@/lib/engine/settings";
import { findModelByCode, key2, overrideKey, usableModel, type ConfigSnapshot, type UsableModel } from "@/lib/engine/snapshot";
import type {
  ModelKind,
  QueryPattern,
  RouteDecision,
  RouteRequest,
  RouteTarget,
  RoutingSource,
  SnapshotApp,
  SnapshotConfiguration,
  SnapshotOverride,
  TraceStep,
} from "@/lib/engine/types";

/**
 * Routing (README "Calling the gateway", steps 1-5): kill switch → explicit model → candidate rules →
 * learned override → budget → fallback chain → global fallback. Pure and allocation-light: it
 * runs on every gateway request against an indexed snapshot (see scripts/bench/micro/resolve.ts).
 *
 * Candidate order is decided in snapshot.ts (compareCandidates): priority first, then the
 * caller's organization over the default, then an exact action over "*".
 */

type Confidence = SnapshotOverride["confidence"];
const CONFIDENCE_RANK: Record<Confidence, number> = { low: 1, medium: 2, high: 3 };

function isConfidence(value: string | null): value is Confidence {
  return value === "low" || value === "medium" || value === "high";
}

function target(usable: UsableModel, source: RoutingSource): RouteTarget {
  return { model: usable.model, provider: usable.provider, source };
}

/** The kind of model a call needs: chat unless it says otherwise (embeddings). */
function kindOf(req: RouteRequest): ModelKind {
  return req.modelKind ?? "chat";
}

function fail(error: Extract<RouteDecision, { ok: false }>["error"], message: string, trace: TraceStep[]): RouteDecision {
  return { ok: false, error, message, trace };
}

function ruleLabel(rule: SnapshotConfiguration): string {
  return `${rule.organizationId === null ? "default" : "client"} rule "${rule.actionType}" priority ${rule.priority}`;
}

/**
 * The best usable rule; every rule the caller can see is traced (chosen, skipped or shadowed).
 * A rule whose model cannot be called is skipped whole, its fallbacks not promoted: the next
 * candidate is the admin's next choice, and the global fallback stays the last resort.
 */
function pickRule(snapshot: ConfigSnapshot, req: RouteRequest, trace: TraceStep[]): { rule: SnapshotConfiguration; usable: UsableModel } | null {
  const list = snapshot.configsByAppAction.get(key2(req.appId, req.actionType)) ?? snapshot.configsByAppAction.get(key2(req.appId, "*"));
  let chosen: { rule: SnapshotConfiguration; usable: UsableModel } | null = null;
  for (const rule of list ?? []) {
    // Another client's pinned rule is never a candidate, and is not even named in the trace:
    // the trace is shown to the caller's admins, who must not learn other clients' routing.
    if (rule.organizationId !== null && rule.organizationId !== req.organizationId) continue;
    if (chosen) {
      trace.push({ rule: "candidates", outcome: "skipped", detail: `${ruleLabel(rule)}: lower precedence than the chosen rule`, configId: rule.id, modelId: rule.modelId });
      continue;
    }
    const usable = usableModel(snapshot, rule.modelId, kindOf(req));
    if (typeof usable === "string") {
      trace.push({ rule: "candidates", outcome: "skipped", detail: `${ruleLabel(rule)}: ${usable}`, configId: rule.id, modelId: rule.modelId });
      continue;
    }
    chosen = { rule, usable };
    trace.push({ rule: "candidates", outcome: "chosen", detail: `${ruleLabel(rule)} → ${usable.model.modelCode}`, configId: rule.id, modelId: rule.modelId });
  }
  if (!list || list.length === 0) trace.push({ rule: "candidates", outcome: "info", detail: `no rule for action "${req.actionType}"` });
  return chosen;
}

function explicitTarget(snapshot: ConfigSnapshot, app: SnapshotApp, code: string, { trace, kind }: { trace: TraceStep[]; kind: ModelKind }): UsableModel | null {
  if (!app.allowExplicitModels) {
    trace.push({ rule: "explicit_model", outcome: "skipped", detail: `${app.code} does not allow explicit models; ignored "${code}"` });
    return null;
  }
  const model = findModelByCode(snapshot, code);
  const usable = model ? usableModel(snapshot, model.id, kind) : `unknown model "${code}"`;
  if (typeof usable === "string") {
    trace.push({ rule: "explicit_model", outcome: "skipped", detail: `${usable}; ignored`, modelId: model?.id });
    return null;
  }
  trace.push({ rule: "explicit_model", outcome: "chosen", detail: `caller asked for ${usable.model.modelCode}`, modelId: usable.model.id });
  return usable;
}

/** One resolveRoute call: what its steps share (the trace is appended to as they go). */
interface Resolution {
  snapshot: ConfigSnapshot;
  request: RouteRequest;
  ctx: SettingContext;
  trace: TraceStep[];
}

/**
 * Step 3: a learned override replaces a default rule's model, never a client's pinned one. The
 * caller's organization's own override (learned from its own feedback) comes first, then the
 * app-wide one; another organization's override is never looked at.
 */
function learnedOverride({ snapshot, request: req, ctx, trace }: Resolution, pattern: QueryPattern, rule: SnapshotConfiguration): UsableModel | null {
  const own = req.organizationId ? snapshot.overridesByKey.get(overrideKey(req.appId, req.actionType, pattern, req.organizationId)) : undefined;
  const override = own ?? snapshot.overridesByKey.get(overrideKey(req.appId, req.actionType, pattern, null));
  if (!override) return null;
  const scope = own ? "this organization's" : "app-wide";
  const step = (outcome: TraceStep["outcome"], detail: string): null => {
    trace.push({ rule: "learned_override", outcome, detail, configId: rule.id, modelId: override.modelId });
    return null;
  };
  if (rule.organizationId !== null) return step("skipped", `skipped: client override pinned (pattern ${pattern})`);
  if (!readBool(snapshot, "learning.enabled", ctx).value) return step("skipped", "learning.enabled is false");
  const min = readString(snapshot, "learning.min_confidence", ctx).value;
  // An unreadable threshold means "high": the strictest reading is the safe one.
  const minConfidence: Confidence = isConfidence(min) ? min : "high";
  if (CONFIDENCE_RANK[override.confidence] < CONFIDENCE_RANK[minConfidence]) {
    return step("skipped", `confidence ${override.confidence} below learning.min_confidence ${minConfidence}`);
  }
  const usable = usableModel(snapshot, override.modelId, kindOf(req));
  if (typeof usable === "string") return step("skipped", usable);
  if (usable.model.id === rule.modelId) return step("info", `${scope} learned model for pattern ${pattern} is the rule's model`);
  trace.push({
    rule: "learned_override",
    outcome: "applied",
    detail: `pattern ${pattern}: ${usable.model.modelCode} (${scope}, confidence ${override.confidence}, ${override.samples} samples)`,
    configId: rule.id,
    modelId: usable.model.id,
  });
  return usable;
}

/** Step 5: the rule's fallbacks in order, then the global fallback; no model twice. */
function fallbackChain({ snapshot, request, ctx, trace }: Resolution, primaryId: string | null, modelIds: readonly string[]): RouteTarget[] {
  const chain: RouteTarget[] = [];
  const used = new Set<string>(primaryId ? [primaryId] : []);
  for (const modelId of modelIds) {
    if (used.has(modelId)) {
      trace.push({ rule: "fallbacks", outcome: "skipped", detail: "already in the chain", modelId });
      continue;
    }
    const usable = usableModel(snapshot, modelId, kindOf(request));
    if (typeof usable === "string") {
      trace.push({ rule: "fallbacks", outcome: "skipped", detail: usable, modelId });
      continue;
    }
    used.add(modelId);
    chain.push(target(usable, "fallback"));
    trace.push({ rule: "fallbacks", outcome: "applied", detail: `fallback ${chain.length}: ${usable.model.modelCode}`, modelId });
  }
  const globalCode = readString(snapshot, "routing.global_fallback_model", ctx).value;
  if (!globalCode) return chain;
  const model = findModelByCode(snapshot, globalCode);
  const usable = model ? usableModel(snapshot, model.id, kindOf(request)) : `unknown model "${globalCode}"`;
  if (typeof usable === "string") {
    trace.push({ rule: "global_fallback", outcome: "skipped", detail: usable, modelId: model?.id });
  } else if (used.has(usable.model.id)) {
    trace.push({ rule: "global_fallback", outcome: "skipped", detail: `${usable.model.modelCode} already in the chain`, modelId: usable.model.id });
  } else {
    chain.push(target(usable, "global_fallback"));
    trace.push({ rule: "global_fallback", outcome: "applied", detail: `last resort: ${usable.model.modelCode}`, modelId: usable.model.id });
  }
  return chain;
}

function blocked(budget: BudgetEvaluation, trace: TraceStep[]): RouteDecision {
  return fail("budget_exceeded", `Monthly budget exceeded: ${budget.summary}. Policy: block.`, trace);
}

export function resolveRoute(snapshot: ConfigSnapshot, request: RouteRequest): RouteDecision {
  const trace: TraceStep[] = [];
  const app = snapshot.appsById.get(request.appId);
  if (!app) return fail("unknown_app", `unknown app ${request.appId}`, trace);
  const ctx: SettingContext = { appId: app.id, organizationId: request.organizationId };
  const org = request.organizationId ? (snapshot.organizationsById.get(request.organizationId) ?? null) : null;
  const queryPattern = request.queryPattern ?? classifyQuery(request.queryText);
  const at = request.at ?? Date.now();
  const run: Resolution = { snapshot, request, ctx, trace };

  // 1. Kill switch: the app's pre-control-plane behaviour, one legacy model and no chain. The
  // budget still blocks (it protects the client's money), but does not re-route.
  const routing = readBool(snapshot, "routing.enabled", ctx);
  if (!routing.value) {
    const where = `routing.enabled is false (${routing.source.scope} setting)`;
    const legacy = app.legacyModelId ? usableModel(snapshot, app.legacyModelId, kindOf(request)) : "the app has no legacy model";
    if (typeof legacy === "string") {
      trace.push({ rule: "kill_switch", outcome: "applied", detail: `${where}; ${legacy}` });
      return fail("routing_disabled_no_legacy", `Routing is disabled for ${app.code} and no legacy model can be used: ${legacy}.`, trace);
    }
    trace.push({ rule: "kill_switch", outcome: "applied", detail: `${where}: legacy model ${legacy.model.modelCode}`, modelId: legacy.model.id });
    const budget = evaluateBudget(snapshot, { org, state: request.budget, ctx, trace });
    if (budget?.over && budget.policy === "block") return blocked(budget, trace);
    if (budget?.over && budget.policy === "downgrade") {
      trace.push({ rule: "budget", outcome: "skipped", detail: "downgrade not applied: routing is disabled" });
    }
    const primary = target(legacy, "legacy");
    return { ok: true, primary, fallbacks: [], configId: null, params: {}, queryPattern, budgetAlerts: budget?.alerts ?? [], trace };
  }
  trace.push({ rule: "kill_switch", outcome: "info", detail: `routing.enabled is true (${routing.source.scope})` });

  // 2. An explicit model the app allows, else the candidate rules.
  let primary: RouteTarget | null = null;
  let rule: SnapshotConfiguration | null = null;
  let chainIds: readonly string[] = [];
  const explicit = request.explicitModel ? explicitTarget(snapshot, app, request.explicitModel, { trace, kind: kindOf(request) }) : null;
  if (explicit) {
    primary = target(explicit, "explicit");
  } else {
    const picked = pickRule(snapshot, request, trace);
    if (picked) {
      rule = picked.rule;
      primary = target(picked.usable, rule.organizationId === null ? "configuration" : "client_override");
      chainIds = rule.fallbackModelIds;
      // 3. Learned override. The rule's own model becomes the first fallback, so a learned
      // model that fails degrades to what the admin configured.
      const learned = learnedOverride(run, queryPattern, rule);
      if (learned) {
        primary = target(learned, "learned");
        chainIds = [rule.modelId, ...rule.fallbackModelIds];
      }
    }
  }

  // 4. Budget, before the fallback chain so a downgraded primary is not repeated in it. It
  // applies over explicit, learned and pinned models alike: the policy is the paying
  // organization's own choice.
  const budget = evaluateBudget(snapshot, { org, state: request.budget, ctx, trace });
  if (budget?.over && budget.policy === "block") return blocked(budget, trace);
  if (budget?.over && budget.policy === "downgrade" && org) {
    const cheapest = cheapestConfiguredModel(snapshot, { appId: app.id, organizationId: org.id, currency: org.budgetCurrency, at, kind: kindOf(request) });
    if (!cheapest) {
      trace.push({ rule: "budget", outcome: "skipped", detail: "downgrade: no priced, enabled model is configured for the app" });
    } else if (primary && cheapest.model.id === primary.model.id) {
      trace.push({ rule: "budget", outcome: "info", detail: `downgrade: ${cheapest.model.modelCode} is already the cheapest configured model` });
    } else {
      const currencyNote = cheapest.sameCurrency ? "" : ` (priced in ${cheapest.row.currency}, no model priced in ${org.budgetCurrency})`;
      trace.push({ rule: "budget", outcome: "applied", detail: `downgrade to the cheapest configured model ${cheapest.model.modelCode}${currencyNote}`, modelId: cheapest.model.id });
      primary = target(cheapest, "budget_downgrade");
    }
  }

  // No rule and no explicit model: the global fallback is the last resort, also as primary.
  if (!primary) {
    const chain = fallbackChain(run, null, []);
    const last = chain[0];
    if (!last) return fail("no_route", `No usable routing rule for ${app.code} action "${request.actionType}" and no global fallback model.`, trace);
    return { ok: true, primary: last, fallbacks: [], configId: null, params: {}, queryPattern, budgetAlerts: budget?.alerts ?? [], trace };
  }

  const fallbacks = fallbackChain(run, primary.model.id, chainIds);
  return {
    ok: true,
    primary,
    fallbacks,
    // The rule the call is attributed to, also when a learned or budget model replaced its model.
    configId: rule?.id ?? null,
    // A copy: the snapshot is shared by every request and must not be mutated through a decision.
    params: rule ? { ...rule.params } : {},
    queryPattern,
    budgetAlerts: budget?.alerts ?? [],
    trace,
  };
}
