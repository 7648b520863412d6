import type { RoutingModel } from "@/lib/db/routing";

export function modelLabel(model: Pick<RoutingModel, "modelCode" | "providerCode">): string {
  return `${model.modelCode} · ${model.providerCode}`;
}
