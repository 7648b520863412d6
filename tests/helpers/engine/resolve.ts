import { resolveRoute } from "@/lib/engine/resolve";
import type { ConfigSnapshot } from "@/lib/engine/snapshot";
import { id, T_NOW } from "@/tests/helpers/engine/snapshot";
import type { RouteDecision, RouteRequest } from "@/lib/engine/types";

/** Shared by the resolve tests: a request in demo-catalog terms (codes and slugs, not ids). */
export function route(
  snapshot: ConfigSnapshot,
  app: string,
  org: string | null,
  action: string,
  extra: Partial<RouteRequest> = {},
): RouteDecision {
  return resolveRoute(snapshot, {
    appId: id.app(app),
    organizationId: org === null ? null : id.org(org),
    actionType: action,
    queryText: "Please help with this.",
    at: T_NOW,
    ...extra,
  });
}

export type OkDecision = Extract<RouteDecision, { ok: true }>;

export function ok(decision: RouteDecision): OkDecision {
  if (!decision.ok) throw new Error(`expected a route, got ${decision.error}: ${decision.message}`);
  return decision;
}

/** The route as "code:source" strings, primary first: compact to compare in tables. */
export function chain(decision: RouteDecision): string[] {
  const d = ok(decision);
  return [d.primary, ...d.fallbacks].map((t) => `${t.model.modelCode}:${t.source}`);
}
