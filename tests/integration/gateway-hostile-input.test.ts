import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { serviceDb } from "@/lib/db/service";
import type { ConfigSnapshot } from "@/lib/engine/snapshot";
import { MAX_JSON_DEPTH } from "@/lib/gateway/body";
import { CircuitBreakers } from "@/lib/gateway/circuit";
import { runtime } from "@/lib/gateway/runtime";
import { startAnthropicFake } from "@/tests/helpers/fake-upstreams/anthropic";
import type { FakeUpstream } from "@/tests/helpers/fake-upstreams/harness";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";

/**
 * Issue 9, items 1, 2 and 4, against a real gateway on loopback with fake upstreams that refuse
 * unknown fields as OpenAI does: a hostile body cannot open another tenant's circuit, a half-open
 * trial that ends in a 400 or a missing key does not stick, and no field the price table cannot
 * see reaches a provider unless an app setting allows it.
 */
const adminUrl = inject("pgAdminUrl");
const targets = [{ name: "pglite" }, ...(adminUrl ? [{ name: "postgres", adminUrl }] : [])];
const CHAT = "/api/llm/v1/chat/completions";
const user = [{ role: "user", content: "hello" }];

/** The runtime's breakers, replaced per test (a short cooldown where a test waits for half-open). */
function useCircuits(threshold = 5, cooldownMs = 30_000): CircuitBreakers {
  const holder = globalThis as { __llmcpGateway?: { circuits: CircuitBreakers } };
  const breakers = new CircuitBreakers(threshold, cooldownMs);
  holder.__llmcpGateway!.circuits = breakers;
  return breakers;
}

