import { resolveRoute } from "@/lib/engine/resolve";
import { key2, overrideKey, type ConfigSnapshot } from "@/lib/engine/snapshot";
import type { ModelKind, QueryPattern, RouteDecision, RoutingSource, TraceStep } from "@/lib/engine/types";

/**
 * What routes one organization's calls, per app × action: the rule that wins and why (its own
 * client override, a default it inherits, or a learned override for a query pattern), the rules it
 * shadows and the fallback chain. Every answer comes from resolveRoute itself, asked once per app
 * × action and once more per query pattern that has a learned override, so this page can never
 * disagree with the gateway or the route simulator. Pure: no I/O.
 */

/** Every QueryPattern the classifier can return (a learned override for another pattern never applies). */
export const QUERY_PATTERNS = [
  "code", "creative", "analysis", "extraction", "classification", "summarization", "translation", "chat",
] as const satisfies readonly QueryPattern[];

export interface LearnedInForce {
  pattern: QueryPattern;
  modelCode: string;
  providerCode: string;
  /** The engine's own words, e.g. "pattern code: mistral-small (app-wide, confidence high, 40 samples)". */
  detail: string;
}

export interface RuleInForce {
  appId: string;
  appCode: string;
  appName: string;
  /** The action type asked for ("*" = the app's catch-all rules). */
  actionType: string;
  /** What the action's rules route to: chat models, or embedding models (POST /v1/embeddings). */
  kind: ModelKind;
  /** "client_override" (this organization's rule), "configuration" (an inherited default), or what else the engine answered. */
  source: RoutingSource | null;
  modelCode: string | null;
  providerCode: string | null;
  /** The rule that won, with its priority (null: no rule, e.g. the kill switch or the global fallback). */
  configId: string | null;
  priority: number | null;
  /** Why it won: the engine's trace line for the chosen rule or the step that decided. */
  reason: string;
  /** Other rules this organization's calls would see and why they lost, and learned overrides not applied (trace lines). */
  shadowed: string[];
  /** Query patterns for which a learned override replaces the rule's model. */
  learned: LearnedInForce[];
  /** Fallback chain, in order (model codes). */
  fallbacks: string[];
  /** Set when the engine cannot route this action for the organization at all. */
  error: string | null;
}

function decisionReason(trace: readonly TraceStep[]): string {
  const decisive =
    trace.find((s) => s.rule === "kill_switch" && s.outcome === "applied") ??
    trace.find((s) => s.rule === "candidates" && s.outcome === "chosen") ??
    trace.find((s) => s.rule === "global_fallback" && s.outcome === "applied") ??
    trace.find((s) => s.rule === "candidates" && s.outcome === "info");
  return decisive?.detail ?? "no rule applies";
}

/** The app × action pairs that matter to an organization: defaults, its own overrides, learned overrides it may get. */
function pairsFor(snapshot: ConfigSnapshot, organizationId: string): { appId: string; actionType: string }[] {
  const seen = new Map<string, { appId: string; actionType: string }>();
  const add = (appId: string, actionType: string) => {
    const key = `${appId}\u0000${actionType}`;
    if (!seen.has(key)) seen.set(key, { appId, actionType });
  };
  for (const c of snapshot.data.configurations) {
    if (!c.enabled || (c.organizationId !== null && c.organizationId !== organizationId)) continue;
    add(c.appId, c.actionType);
  }
  for (const o of snapshot.data.overrides) {
    const owner = o.organizationId ?? null;
    if (!o.active || (owner !== null && owner !== organizationId)) continue;
    add(o.appId, o.actionType);
  }
  return [...seen.values()].filter((p) => snapshot.appsById.has(p.appId));
}

/** Patterns with an active learned override (own or app-wide) for this app × action. */
function learnedPatterns(snapshot: ConfigSnapshot, appId: string, actionType: string, organizationId: string): QueryPattern[] {
  return QUERY_PATTERNS.filter(
    (p) =>
      snapshot.overridesByKey.has(overrideKey(appId, actionType, p, organizationId)) ||
      snapshot.overridesByKey.has(overrideKey(appId, actionType, p, null)),
  );
}

