import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { serviceDb } from "@/lib/db/service";
import { runtime } from "@/lib/gateway/runtime";
import { ANTHROPIC_PIECES, ANTHROPIC_USAGE, startAnthropicFake } from "@/tests/helpers/fake-upstreams/anthropic";
import type { FakeUpstream } from "@/tests/helpers/fake-upstreams/harness";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";

/**
 * Two leftovers of issue 9, against a real gateway on loopback with fake upstreams:
 * input audio in the messages is refused (400 naming the field) unless the app's
 * gateway.allowed_billing_fields lists "input_audio" (the price table has no audio prices), and a
 * streamed Anthropic call the client leaves is recorded with the usage its stream had shown.
 */
const adminUrl = inject("pgAdminUrl");
const targets = [{ name: "pglite" }, ...(adminUrl ? [{ name: "postgres", adminUrl }] : [])];
const CHAT = "/api/llm/v1/chat/completions";

async function until(what: string, check: () => boolean | Promise<boolean>, tries = 400): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const snapshot = async () => (await runtime().config.get()).snapshot;

describe.each(targets)("input audio and Anthropic cancels on $name", (target) => {
  let world: GatewayWorld;
  let claude: FakeUpstream;
  const post = (body: unknown, init: RequestInit = {}) =>
    fetch(`${world.url}${CHAT}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEYS.app}` },
      body: JSON.stringify(body),
      ...init,
    });

  beforeAll(async () => {
    world = await startGatewayWorld(target);
    claude = await startAnthropicFake();
    vi.stubEnv("CLAUDE_TEST_API_KEY", "sk-ant-claude-SECRET-0123456789");
    const db = await serviceDb();
    const provider = await db.insertInto("llm_providers")
      .values({ code: "claude", name: "claude", kind: "anthropic", base_url: `${claude.origin}/v1`, api_key_env_var: "CLAUDE_TEST_API_KEY", timeout_ms: 5000, max_retries: 0 })
      .returning("id").executeTakeFirstOrThrow();
    const model = await db.insertInto("llm_models").values({ provider_id: provider.id, model_code: "claude-fake", display_name: "claude-fake" }).returning("id").executeTakeFirstOrThrow();
    await db.insertInto("model_prices").values({ model_id: model.id, input_per_mtok: "3.00", output_per_mtok: "15.00", cached_input_per_mtok: "0.30", currency: "USD", effective_from: new Date("2024-01-01T00:00:00Z") }).execute();
    const app = await db.selectFrom("apps").select("id").where("code", "=", "wb").executeTakeFirstOrThrow();
    await db.insertInto("llm_configurations").values({ app_id: app.id, action_type: "converse", model_id: model.id, priority: 100 }).execute();
    await until("the new rule in the gateway's configuration", async () => (await snapshot()).modelsById.has(model.id));
  });
  afterAll(async () => {
    await claude?.close();
    await world?.close();
  });
  beforeEach(() => {
    world.primary.reset();
    claude.reset();
  });

  describe("input audio", () => {
    const audio = [{ role: "user", content: [{ type: "text", text: "What is said?" }, { type: "input_audio", input_audio: { data: "AAAA", format: "wav" } }] }];
    const body = { model: "auto", messages: audio, metadata: { action: "classify", organization: "acme" } };

    it("is refused with a 400 naming the field unless gateway.allowed_billing_fields lists input_audio", async () => {
      const refused = await post(body);
      expect(refused.status).toBe(400);
      const { error } = (await refused.json()) as { error: { type: string; param: string | null; message: string } };
      expect(error).toMatchObject({ type: "invalid_request_error", param: "messages" });
      expect(error.message).toContain("messages[0].content[1] is an input_audio part");
      expect(error.message).toContain('gateway.allowed_billing_fields lists "input_audio"');
      expect(world.primary.requests).toHaveLength(0);
      // Text-only calls on the same route are untouched.
      expect((await post({ ...body, messages: [{ role: "user", content: "hi" }] })).status).toBe(200);

      const db = await serviceDb();
      const app = await db.selectFrom("apps").select("id").where("code", "=", "wb").executeTakeFirstOrThrow();
      const setting = await db.insertInto("app_configuration")
        .values({ key: "gateway.allowed_billing_fields", scope: "app", app_id: app.id, value_type: "json", value: JSON.stringify(["input_audio"]) })
        .returning("id").executeTakeFirstOrThrow();
      try {
        await until("the setting in the gateway's configuration", async () => (await snapshot()).settingsByKey.has("gateway.allowed_billing_fields"));
        const allowed = await post(body);
        expect(allowed.status).toBe(200);
        const sent = world.primary.requests.at(-1)!.body.messages as { content: { type: string }[] }[];
        expect(sent[0]!.content[1]!.type).toBe("input_audio");
      } finally {
        await db.deleteFrom("app_configuration").where("id", "=", setting.id).execute();
        await until("the setting to be gone", async () => !(await snapshot()).settingsByKey.has("gateway.allowed_billing_fields"));
      }
      expect((await post(body)).status).toBe(400);
    });
  });

  describe("a streamed Anthropic call the client leaves", () => {
    async function cancelledRow(requestId: string) {
      const db = await serviceDb();
      let row;
      await until("the cancelled attempt in the ledger", async () => {
        await flushed();
        row = await db.selectFrom("llm_calls")
          .select(["status", "error_type", "streamed", "prompt_tokens", "completion_tokens", "cached_tokens", "total_tokens", "cost"])
          .where("request_id", "=", requestId).executeTakeFirst();
        return row !== undefined;
      });
      return row!;
    }

    /**
     * Streams until the fake goes silent after `afterEvents` events, reads until `text` arrived
     * (the gateway has handled every event before it), then leaves.
     */
    async function leaveAfter(afterEvents: number, text = ""): Promise<string> {
      claude.script({ kind: "stall", afterEvents });
      const abort = new AbortController();
      const res = await post({ model: "converse", stream: true, messages: [{ role: "user", content: "hi" }], metadata: { organization: "acme" } }, { signal: abort.signal });
      expect(res.status).toBe(200);
      const requestId = res.headers.get("x-request-id")!;
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let seen = "";
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        seen += decoder.decode(r.value, { stream: true });
        const pieces = [...seen.matchAll(/"content":"([^"]*)"/g)].map((m) => m[1]).join("");
        if (pieces.includes(text)) break;
      }
      abort.abort();
      await reader.cancel().catch(() => undefined);
      return requestId;
    }

    const input = ANTHROPIC_USAGE.input_tokens + ANTHROPIC_USAGE.cache_read_input_tokens + ANTHROPIC_USAGE.cache_creation_input_tokens;

    it("records the input tokens message_start gave (and its output count so far), priced", async () => {
      // message_start, content_block_start, ping and the first text delta, then silence.
      const row = await cancelledRow(await leaveAfter(4));
      expect(row).toMatchObject({
        status: "failed", error_type: "cancelled", streamed: true,
        prompt_tokens: input, cached_tokens: ANTHROPIC_USAGE.cache_read_input_tokens, completion_tokens: 1, total_tokens: input + 1,
      });
      expect(Number(row.cost)).toBeGreaterThan(0);
    });

    it("records the output tokens of the last message_delta when it came before the client left", async () => {
      // Everything up to message_delta, but no message_stop (message_start, content_block_start,
      // ping, the text deltas, content_block_stop, message_delta).
      const row = await cancelledRow(await leaveAfter(3 + ANTHROPIC_PIECES.length + 2, ANTHROPIC_PIECES.join("")));
      expect(row).toMatchObject({
        status: "failed", error_type: "cancelled", prompt_tokens: input, completion_tokens: ANTHROPIC_USAGE.output_tokens,
        total_tokens: input + ANTHROPIC_USAGE.output_tokens,
      });
    });

    it("still records the final usage of a stream that completes", async () => {
      const res = await post({ model: "converse", stream: true, messages: [{ role: "user", content: "hi" }], metadata: { organization: "acme" } });
      expect(res.status).toBe(200);
      await res.text();
      await flushed();
      const db = await serviceDb();
      const row = await db.selectFrom("llm_calls").select(["status", "prompt_tokens", "completion_tokens"])
        .where("request_id", "=", res.headers.get("x-request-id")!).executeTakeFirstOrThrow();
      expect(row).toEqual({ status: "ok", prompt_tokens: input, completion_tokens: ANTHROPIC_USAGE.output_tokens });
    });
  });
});