async function until(what: string, check: () => boolean | Promise<boolean>, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const snapshot = async (): Promise<ConfigSnapshot> => (await runtime().config.get()).snapshot;

describe.each(targets)("gateway under hostile input on $name", (target) => {
  let world: GatewayWorld;
  let claude: FakeUpstream;
  const post = (body: unknown, key: string = KEYS.app) =>
    fetch(`${world.url}${CHAT}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const errorOf = async (res: Response) => ((await res.json()) as { error: { type: string; message: string; param: string | null } }).error;

  beforeAll(async () => {
    world = await startGatewayWorld(target, { fakes: { refuseUnknownFields: true } });
    claude = await startAnthropicFake();
    vi.stubEnv("CLAUDE_TEST_API_KEY", "sk-ant-claude-SECRET-0123456789");
    const db = await serviceDb();
    const provider = await db.insertInto("llm_providers")
      .values({ code: "claude", name: "claude", kind: "anthropic", base_url: `${claude.origin}/v1`, api_key_env_var: "CLAUDE_TEST_API_KEY", timeout_ms: 2000, max_retries: 0 })
      .returning("id").executeTakeFirstOrThrow();
    const model = await db.insertInto("llm_models").values({ provider_id: provider.id, model_code: "claude-fake", display_name: "claude-fake" }).returning("id").executeTakeFirstOrThrow();
    await db.insertInto("model_prices").values({ model_id: model.id, input_per_mtok: "3.00", output_per_mtok: "15.00", currency: "USD", effective_from: new Date("2024-01-01T00:00:00Z") }).execute();
    const app = await db.selectFrom("apps").select("id").where("code", "=", "wb").executeTakeFirstOrThrow();
    await db.insertInto("llm_configurations").values([
      { app_id: app.id, action_type: "converse", model_id: model.id, priority: 100 },
      { app_id: app.id, action_type: "mixed", model_id: world.ids.primaryModel, fallback_model_ids: [model.id], priority: 100 },
    ]).execute();
    await until("the new rules in the gateway's configuration", async () => (await snapshot()).data.configurations.length >= 5 && (await snapshot()).modelsById.has(model.id));
  });
  afterAll(async () => {
    await claude?.close();
    await world?.close();
  });
  beforeEach(() => {
    world.primary.reset();
    world.backup.reset();
    claude.reset();
  });

  describe("item 1: local errors are not provider failures", () => {
    it("refuses a 400 KB body nested 200,000 levels with a 400, and another tenant's call to the same provider still succeeds", async () => {
      const circuits = useCircuits();
      const deep = `{"model":"auto","messages":[{"role":"user","content":"hi"}],"metadata":{"action":"classify","organization":"wvc"},"x":${"[".repeat(200_000)}${"]".repeat(200_000)}}`;
      expect(deep.length).toBeGreaterThan(400_000);
      expect(deep.length).toBeLessThan(4 * 1024 * 1024);
      expect(() => JSON.parse(deep)).not.toThrow(); // valid JSON
      for (let i = 0; i < 10; i++) {
        const res = await post(deep);
        expect(res.status).toBe(400);
        const error = await errorOf(res);
        expect(error.type).toBe("invalid_request_error");
        expect(error.message).toContain(`${MAX_JSON_DEPTH} levels`);
      }
      expect(world.primary.requests).toHaveLength(0);
      expect(circuits.state("primary")).toBe("closed");
      // Another tenant (a key pinned to Acme) on the same provider.
      const res = await post({ model: "auto", messages: user, metadata: { action: "classify" } }, KEYS.pinnedAcme);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-llm-provider")).toBe("primary");
    });

    it("answers 400 for a request the adapter cannot map, records it as local, and leaves the provider's circuit closed", async () => {
      const circuits = useCircuits(2);
      const audio = [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "AAAA", format: "wav" } }] }];
      const requestIds: string[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await post({ model: "converse", messages: audio, metadata: { organization: "acme" } });
        expect(res.status).toBe(400);
        expect((await errorOf(res)).message).toMatch(/input_audio/);
        requestIds.push(res.headers.get("x-request-id")!);
      }
      expect(claude.requests).toHaveLength(0);
      expect(circuits.state("claude")).toBe("closed");
      const ok = await post({ model: "converse", messages: user, metadata: { organization: "acme" } }, KEYS.pinnedAcme);
      expect(ok.status).toBe(200);
      expect(ok.headers.get("x-llm-provider")).toBe("claude");
      await flushed();
      const rows = await (await serviceDb()).selectFrom("llm_calls").select(["status", "error_type", "prompt_tokens", "cost"]).where("request_id", "in", requestIds).execute();
      expect(rows).toHaveLength(10);
      for (const row of rows) expect(row).toMatchObject({ status: "failed", error_type: "local_invalid_request", prompt_tokens: 0, cost: expect.stringMatching(/^0(\.0+)?$/) });
    });
  });

  describe("item 2: a half-open trial never sticks", () => {
    const classify = { model: "auto", messages: user, metadata: { action: "classify", organization: "acme" } };

    async function openThenHalfOpen(circuits: CircuitBreakers): Promise<void> {
      // Provider down: both tries of one call fail (threshold 2), the backup answers.
      world.primary.script({ kind: "status", status: 503 }, { kind: "status", status: 503 });
      const down = await post(classify);
      expect(down.headers.get("x-llm-provider")).toBe("backup");
      expect(circuits.state("primary")).toBe("open");
      await until("the cooldown to end", () => circuits.state("primary") === "half_open");
      world.primary.reset();
    }

    it("releases the trial when it ends in the caller's 400, and later calls reach the recovered provider", async () => {
      const circuits = useCircuits(2, 200);
      await openThenHalfOpen(circuits);
      world.primary.script({ kind: "status", status: 400, message: "messages: bad", errorType: "invalid_request_error" });
      const trial = await post(classify);
      expect(trial.status).toBe(400);
      expect(world.primary.requests).toHaveLength(1);
      expect(circuits.state("primary")).toBe("half_open");
      const later = await post(classify);
      expect(later.status).toBe(200);
      expect(later.headers.get("x-llm-provider")).toBe("primary");
      expect(circuits.state("primary")).toBe("closed");
    });

    it("releases the trial when it ends in a content filter or a missing key", async () => {
      const circuits = useCircuits(2, 200);
      await openThenHalfOpen(circuits);
      world.primary.script({ kind: "status", status: 400, message: "flagged", errorType: "content_filter" });
      expect((await post(classify)).status).toBe(400);
      vi.stubEnv("PRIMARY_TEST_API_KEY", "");
      const missing = await post(classify);
      expect(missing.headers.get("x-llm-provider")).toBe("backup");
      vi.stubEnv("PRIMARY_TEST_API_KEY", "sk-primary-SECRET-0123456789");
      const later = await post(classify);
      expect(later.headers.get("x-llm-provider")).toBe("primary");
      expect(circuits.state("primary")).toBe("closed");
    });
  });

  describe("item 4: nothing billable slips past the price table", () => {
    const base = { model: "auto", messages: user, metadata: { action: "classify", organization: "acme" } };

    it.each([
      ["service_tier", "priority", /billed or retains|bills or retains/],
      ["store", true, /bills or retains/],
      ["prompt_cache_retention", "24h", /bills or retains/],
      ["modalities", ["text", "audio"], /audio/],
      ["web_search_options", {}, /bills or retains/],
      ["models", ["openai/gpt-4o"], /not supported for provider "primary"/],
      ["plugins", [{ id: "web" }], /not supported/],
      ["foo_bar", 1, /"foo_bar" is not supported/],
    ])("refuses %s = %j with a 400 naming the field, before any upstream call", async (field, value, message) => {
      useCircuits();
      const res = await post({ ...base, [field]: value });
      expect(res.status).toBe(400);
      const error = await errorOf(res);
      expect(error).toMatchObject({ type: "invalid_request_error", param: field });
      expect(error.message).toMatch(message);
      expect(world.primary.requests).toHaveLength(0);
    });

    it("forwards a billing field once the app's setting allows it, and refuses it again when the setting goes", async () => {
      useCircuits();
      const db = await serviceDb();
      const app = await db.selectFrom("apps").select("id").where("code", "=", "wb").executeTakeFirstOrThrow();
      const row = await db.insertInto("app_configuration")
        .values({ key: "gateway.allowed_billing_fields", scope: "app", app_id: app.id, value_type: "json", value: JSON.stringify(["service_tier"]) })
        .returning("id").executeTakeFirstOrThrow();
      await until("the setting in the gateway's configuration", async () => (await snapshot()).settingsByKey.has("gateway.allowed_billing_fields"));
      const res = await post({ ...base, service_tier: "priority" });
      expect(res.status).toBe(200);
      expect(world.primary.requests[0]?.body.service_tier).toBe("priority");
      // Still only what was allowed.
      expect((await post({ ...base, store: true })).status).toBe(400);
      await db.deleteFrom("app_configuration").where("id", "=", row.id).execute();
      await until("the setting to be gone", async () => !(await snapshot()).settingsByKey.has("gateway.allowed_billing_fields"));
      expect((await post({ ...base, service_tier: "priority" })).status).toBe(400);
    });

    it("passes the openai SDK's ordinary fields to an upstream that refuses unknown ones", async () => {
      useCircuits();
      const client = new OpenAI({ apiKey: KEYS.app, baseURL: `${world.url}/api/llm/v1`, maxRetries: 0 });
      const params = {
        model: "auto", messages: [{ role: "user" as const, content: "Classify" }], metadata: { action: "classify", organization: "acme" },
        tools: [{ type: "function" as const, function: { name: "lookup", parameters: { type: "object", properties: {} } } }], tool_choice: "auto" as const,
        response_format: { type: "json_object" as const }, max_completion_tokens: 50, user: "user-7", seed: 3, n: 1,
        temperature: 0.2, top_p: 0.9, stop: ["END"], logprobs: false, parallel_tool_calls: false, prompt_cache_key: "k1", store: false,
      };
      const answer = await client.chat.completions.create(params);
      expect(answer.choices[0]?.message.content).toBeTruthy();
      const stream = await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
      let usage = false;
      for await (const chunk of stream) if (chunk.usage) usage = true;
      expect(usage).toBe(true);
      expect(world.primary.requests.map((r) => r.body.user)).toEqual(["user-7", "user-7"]);
    });

    it("skips a fallback of another kind that cannot take the request's fields, with a trace step", async () => {
      useCircuits();
      world.primary.script({ kind: "status", status: 503 }, { kind: "status", status: 503 });
      const res = await post({ model: "mixed", messages: user, metadata: { organization: "acme" }, logprobs: true });
      expect(res.status).toBe(502);
      expect(claude.requests).toHaveLength(0);
      await flushed();
      const first = await (await serviceDb()).selectFrom("llm_calls").select("trace").where("request_id", "=", res.headers.get("x-request-id")!).where("attempt", "=", 1).executeTakeFirstOrThrow();
      expect(JSON.stringify(first.trace)).toMatch(/provider claude \(anthropic\) cannot take the request field \\?"logprobs\\?"/);
      // Without the field the same route falls back to Claude.
      world.primary.script({ kind: "status", status: 503 }, { kind: "status", status: 503 });
      const fallback = await post({ model: "mixed", messages: user, metadata: { organization: "acme" } });
      expect(fallback.headers.get("x-llm-provider")).toBe("claude");
    });
  });
});
