import Decimal from "decimal.js";
import { sql } from "kysely";
import OpenAI from "openai";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { countCached } from "@/lib/db/response-cache";
import { serviceDb } from "@/lib/db/service";
import { cacheWritesSettled, dropLocalCopies } from "@/lib/gateway/cache";
import { PostgresCacheStore, RedisCacheStore, type ResponseCacheStore } from "@/lib/gateway/cache-store";
import { runtime } from "@/lib/gateway/runtime";
import { gatewayTargets } from "@/tests/helpers/databases";
import { OPENAI_TEXT, OPENAI_USAGE } from "@/tests/helpers/fake-upstreams/openai";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";
import { startRedis, type RedisServer } from "@/tests/helpers/redis-server";

/**
 * The per-tenant response cache through the real gateway route (node:http) against a loopback
 * fake upstream that counts its calls: a hit never reaches it. On PGlite and PostgreSQL, with the
 * Postgres store and with Redis (a redis-server of this file's own on a loopback port).
 */
const REDIS_PORT = 6391;
const DEAD_REDIS_PORT = 6399;
const stores = ["postgres", "redis"] as const;
const cases = gatewayTargets().flatMap((t) => stores.map((store) => ({ ...t, store })));

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis(REDIS_PORT);
});
afterAll(async () => {
  await redis?.close();
});