/**
 * The kind of call an action serves, from its rules' models: embeddings when every rule this
 * organization sees routes to an embedding model, else chat (the engine skips a model of the
 * other kind, so asking with the wrong one would report a route no call takes).
 */
function kindFor(snapshot: ConfigSnapshot, appId: string, actionType: string, organizationId: string): ModelKind {
  const list = snapshot.configsByAppAction.get(key2(appId, actionType)) ?? [];
  const mine = list.filter((c) => c.organizationId === null || c.organizationId === organizationId);
  return mine.length > 0 && mine.every((c) => snapshot.modelsById.get(c.modelId)?.kind === "embedding") ? "embedding" : "chat";
}

interface Ask {
  appId: string;
  actionType: string;
  organizationId: string;
  modelKind: ModelKind;
}

function ask(snapshot: ConfigSnapshot, { appId, actionType, organizationId, modelKind }: Ask, queryPattern: QueryPattern): RouteDecision {
  // Budget is not evaluated: this is the routing in force, not one call's admission.
  return resolveRoute(snapshot, { appId, organizationId, actionType, queryText: "", queryPattern, modelKind, budget: null });
}

export function rulesInForce(snapshot: ConfigSnapshot, organizationId: string): RuleInForce[] {
  const rows = pairsFor(snapshot, organizationId).map(({ appId, actionType }): RuleInForce => {
    const app = snapshot.appsById.get(appId)!;
    const modelKind = kindFor(snapshot, appId, actionType, organizationId);
    const question: Ask = { appId, actionType, organizationId, modelKind };
    const base = { appId, appCode: app.code, appName: app.name, actionType, kind: modelKind };
    const patterns = learnedPatterns(snapshot, appId, actionType, organizationId);
    // The rule itself is what a pattern without a learned override gets ("chat" is also what an
    // empty or unclassifiable text is); patterns with one are listed apart below.
    const plain = QUERY_PATTERNS.find((p) => !patterns.includes(p)) ?? "chat";
    const decision = ask(snapshot, question, plain);
    if (!decision.ok) {
      return {
        ...base, source: null, modelCode: null, providerCode: null, configId: null, priority: null,
        reason: decisionReason(decision.trace), shadowed: [], learned: [], fallbacks: [], error: decision.message,
      };
    }
    const rule = decision.configId ? snapshot.data.configurations.find((c) => c.id === decision.configId) : undefined;
    const learned: LearnedInForce[] = [];
    const notes: string[] = [];
    for (const pattern of patterns) {
      const d = ask(snapshot, question, pattern);
      if (!d.ok) continue;
      if (d.primary.source !== "learned") {
        const skipped = d.trace.find((s) => s.rule === "learned_override" && s.outcome !== "applied");
        if (skipped) notes.push(`learned override, pattern ${pattern}: ${skipped.detail}`);
        continue;
      }
      const step = d.trace.find((s) => s.rule === "learned_override" && s.outcome === "applied");
      learned.push({ pattern, modelCode: d.primary.model.modelCode, providerCode: d.primary.provider.code, detail: step?.detail ?? `pattern ${pattern}` });
    }
    const source = decision.primary.source;
    const primary = decision.primary;
    return {
      ...base,
      source,
      modelCode: primary.model.modelCode,
      providerCode: primary.provider.code,
      configId: decision.configId,
      priority: rule?.priority ?? null,
      reason: decisionReason(decision.trace),
      shadowed: [...decision.trace.filter((s) => s.rule === "candidates" && s.outcome === "skipped").map((s) => s.detail), ...notes],
      learned,
      fallbacks: decision.fallbacks.map((f) => f.model.modelCode),
      error: null,
    };
  });
  return rows.sort((a, b) => a.appName.localeCompare(b.appName) || a.actionType.localeCompare(b.actionType));
}
