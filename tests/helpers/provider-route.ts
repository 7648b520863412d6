import { serviceDb } from "@/lib/db/service";
import type { ProviderKind } from "@/lib/engine/types";
import type { GatewayWorld } from "./gateway-world";

/**
 * Routes `action` of the world's app to a new provider (`code`, `kind`, `baseUrl`) and model at
 * the given prices per Mtok, then waits until `warmUp` answers 200: the configuration cache
 * picks new rules up within a second.
 */
export interface ProviderRoute {
  code: string;
  kind: ProviderKind;
  baseUrl: string;
  modelCode: string;
  action: string;
  currency: string;
  prices: { input: string; output: string; cached: string | null };
  warmUp: () => Promise<Response>;
}

export async function routeToProvider(world: GatewayWorld, r: ProviderRoute): Promise<void> {
  const db = await serviceDb();
  await db.transaction().execute(async (tx) => {
    const provider = await tx
      .insertInto("llm_providers")
      .values({ code: r.code, name: r.code, kind: r.kind, base_url: r.baseUrl, api_key_env_var: "PRIMARY_TEST_API_KEY", timeout_ms: 2000, max_retries: 0 })
      .returning("id")
      .executeTakeFirstOrThrow();
    const model = await tx
      .insertInto("llm_models")
      .values({ provider_id: provider.id, model_code: r.modelCode, display_name: r.modelCode })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("model_prices")
      .values({
        model_id: model.id, input_per_mtok: r.prices.input, output_per_mtok: r.prices.output, cached_input_per_mtok: r.prices.cached,
        currency: r.currency, effective_from: new Date("2024-01-01T00:00:00Z"),
      })
      .execute();
    await tx.insertInto("llm_configurations").values({ app_id: world.ids.app, action_type: r.action, model_id: model.id, priority: 100 }).execute();
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await r.warmUp();
    if (res.status === 200) return;
    if (Date.now() > deadline) throw new Error(`the new rule was not picked up: HTTP ${res.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