/** Waits for a condition, bounded: polls every 50 ms for at most `ms`. */
async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(cases)("response cache on $name with the $store store", (target) => {
  let world: GatewayWorld;
  let client: OpenAI;
  let gamma: string;

  const post = (body: object, headers: Record<string, string> = {}) =>
    fetch(`${world.url}/api/llm/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEYS.app}`, ...headers },
      body: JSON.stringify(body),
    });
  const ask = (content: string, organization = "acme") => ({
    model: "auto", messages: [{ role: "user", content }], metadata: { action: "classify", organization }, temperature: 0.3,
  });
  const setTtl = async (seconds: number, scope: { app?: string; organization?: string }) => {
    const db = await serviceDb();
    await db.insertInto("app_configuration").values({
      key: "cache.ttl_seconds", scope: scope.organization ? "organization" : "app", app_id: scope.app ?? null, organization_id: scope.organization ?? null,
      value_type: "int", value: JSON.stringify(seconds),
    }).execute();
    await runtime().config.reload();
  };
  const rowOf = async (requestId: string) => {
    await flushed();
    const db = await serviceDb();
    return db.selectFrom("llm_calls").selectAll().where("request_id", "=", requestId).executeTakeFirstOrThrow();
  };
  /** Unexpired entries of an organization in the store the gateway uses. */
  const liveEntries = async (organizationId: string): Promise<number> => {
    if (target.store === "postgres") {
      const db = await serviceDb();
      const { rows } = await sql<{ n: string }>`select count(*) as n from public.response_cache
        where organization_key = ${organizationId} and expires_at > clock_timestamp()`.execute(db);
      return Number(rows[0]!.n);
    }
    const c = createClient({ url: redis.url });
    await c.connect();
    try {
      const keys = await c.zRange(`llmcp:rc:org:${organizationId}`, 0, -1);
      let live = 0;
      for (const k of keys) live += await c.exists(k);
      return live;
    } finally {
      await c.close();
    }
  };

  beforeAll(async () => {
    if (target.store === "redis") vi.stubEnv("REDIS_URL", redis.url);
    world = await startGatewayWorld(target);
    expect(runtime().cache?.kind).toBe(target.store);
    client = new OpenAI({ apiKey: KEYS.app, baseURL: `${world.url}/api/llm/v1`, maxRetries: 0 });
    const db = await serviceDb();
    await db.insertInto("organizations").values({ slug: "beta", name: "Beta" }).execute();
    gamma = (await db.insertInto("organizations").values({ slug: "gamma", name: "Gamma" }).returning("id").executeTakeFirstOrThrow()).id;
    await runtime().config.reload();
  });
  afterAll(async () => {
    await cacheWritesSettled();
    await world?.close();
  });

  it("is off without cache.ttl_seconds: no x-llm-cache header, every call reaches the provider", async () => {
    world.primary.reset();
    for (let i = 0; i < 2; i++) {
      const res = await post(ask("off by default"));
      expect(res.status).toBe(200);
      expect(res.headers.get("x-llm-cache")).toBeNull();
    }
    expect(world.primary.requests).toHaveLength(2);
  });

  it("answers an identical request from the cache: same body, never the provider, recorded at cost 0 with the cost it saved", async () => {
    await setTtl(300, { app: world.ids.app });
    world.primary.reset();
    const first = await post(ask("cache me"));
    expect(first.headers.get("x-llm-cache")).toBe("miss");
    const original = (await first.json()) as { choices: unknown[]; usage: unknown };
    await cacheWritesSettled();
    // Served from the shared store, as another instance would be (no copy in this process).
    dropLocalCopies(runtime().cache);
    // Object key order and labels that do not change the answer do not matter.
    const second = await post({ metadata: { organization: "acme", action: "classify", request_type: "other" }, temperature: 0.3, user: "u-9", messages: [{ content: "cache me", role: "user" }], model: "auto" });
    expect(second.status).toBe(200);
    expect(second.headers.get("x-llm-cache")).toBe("hit");
    expect(second.headers.get("x-llm-cost")).toBe("0");
    const replayed = (await second.json()) as { choices: unknown[]; usage: unknown };
    expect(replayed.choices).toEqual(original.choices);
    expect(replayed.usage).toEqual(original.usage);
    expect(world.primary.requests).toHaveLength(1);
    // Now from this instance's copy: the same answer again.
    expect((await post(ask("cache me"))).headers.get("x-llm-cache")).toBe("hit");
    expect(world.primary.requests).toHaveLength(1);

    const miss = await rowOf(first.headers.get("x-request-id")!);
    const hit = await rowOf(second.headers.get("x-request-id")!);
    expect(miss).toMatchObject({ cache_hit: false, cache_saved_cost: null, pricing_source: "database" });
    expect(hit).toMatchObject({ cache_hit: true, pricing_source: "cache", currency: "USD", status: "ok", organization_id: world.ids.acme, model_code: "primary-model", total_tokens: 0 });
    expect(new Decimal(hit.cost!).isZero()).toBe(true);
    expect(new Decimal(hit.cache_saved_cost!).eq(miss.cost!)).toBe(true);
    expect(new Decimal(miss.cost!).gt(0)).toBe(true);

    // The daily rollup counts the hit and sums what it saved.
    const db = await serviceDb();
    const days = await db.selectFrom("llm_call_daily").select(["cache_hits", "cache_saved_cost"])
      .where("organization_id", "=", world.ids.acme).where("model_code", "=", "primary-model").where("cache_hits", ">", 0).execute();
    expect(days.reduce((n, d) => n + Number(d.cache_hits), 0)).toBe(2);
    const saved = days.reduce((sum, d) => sum.plus(d.cache_saved_cost), new Decimal(0));
    expect(saved.eq(new Decimal(miss.cost!).times(2))).toBe(true);
  });

  it("never gives one organization another's answer for the identical request", async () => {
    world.primary.reset();
    const a = await post(ask("same words, two tenants", "acme"));
    expect(a.headers.get("x-llm-cache")).toBe("miss");
    await cacheWritesSettled();
    const b = await post(ask("same words, two tenants", "beta"));
    expect(b.headers.get("x-llm-cache")).toBe("miss");
    expect(world.primary.requests).toHaveLength(2);
    await cacheWritesSettled();
    expect((await post(ask("same words, two tenants", "beta"))).headers.get("x-llm-cache")).toBe("hit");
    expect((await post(ask("same words, two tenants", "acme"))).headers.get("x-llm-cache")).toBe("hit");
    expect(world.primary.requests).toHaveLength(2);
    // A different parameter is a different request.
    expect((await post({ ...ask("same words, two tenants", "acme"), temperature: 0.9 })).headers.get("x-llm-cache")).toBe("miss");
  });

  it("bypasses the lookup on Cache-Control: no-cache, and skips the write too on no-store", async () => {
    world.primary.reset();
    const stored = await post(ask("bypass me"));
    expect(stored.headers.get("x-llm-cache")).toBe("miss");
    await cacheWritesSettled();
    const bypass = await post(ask("bypass me"), { "cache-control": "no-cache" });
    expect(bypass.headers.get("x-llm-cache")).toBe("bypass");
    expect(world.primary.requests).toHaveLength(2);

    const noStore = await post(ask("never store me"), { "cache-control": "no-store" });
    expect(noStore.headers.get("x-llm-cache")).toBe("bypass");
    await cacheWritesSettled();
    expect((await post(ask("never store me"))).headers.get("x-llm-cache")).toBe("miss");
    expect(world.primary.requests).toHaveLength(4);
  });

  it("expires an entry after its organization's TTL", async () => {
    await setTtl(1, { organization: gamma });
    world.primary.reset();
    expect((await post(ask("short lived", "gamma"))).headers.get("x-llm-cache")).toBe("miss");
    await cacheWritesSettled();
    expect(await liveEntries(gamma)).toBe(1);
    await until(async () => (await liveEntries(gamma)) === 0, "the entry to expire");
    expect((await post(ask("short lived", "gamma"))).headers.get("x-llm-cache")).toBe("miss");
    expect(world.primary.requests).toHaveLength(2);
  });

  it("replays a streamed hit as a stream the openai SDK parses, usage chunk included", async () => {
    world.primary.reset();
    const run = async () => {
      const { data: stream, response } = await client.chat.completions.create({
        model: "classify", stream: true, stream_options: { include_usage: true },
        messages: [{ role: "user", content: "stream me" }], metadata: { organization: "acme" },
      }).withResponse();
      let text = "";
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? "";
        if (chunk.usage) usage = chunk.usage;
      }
      return { text, usage, cache: response.headers.get("x-llm-cache"), requestId: response.headers.get("x-request-id")! };
    };
    const first = await run();
    expect(first.cache).toBe("miss");
    await cacheWritesSettled();
    dropLocalCopies(runtime().cache);
    const second = await run();
    expect(second).toMatchObject({ cache: "hit", text: OPENAI_TEXT });
    expect(second.usage).toEqual(OPENAI_USAGE);
    expect(world.primary.requests).toHaveLength(1);
    const row = await rowOf(second.requestId);
    expect(row).toMatchObject({ cache_hit: true, streamed: true, pricing_source: "cache" });
    // A non-streamed call of the same request is not answered from the stream's entry.
    expect((await post({ model: "classify", messages: [{ role: "user", content: "stream me" }], metadata: { organization: "acme" } })).headers.get("x-llm-cache")).toBe("miss");
  });

  it("answers Anthropic Messages (streamed) and Responses (JSON) calls from the cache in their own dialect", async () => {
    world.primary.reset();
    const messages = () => fetch(`${world.url}/api/llm/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": KEYS.app, "anthropic-version": "2023-06-01", "x-llm-organization": "acme" },
      body: JSON.stringify({ model: "classify", max_tokens: 64, stream: true, messages: [{ role: "user", content: "messages dialect" }] }),
    });
    const first = await messages();
    expect(first.headers.get("x-llm-cache")).toBe("miss");
    const original = await first.text();
    await cacheWritesSettled();
    dropLocalCopies(runtime().cache);
    const second = await messages();
    expect(second.headers.get("x-llm-cache")).toBe("hit");
    expect(second.headers.get("content-type")).toContain("text/event-stream");
    const replayed = await second.text();
    const events = (sse: string) => [...sse.matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
    expect(events(replayed)).toEqual(events(original));
    expect(events(replayed).at(-1)).toBe("message_stop");
    const text = (sse: string) => [...sse.matchAll(/"text_delta","text":"([^"]*)"/g)].map((m) => m[1]).join("");
    expect(text(replayed)).toBe(OPENAI_TEXT);

    const responses = () => fetch(`${world.url}/api/llm/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEYS.app}` },
      body: JSON.stringify({ model: "classify", input: "responses dialect", metadata: { organization: "acme" } }),
    });
    expect((await responses()).headers.get("x-llm-cache")).toBe("miss");
    await cacheWritesSettled();
    const hit = await responses();
    expect(hit.headers.get("x-llm-cache")).toBe("hit");
    const body = (await hit.json()) as { object: string; output: { content?: { text?: string }[] }[] };
    expect(body.object).toBe("response");
    expect(body.output.flatMap((o) => o.content ?? []).map((c) => c.text).join("")).toBe(OPENAI_TEXT);
    expect(world.primary.requests).toHaveLength(2);
  });

  it("does not store a stream the provider cut off", async () => {
    world.primary.reset();
    world.primary.script({ kind: "cut", afterEvents: 1 });
    const body = { model: "classify", stream: true, messages: [{ role: "user", content: "cut me" }], metadata: { organization: "acme" } };
    const cut = await post(body);
    await cut.text();
    await cacheWritesSettled();
    const again = await post(body);
    expect(again.headers.get("x-llm-cache")).toBe("miss");
    expect(await again.text()).toContain(OPENAI_PIECES_LAST);
  });

  it("keeps the store within its bounds per organization and overall, evicting the soonest expiry first", async () => {
    const store: ResponseCacheStore = target.store === "redis"
      ? new RedisCacheStore(redis.url, { maxEntries: 5, maxPerOrganization: 3 })
      : new PostgresCacheStore(serviceDb, { maxEntries: 5, maxPerOrganization: 3 }, 1);
    // An empty store: the overall bound counts every organization's entries.
    await cacheWritesSettled();
    if (target.store === "redis") {
      const c = createClient({ url: redis.url });
      await c.connect();
      await c.flushAll();
      await c.close();
    } else {
      await sql`delete from public.response_cache`.execute(await serviceDb());
    }
    const org = (n: number) => `00000000-0000-4000-8000-00000000b00${n}`;
    const key = (o: number, i: number) => `${String(o).repeat(2)}${String(i).padStart(62, "0")}`;
    try {
      for (let i = 0; i < 5; i++) await store.put({ key: key(1, i), organizationKey: org(1), appId: world.ids.app, entry: `a${i}` }, 60_000 + i * 1000);
      expect(await Promise.all([0, 1, 2, 3, 4].map((i) => store.get(key(1, i))))).toEqual([null, null, "a2", "a3", "a4"]);
      for (let i = 0; i < 3; i++) await store.put({ key: key(2, i), organizationKey: org(2), appId: world.ids.app, entry: `b${i}` }, 120_000 + i * 1000);
      const left = await Promise.all([...[2, 3, 4].map((i) => store.get(key(1, i))), ...[0, 1, 2].map((i) => store.get(key(2, i)))]);
      expect(left.filter((e) => e !== null)).toHaveLength(5);
      expect(left[0]).toBeNull(); // the soonest expiry overall went first
      if (target.store === "postgres") {
        expect(await countCached(await serviceDb(), org(1))).toBe(2);
      }
    } finally {
      await store.close();
    }
  });

  it("answers a cached call of an organization over its blocking budget, and refuses its uncached calls", async () => {
    const db = await serviceDb();
    const delta = (await db.insertInto("organizations").values({ slug: "delta", name: "Delta" }).returning("id").executeTakeFirstOrThrow()).id;
    await setTtl(300, { organization: delta });
    const asDelta = (content: string) => ask(content, "delta");
    const first = await post(asDelta("within budget"));
    expect(first.headers.get("x-llm-cache")).toBe("miss");
    await cacheWritesSettled();
    // A budget far below one call's estimate: every call that would reach a provider is refused.
    await db.updateTable("organizations").set({ monthly_budget: "0.00000001", budget_currency: "USD", budget_policy: "block" }).where("id", "=", delta).execute();
    await runtime().config.reload();
    try {
      world.primary.reset();
      const refused = await post(asDelta("not cached yet"));
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { error: { type: string } }).error.type).toBe("budget_exceeded");
      const hit = await post(asDelta("within budget"));
      expect(hit.status).toBe(200);
      expect(hit.headers.get("x-llm-cache")).toBe("hit");
      expect(world.primary.requests).toHaveLength(0);
      const row = await rowOf(hit.headers.get("x-request-id")!);
      expect(row).toMatchObject({ cache_hit: true, status: "ok", organization_id: delta });
      // Nothing was reserved for the hit: the organization's spend is the first call's alone.
      expect(new Decimal(row.cost!).isZero()).toBe(true);
    } finally {
      await db.updateTable("organizations").set({ monthly_budget: null, budget_policy: "alert" }).where("id", "=", delta).execute();
      await runtime().config.reload();
    }
  });

  it("fails open: a store that is down answers no entry and drops writes, without throwing", async () => {
    const down = target.store === "redis"
      ? new RedisCacheStore(`redis://127.0.0.1:${DEAD_REDIS_PORT}`, { maxEntries: 5, maxPerOrganization: 5 })
      : new PostgresCacheStore(() => Promise.reject(new Error("database down")), { maxEntries: 5, maxPerOrganization: 5 });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      await expect(down.put({ key: "f".repeat(64), organizationKey: "", appId: world.ids.app, entry: "x" }, 1000)).resolves.toBeUndefined();
      await expect(down.get("f".repeat(64))).resolves.toBeNull();
    } finally {
      warn.mockRestore();
      await down.close();
    }
  });
});

const OPENAI_PIECES_LAST = " fake upstream.";
