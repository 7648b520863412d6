/**
 * Prepares a database for the gateway benchmark: an app `bench` that allows explicit models, an
 * OpenAI-compatible provider pointing at the mock upstream, `gpt-4o-mini` priced, a default rule,
 * and an app key. Prints the key. With a third argument, a second app `bench-cache` whose answers
 * the response cache keeps (cache.ttl_seconds = 3600) and its key, for the cache-hit scenario.
 * Usage: tsx scripts/bench/setup-gateway.ts <upstream-base-url> <key> [<cache-key>]
 */
import { createHash } from "node:crypto";
import { getDb, shutdownDb } from "@/lib/db/instance";

async function main() {
  const [baseUrl = "http://127.0.0.1:9001/v1", key = "llmcp_bench_0123456789abcdef", cacheKey] = process.argv.slice(2);
  const db = (await getDb()).kysely;
  await db.transaction().execute(async (tx) => {
    const org = await tx.insertInto("organizations").values({ slug: "bench", name: "Benchmark" })
      .onConflict((oc) => oc.column("slug").doUpdateSet({ name: "Benchmark" })).returning("id").executeTakeFirstOrThrow();
    const provider = await tx.insertInto("llm_providers")
      .values({ code: "bench-upstream", name: "Bench upstream", kind: "openai_compatible", base_url: baseUrl, timeout_ms: 10_000, max_retries: 1 })
      .onConflict((oc) => oc.column("code").doUpdateSet({ base_url: baseUrl })).returning("id").executeTakeFirstOrThrow();
    const model = await tx.insertInto("llm_models").values({ provider_id: provider.id, model_code: "gpt-4o-mini", display_name: "GPT-4o mini (bench)" })
      .onConflict((oc) => oc.columns(["provider_id", "model_code"]).doUpdateSet({ enabled: true })).returning("id").executeTakeFirstOrThrow();
    await tx.insertInto("model_prices").values({ model_id: model.id, input_per_mtok: "0.15", output_per_mtok: "0.60", cached_input_per_mtok: "0.075", currency: "USD", effective_from: new Date("2024-01-01T00:00:00Z") })
      .onConflict((oc) => oc.columns(["model_id", "effective_from"]).doNothing()).execute();
    const app = await tx.insertInto("apps").values({ code: "bench", name: "Benchmark", allow_explicit_models: true, baseline_model_id: model.id })
      .onConflict((oc) => oc.column("code").doUpdateSet({ allow_explicit_models: true })).returning("id").executeTakeFirstOrThrow();
    await tx.insertInto("llm_configurations").values({ app_id: app.id, organization_id: null, action_type: "*", model_id: model.id, priority: 100 })
      .onConflict((oc) => oc.columns(["app_id", "organization_id", "action_type", "priority"]).doNothing()).execute();
    await tx.insertInto("api_keys").values({
      app_id: app.id, organization_id: org.id, name: "bench", prefix: key.slice(0, 12), scopes: ["llm", "feedback"],
      key_hash: createHash("sha256").update(key).digest("hex"),
      // A load generator, not a tenant: explicit limits far above what the run can send (an empty
      // limit means the defaults, 600/min and 20 concurrent, which would measure the limiter).
      rate_limit_per_minute: 1_000_000, max_concurrent: 10_000,
    }).onConflict((oc) => oc.column("key_hash").doUpdateSet({ rate_limit_per_minute: 1_000_000, max_concurrent: 10_000 })).execute();
    if (!cacheKey) return;
    const cached = await tx.insertInto("apps").values({ code: "bench-cache", name: "Benchmark (response cache on)", allow_explicit_models: true, baseline_model_id: model.id })
      .onConflict((oc) => oc.column("code").doUpdateSet({ allow_explicit_models: true })).returning("id").executeTakeFirstOrThrow();
    await tx.insertInto("llm_configurations").values({ app_id: cached.id, organization_id: null, action_type: "*", model_id: model.id, priority: 100 })
      .onConflict((oc) => oc.columns(["app_id", "organization_id", "action_type", "priority"]).doNothing()).execute();
    await tx.insertInto("app_configuration").values({
      key: "cache.ttl_seconds", scope: "app", app_id: cached.id, value_type: "int", value: "3600", description: "bench: answers kept an hour",
    }).onConflict((oc) => oc.columns(["key", "app_id", "organization_id"]).doNothing()).execute();
    await tx.insertInto("api_keys").values({
      app_id: cached.id, organization_id: org.id, name: "bench cache", prefix: cacheKey.slice(0, 12), scopes: ["llm"],
      key_hash: createHash("sha256").update(cacheKey).digest("hex"), rate_limit_per_minute: 1_000_000, max_concurrent: 10_000,
    }).onConflict((oc) => oc.column("key_hash").doUpdateSet({ rate_limit_per_minute: 1_000_000, max_concurrent: 10_000 })).execute();
  });
  console.log(key);
  await shutdownDb();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
