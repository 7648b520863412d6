import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as catchAll from "@/app/api/llm/[...path]/route";
import * as llmRoot from "@/app/api/llm/route";
import * as chatRoute from "@/app/api/llm/v1/chat/completions/route";
import * as modelRoute from "@/app/api/llm/v1/models/[...id]/route";
import { serviceDb } from "@/lib/db/service";
import { gatewayTargets } from "@/tests/helpers/databases";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";
import { waitFor } from "./recorder/helpers";

/**
 * The gateway's API surface beyond chat: GET /v1/models/{id} with the official `openai` SDK (ids
 * with "/", raw and percent-encoded), legacy /v1/completions refused with a pointer to chat, and
 * every error under /api/llm in the caller's dialect (OpenAI's shape, or Anthropic's for a request
 * that looks like an Anthropic client), through the node:http server and the Next route handlers.
 */
const targets = gatewayTargets();
const CHAT = "/api/llm/v1/chat/completions";
const SLASHED = "meta-llama/llama-3.3-70b-instruct";
const ANTHROPIC = { "anthropic-version": "2023-06-01", "content-type": "application/json" };
const chat = { model: "auto", messages: [{ role: "user", content: "hello" }], metadata: { action: "classify", organization: "acme" } };

interface AnthropicErrorBody {
  type: string;
  error: { type: string; message: string };
  request_id?: string;
}

/** An Anthropic-shaped error: exactly `type`, `error: {type, message}` and the request id. */
async function expectAnthropicError(res: Response, status: number, type: string, message: RegExp): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/json");
  const body = (await res.json()) as AnthropicErrorBody;
  expect(Object.keys(body).sort()).toEqual(["error", "request_id", "type"]);
  expect(body.type).toBe("error");
  expect(Object.keys(body.error).sort()).toEqual(["message", "type"]);
  expect(body.error.type).toBe(type);
  expect(body.error.message).toMatch(message);
  expect(body.request_id).toBe(res.headers.get("x-request-id"));
}

