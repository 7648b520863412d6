import { runtime } from "@/lib/gateway/runtime";
import { resolveParams } from "@/lib/engine/retrain";

/**
 * What a retrain uses when the form is left as it is: resolveParams on the gateway's snapshot,
 * i.e. the learning.* settings (else the built-in defaults), exactly as the route and the cron
 * resolve them. Shown to platform admins only (the page checks before calling).
 */
export async function retrainDefaults() {
  const { snapshot } = await runtime().config.get();
  return resolveParams(snapshot, { dryRun: true, trigger: "manual" });
}
