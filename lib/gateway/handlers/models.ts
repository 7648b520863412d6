import { findModelByCode, type ConfigSnapshot } from "@/lib/engine/snapshot";
import { GatewayCall } from "../call";
import { dialectOfRequest } from "../dialect";
import type { GatewayKey } from "../config-cache";
import { GatewayError } from "../errors";
import { authenticateKey } from "../keys";
import { runtime } from "../runtime";
import { Reply, type GatewayAnswer, type GatewayRequest } from "../wire";

/**
 * GET /api/llm/v1/models: what this key may put in `model`: "auto", the app's action names, and
 * the enabled catalog models when the app allows explicit models.
 * GET /api/llm/v1/models/{id}: one of those, as OpenAI's model object, else OpenAI's 404
 * `model_not_found`. Model codes may contain "/" (OpenRouter's `meta-llama/llama-3.3-70b-instruct`)
 * and so may the `provider/model` form chat accepts: the id is the rest of the path after
 * /models/, raw or percent-encoded (the openai SDK sends "/" as %2F).
 * Anthropic clients (`anthropic-version`, or `x-api-key` alone: dialect.ts) get the same models in
 * Anthropic's shape (`client.models.list()` / `retrieve()` of @anthropic-ai/sdk): `{ type: "model",
 * id, display_name, created_at }`, the list as one page (`has_more: false`, `first_id`, `last_id`).
 */
export const MODELS_PATH = "/api/llm/v1/models";

interface ModelObject {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
}

/** The models this key's app may name, in the order the list shows them. */
function modelsOf(snapshot: ConfigSnapshot, key: GatewayKey, created: number): ModelObject[] {
  const app = snapshot.appsById.get(key.appId);
  const actions = new Set<string>();
  for (const c of snapshot.configsByApp.get(key.appId) ?? []) if (c.actionType !== "*") actions.add(c.actionType);
  const data: ModelObject[] = [
    { id: "auto", object: "model", created, owned_by: "llm-control-plane" },
    ...[...actions].sort().map((id) => ({ id, object: "model" as const, created, owned_by: app?.code ?? "app" })),
  ];
  if (app?.allowExplicitModels) {
    for (const m of snapshot.data.models) {
      const provider = snapshot.providersById.get(m.providerId);
      if (m.enabled && provider?.enabled) data.push({ id: m.modelCode, object: "model", created, owned_by: provider.code });
    }
  }
  return data;
}

/** One model by id: listed, or (explicit models allowed) an enabled model named `provider/model`. */
function modelById(snapshot: ConfigSnapshot, key: GatewayKey, id: string, created: number): ModelObject | null {
  const listed = modelsOf(snapshot, key, created).find((m) => m.id === id);
  if (listed) return listed;
  if (!snapshot.appsById.get(key.appId)?.allowExplicitModels) return null;
  const model = findModelByCode(snapshot, id);
  const provider = model ? snapshot.providersById.get(model.providerId) : undefined;
  return model?.enabled && provider?.enabled ? { id, object: "model", created, owned_by: provider.code } : null;
}

/** The id in /api/llm/v1/models/{id}, decoded; null when it is empty or not valid percent-encoding. */
export function modelIdOf(url: string): string | null {
  const path = new URL(url, "http://localhost").pathname;
  const raw = path.startsWith(`${MODELS_PATH}/`) ? path.slice(MODELS_PATH.length + 1) : "";
  try {
    const id = decodeURIComponent(raw);
    return id === "" ? null : id;
  } catch {
    return null;
  }
}

function modelNotFound(id: string | null): GatewayError {
  const shown = id === null ? "(none)" : `'${id.slice(0, 200)}'`;
  return new GatewayError(404, "invalid_request_error", `The model ${shown} does not exist or this key may not use it (GET ${MODELS_PATH} lists what it may use).`, {
    param: "model",
    code: "model_not_found",
  });
}

interface AnthropicModel {
  type: "model";
  id: string;
  display_name: string;
  created_at: string;
}

const anthropicModel = (m: ModelObject): AnthropicModel => ({
  type: "model", id: m.id, display_name: m.id, created_at: new Date(m.created * 1000).toISOString(),
});

function anthropicList(models: ModelObject[]) {
  const data = models.map(anthropicModel);
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}

async function withKey(request: GatewayRequest, answer: (snapshot: ConfigSnapshot, key: GatewayKey, created: number) => unknown): Promise<GatewayAnswer> {
  const call = new GatewayCall(runtime());
  try {
    const state = await runtime().config.get();
    const key = authenticateKey(state, request.headers, "llm");
    // The key's limit counts every request it makes, models included (no LLM call: no
    // concurrency slot, no ledger row).
    await call.admit(state.snapshot, key, { concurrency: false });
    return call.respond(Reply.json(answer(state.snapshot, key, Math.floor(state.loadedAt / 1000))));
  } catch (err) {
    return call.fail(err, { record: false });
  }
}

export function handleModels(request: GatewayRequest): Promise<GatewayAnswer> {
  const anthropic = dialectOfRequest(request) === "anthropic";
  return withKey(request, (snapshot, key, created) => {
    const models = modelsOf(snapshot, key, created);
    return anthropic ? anthropicList(models) : { object: "list", data: models };
  });
}

export function handleModel(request: GatewayRequest): Promise<GatewayAnswer> {
  return withKey(request, (snapshot, key, created) => {
    const id = modelIdOf(request.url);
    const model = id === null ? null : modelById(snapshot, key, id, created);
    if (!model) throw modelNotFound(id);
    return dialectOfRequest(request) === "anthropic" ? anthropicModel(model) : model;
  });
}