describe.each(targets)("gateway API surface on $name", (target) => {
  let world: GatewayWorld;
  let client: OpenAI;
  const url = (path: string) => `${world.url}${path}`;

  beforeAll(async () => {
    world = await startGatewayWorld(target);
    client = new OpenAI({ apiKey: KEYS.app, baseURL: `${world.url}/api/llm/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await world?.close();
  });

  describe("GET /v1/models/{id}", () => {
    it("retrieves auto and the app's actions with the SDK, the same objects models.list gives", async () => {
      const list = await client.models.list();
      for (const id of ["auto", "classify", "draft"]) {
        const model = await client.models.retrieve(id);
        expect(model).toEqual(list.data.find((m) => m.id === id));
        expect(model).toMatchObject({ id, object: "model" });
        expect(Number.isInteger(model.created)).toBe(true);
      }
      expect((await client.models.retrieve("classify")).owned_by).toBe("wb");
    });

    it("answers the Anthropic SDK's models.list and models.retrieve in Anthropic's shape, the same models", async () => {
      const anthropic = new Anthropic({ apiKey: KEYS.app, baseURL: `${world.url}/api/llm`, maxRetries: 0 });
      const openaiIds = (await client.models.list()).data.map((m) => m.id);
      const page = await anthropic.models.list();
      expect(page.data.map((m) => m.id)).toEqual(openaiIds);
      expect(page.has_more).toBe(false);
      for (const m of page.data) {
        expect(m).toEqual({ type: "model", id: m.id, display_name: m.id, created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
      }
      expect(await anthropic.models.retrieve("classify")).toEqual(page.data.find((m) => m.id === "classify"));
      const err = await anthropic.models.retrieve("gpt-9").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Anthropic.NotFoundError);
      expect((err as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({ type: "error", error: { type: "not_found_error" } });
    });

    it("answers OpenAI's 404 model_not_found for a model the key may not use, which the SDK raises as NotFoundError", async () => {
      // primary-model exists, but this app does not allow explicit models (yet).
      for (const id of ["gpt-9", "primary-model", SLASHED]) {
        const err = await client.models.retrieve(id).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(OpenAI.NotFoundError);
        const e = err as InstanceType<typeof OpenAI.NotFoundError>;
        expect(e.status).toBe(404);
        expect(e.code).toBe("model_not_found");
        expect(e.type).toBe("invalid_request_error");
        expect(e.param).toBe("model");
        expect(e.message).toContain(`'${id}'`);
      }
    });

    it("refuses a missing or unknown key with 401 and a wrong method with 405 (Allow: GET)", async () => {
      const none = await fetch(url("/api/llm/v1/models/auto"));
      expect(none.status).toBe(401);
      expect(await none.json()).toMatchObject({ error: { type: "authentication_error" } });
      const err = await new OpenAI({ apiKey: "llmcp_nope_nope_nope_nope", baseURL: `${world.url}/api/llm/v1`, maxRetries: 0 }).models.retrieve("auto").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
      const del = await fetch(url("/api/llm/v1/models/auto"), { method: "DELETE", headers: { authorization: `Bearer ${KEYS.app}` } });
      expect(del.status).toBe(405);
      expect(del.headers.get("allow")).toBe("GET");
    });

    describe("with explicit models allowed", () => {
      beforeAll(async () => {
        const db = await serviceDb();
        const provider = await db.selectFrom("llm_providers").select("id").where("code", "=", "primary").executeTakeFirstOrThrow();
        await db.insertInto("llm_models").values({ provider_id: provider.id, model_code: SLASHED, display_name: "Llama" }).execute();
        await db.insertInto("llm_models").values({ provider_id: provider.id, model_code: "retired-model", display_name: "Retired", enabled: false }).execute();
        await db.updateTable("apps").set({ allow_explicit_models: true }).where("id", "=", world.ids.app).execute();
        await waitFor(async () => (await client.models.list()).data.some((m) => m.id === SLASHED));
      });

      it("retrieves a model code containing '/' percent-encoded by the SDK and raw from curl-like clients", async () => {
        expect(await client.models.retrieve(SLASHED)).toMatchObject({ id: SLASHED, object: "model", owned_by: "primary" });
        const res = await fetch(url(`/api/llm/v1/models/${SLASHED}`), { headers: { authorization: `Bearer ${KEYS.app}` } });
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ id: SLASHED, owned_by: "primary" });
      });

      it("retrieves the provider/model form chat accepts, and chat routes the same id", async () => {
        expect(await client.models.retrieve("primary/primary-model")).toMatchObject({ id: "primary/primary-model", owned_by: "primary" });
        expect(await client.models.retrieve("primary-model")).toMatchObject({ id: "primary-model", owned_by: "primary" });
        world.primary.reset();
        const { response } = await client.chat.completions.create({ model: SLASHED, messages: [{ role: "user", content: "hi" }], metadata: { organization: "acme" } }).withResponse();
        expect(response.headers.get("x-llm-model")).toBe(SLASHED);
        expect(world.primary.requests[0]?.body.model).toBe(SLASHED);
      });

      it("does not retrieve a disabled model, nor a provider/model pair that does not exist", async () => {
        for (const id of ["retired-model", "backup/primary-model", "primary/"]) {
          const err = await client.models.retrieve(id).catch((e: unknown) => e);
          expect(err, id).toBeInstanceOf(OpenAI.NotFoundError);
        }
      });

      it("answers the same through Next's catch-all route handler, slashes raw or encoded", async () => {
        const headers = { authorization: `Bearer ${KEYS.app}` };
        for (const path of [`/api/llm/v1/models/${SLASHED}`, `/api/llm/v1/models/${encodeURIComponent(SLASHED)}`]) {
          const res = await modelRoute.GET(new Request(`http://localhost${path}`, { headers }));
          expect(res.status).toBe(200);
          expect(await res.json()).toMatchObject({ id: SLASHED, object: "model", owned_by: "primary" });
        }
        const missing = await modelRoute.GET(new Request("http://localhost/api/llm/v1/models/gpt-9", { headers }));
        expect(missing.status).toBe(404);
        expect(await missing.json()).toMatchObject({ error: { code: "model_not_found", type: "invalid_request_error" } });
        const post = modelRoute.POST(new Request("http://localhost/api/llm/v1/models/auto", { method: "POST" }));
        expect(post.status).toBe(405);
        expect(post.headers.get("allow")).toBe("GET, HEAD");
      });
    });
  });

  describe("legacy /v1/completions", () => {
    it("is refused with OpenAI's 404 saying to use chat completions, before any key check or upstream call", async () => {
      world.primary.reset();
      const err = await client.completions.create({ model: "auto", prompt: "Say hi" }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.NotFoundError);
      expect((err as Error).message).toMatch(/legacy completions endpoint .* not supported.*POST \/api\/llm\/v1\/chat\/completions/);
      expect(world.primary.requests).toHaveLength(0);
      const next = catchAll.POST(new Request("http://localhost/api/llm/v1/completions", { method: "POST" }));
      expect(next.status).toBe(404);
      expect(await next.json()).toMatchObject({ error: { type: "not_found_error", message: expect.stringContaining("not supported") } });
    });
  });

  describe("errors in the caller's dialect", () => {
    it("answers an OpenAI client's unknown path with OpenAI's JSON error (SDK and raw)", async () => {
      const err = await client.get("/embeddings-v9").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.NotFoundError);
      expect((err as Error).message).toContain("No route GET /api/llm/v1/embeddings-v9");
      const res = await fetch(url("/api/llm/nope/deeper"), { method: "PUT" });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { type: "not_found_error", code: "not_found_error", param: null } });
    });

    it("answers unknown paths in Anthropic's shape for anthropic-version, x-api-key alone, or a path under /v1/messages", async () => {
      // The Anthropic SDK with base URL <origin>/api/llm/v1 posts to /api/llm/v1/v1/messages.
      const sdk = await fetch(url("/api/llm/v1/v1/messages"), { method: "POST", headers: { ...ANTHROPIC, "x-api-key": KEYS.app }, body: "{}" });
      await expectAnthropicError(sdk, 404, "not_found_error", /No route POST \/api\/llm\/v1\/v1\/messages\. .*set the base URL to <origin>\/api\/llm\./);
      const keyOnly = await fetch(url("/api/llm/v1/nope"), { headers: { "x-api-key": KEYS.app } });
      await expectAnthropicError(keyOnly, 404, "not_found_error", /No route GET/);
      const underMessages = await fetch(url("/api/llm/v1/messages/nope/deeper"), { method: "POST", headers: { authorization: `Bearer ${KEYS.app}` } });
      await expectAnthropicError(underMessages, 404, "not_found_error", /^No route POST \/api\/llm\/v1\/messages\/nope\/deeper\. The gateway's routes are listed at \/api\/llm\/openapi\.json\.$/);
      // Both a bearer key and x-api-key: not Anthropic's way of authenticating.
      const both = await fetch(url("/api/llm/v1/nope"), { headers: { "x-api-key": KEYS.app, authorization: `Bearer ${KEYS.app}` } });
      expect(await both.json()).toMatchObject({ error: { type: "not_found_error", code: "not_found_error" } });
    });

    it("answers 405 in Anthropic's shape with the Allow header", async () => {
      const res = await fetch(url("/api/llm/v1/models"), { method: "POST", headers: ANTHROPIC, body: "{}" });
      await expectAnthropicError(res, 405, "invalid_request_error", /Method POST is not allowed on \/api\/llm\/v1\/models; use GET/);
      expect(res.headers.get("allow")).toBe("GET");
    });

    it("answers 401, 403, 413 and 415 in Anthropic's shape to an Anthropic client, and records no call", async () => {
      const send = (headers: Record<string, string>, body: string) => fetch(url(CHAT), { method: "POST", headers: { ...ANTHROPIC, ...headers }, body });
      await expectAnthropicError(await send({}, JSON.stringify(chat)), 401, "authentication_error", /Missing API key/);
      await expectAnthropicError(await send({ "x-api-key": "llmcp_nope_nope_nope_nope" }, JSON.stringify(chat)), 401, "authentication_error", /Invalid API key/);
      const otherOrg = { ...chat, metadata: { action: "classify", organization: "wvc" } };
      await expectAnthropicError(await send({ "x-api-key": KEYS.pinnedAcme }, JSON.stringify(otherOrg)), 403, "permission_error", /pinned to organization "acme"/);
      await expectAnthropicError(await send({ "x-api-key": KEYS.app, "content-type": "text/plain" }, "hello"), 415, "invalid_request_error", /application\/json/);
      const huge = JSON.stringify({ ...chat, messages: [{ role: "user", content: "x".repeat(5 * 1024 * 1024) }] });
      await expectAnthropicError(await send({ "x-api-key": KEYS.app }, huge), 413, "request_too_large", /larger than/);
      await flushed();
      const db = await serviceDb();
      const rows = await db.selectFrom("llm_calls").select("id").where("organization_id", "=", world.ids.wvc).execute();
      expect(rows).toHaveLength(0);
    });

    it("keeps a successful answer as it is for an Anthropic-looking client", async () => {
      const res = await fetch(url(CHAT), { method: "POST", headers: { ...ANTHROPIC, "x-api-key": KEYS.app }, body: JSON.stringify(chat) });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ object: "chat.completion" });
    });

    it("answers the same through the Next route handlers", async () => {
      const missing = catchAll.GET(new Request("http://localhost/api/llm/v1/v1/messages", { headers: ANTHROPIC }));
      await expectAnthropicError(missing, 404, "not_found_error", /set the base URL/);
      const root = llmRoot.POST(new Request("http://localhost/api/llm", { method: "POST" }));
      expect(root.status).toBe(404);
      expect(await root.json()).toMatchObject({ error: { type: "not_found_error", message: expect.stringContaining("No route POST /api/llm.") } });
      const rootNode = await fetch(url("/api/llm"), { headers: { "x-api-key": KEYS.app } });
      await expectAnthropicError(rootNode, 404, "not_found_error", /No route GET \/api\/llm\./);
      const wrongMethod = chatRoute.GET(new Request(`http://localhost${CHAT}`, { headers: ANTHROPIC }));
      await expectAnthropicError(wrongMethod, 405, "invalid_request_error", /use POST/);
      expect(wrongMethod.headers.get("allow")).toBe("POST");
      const unauthorised = await chatRoute.POST(new Request(`http://localhost${CHAT}`, { method: "POST", headers: { ...ANTHROPIC, "x-api-key": "llmcp_nope_nope_nope_nope" }, body: JSON.stringify(chat) }));
      await expectAnthropicError(unauthorised, 401, "authentication_error", /Invalid API key/);
      const openai = await chatRoute.POST(new Request(`http://localhost${CHAT}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(chat) }));
      expect(openai.status).toBe(401);
      expect(await openai.json()).toMatchObject({ error: { type: "authentication_error", code: "authentication_error", param: null } });
    });
  });
});
