import { GatewayCall } from "../call";
import { authenticateKey } from "../keys";
import { runtime } from "../runtime";
import { Reply, type GatewayAnswer, type GatewayRequest } from "../wire";

/**
 * GET /api/llm/v1/models: what this key may put in `model`: "auto", the app's action names, and
 * the enabled catalog models when the app allows explicit models.
 */
export async function handleModels(request: GatewayRequest): Promise<GatewayAnswer> {
  const call = new GatewayCall(runtime());
  try {
    const rt = runtime();
    const state = await rt.config.get();
    const key = authenticateKey(state, request.headers, "llm");
    // The key's limit counts every request it makes, listing models included (no LLM call: no
    // concurrency slot, no ledger row).
    await call.admit(state.snapshot, key, { concurrency: false });
    const snapshot = state.snapshot;
    const app = snapshot.appsById.get(key.appId);
    const actions = new Set<string>();
    for (const c of snapshot.configsByApp.get(key.appId) ?? []) if (c.actionType !== "*") actions.add(c.actionType);
    const created = Math.floor(state.loadedAt / 1000);
    const data = [
      { id: "auto", object: "model", created, owned_by: "llm-control-plane" },
      ...[...actions].sort().map((id) => ({ id, object: "model", created, owned_by: app?.code ?? "app" })),
    ];
    if (app?.allowExplicitModels) {
      for (const m of snapshot.data.models) {
        const provider = snapshot.providersById.get(m.providerId);
        if (m.enabled && provider?.enabled) data.push({ id: m.modelCode, object: "model", created, owned_by: provider.code });
      }
    }
    return call.respond(Reply.json({ object: "list", data }));
  } catch (err) {
    return call.fail(err, { record: false });
  }
}
