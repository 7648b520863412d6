import { serviceDb } from "@/lib/db/service";
import type { GatewayWorld } from "./gateway-world";

/**
 * Routes `action` of the world's app to a `claude` provider of kind anthropic at `origin`
 * (model claude-sonnet-4-5 at 3 / 15 / 0.30 cached / 3.75 cache-write per Mtok in `currency`),
 * then waits until `warmUp` answers 200: the configuration cache picks new rules up within a second.
 */
export async function routeToClaude(
  world: GatewayWorld,
  { origin, action, currency, warmUp }: { origin: string; action: string; currency: string; warmUp: () => Promise<Response> },
): Promise<void> {
  const db = await serviceDb();
  await db.transaction().execute(async (tx) => {
    const provider = await tx
      .insertInto("llm_providers")
      .values({ code: "claude", name: "Claude", kind: "anthropic", base_url: `${origin}/v1`, api_key_env_var: "PRIMARY_TEST_API_KEY", timeout_ms: 2000, max_retries: 0 })
      .returning("id")
      .executeTakeFirstOrThrow();
    const model = await tx
      .insertInto("llm_models")
      .values({ provider_id: provider.id, model_code: "claude-sonnet-4-5", display_name: "Claude Sonnet 4.5" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("model_prices")
      .values({
        model_id: model.id, input_per_mtok: "3", output_per_mtok: "15", cached_input_per_mtok: "0.30", cache_write_per_mtok: "3.75",
        currency, effective_from: new Date("2024-01-01T00:00:00Z"),
      })
      .execute();
    await tx.insertInto("llm_configurations").values({ app_id: world.ids.app, action_type: action, model_id: model.id, priority: 100 }).execute();
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await warmUp();
    if (res.status === 200) return;
    if (Date.now() > deadline) throw new Error(`the new rule was not picked up: HTTP ${res.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
