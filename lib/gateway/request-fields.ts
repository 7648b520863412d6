import { readJson } from "@/lib/engine/settings";
import type { ConfigSnapshot } from "@/lib/engine/snapshot";
import { refusedField, type FieldRefusal } from "@/lib/providers/request-fields";
import type { ChatRequest } from "@/lib/providers/types";
import type { CallContext } from "./context";
import { GatewayError } from "./errors";
import type { RoutedDecision } from "./execute";

/**
 * Checks a call's request fields against its route before anything is sent (see
 * lib/providers/request-fields.ts): the primary must take every field, else 400 naming it; a
 * fallback of another kind that cannot take them is dropped from this call's chain with a trace
 * step (the request is never cut down to fit it).
 */

/** gateway.allowed_billing_fields for the call's app and organization; a malformed value allows nothing. */
export function allowedBillingFields(snapshot: ConfigSnapshot, ctx: CallContext): ReadonlySet<string> {
  const value = readJson(snapshot, "gateway.allowed_billing_fields", { appId: ctx.app.id, organizationId: ctx.organization?.id ?? null }).value;
  return new Set(Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);
}

function refusal(r: FieldRefusal, fromParams: boolean, provider: string): GatewayError {
  const origin = fromParams ? " (set by the routing rule's params)" : "";
  const message =
    r.reason === "unsupported"
      ? `The request field "${r.field}"${origin} is not supported for provider "${provider}" (${r.kind}); remove it.`
      : r.reason === "value"
        ? `The request field "${r.field}"${origin} cannot be sent to provider "${provider}" (${r.kind}) as given: ${r.why}.`
        : `The request field "${r.field}"${origin} changes what the provider bills or retains (${r.why}); it is refused unless the setting gateway.allowed_billing_fields lists "${r.setting}" for this app or organization.`;
  return new GatewayError(400, "invalid_request_error", message, { param: r.field });
}

/**
 * Throws a 400 when the primary target cannot take `upstream` (the request as it goes upstream,
 * rule params included); removes fallbacks that cannot take it.
 */
export function checkRequestFields(
  { snapshot, ctx, decision }: { snapshot: ConfigSnapshot; ctx: CallContext; decision: RoutedDecision },
  { caller, upstream }: { caller: ChatRequest; upstream: ChatRequest },
): void {
  const allowed = allowedBillingFields(snapshot, ctx);
  const primary = decision.primary;
  const stream = caller.stream === true;
  const refused = refusedField(primary.provider.kind, upstream, allowed, { stream, modelCode: primary.model.modelCode });
  if (refused) throw refusal(refused, caller[refused.field] === undefined, primary.provider.code);
  // Fallbacks of the primary's kind too: some value rules are per model (Gemini 2.5's penalties).
  const kept = decision.fallbacks.filter((target) => {
    const r = refusedField(target.provider.kind, upstream, allowed, { stream, modelCode: target.model.modelCode });
    if (r) {
      decision.trace.push({
        rule: "fallbacks",
        outcome: "skipped",
        detail: `provider ${target.provider.code} (${target.provider.kind}) cannot take the request field "${r.field}"`,
        modelId: target.model.id,
      });
    }
    return r === null;
  });
  if (kept.length !== decision.fallbacks.length) decision.fallbacks = kept;
}
