import type { RoutingModel } from "@/lib/db/routing";
import { readinessMark } from "@/lib/engine/provider-readiness";

/**
 * A model as every routing picker names it: code · provider, marked when it cannot serve a real
 * call from this server (model or provider disabled, or the provider's key not set).
 */
export function modelLabel(model: Pick<RoutingModel, "modelCode" | "providerCode"> & Partial<Pick<RoutingModel, "enabled" | "readiness">>): string {
  const base = `${model.modelCode} · ${model.providerCode}`;
  const mark = readinessMark(model.readiness) ?? (model.enabled === false ? "disabled" : null);
  return mark ? `${base} (${mark})` : base;
}
