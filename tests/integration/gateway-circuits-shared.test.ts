import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { serviceDb } from "@/lib/db/service";
import { PostgresCircuitStore } from "@/lib/gateway/circuit-store";
import { runtime } from "@/lib/gateway/runtime";
import { SharedCircuitBreakers } from "@/lib/gateway/shared-circuits";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";

/**
 * The gateway itself uses the shared breakers: a provider failing behind a real gateway on
 * loopback opens its circuit in provider_circuits, where another instance (a second breaker on
 * the same database) sees it open without calling the provider.
 */
const adminUrl = inject("pgAdminUrl");
const targets = [{ name: "pglite" }, ...(adminUrl ? [{ name: "postgres", adminUrl }] : [])];

describe.each(targets)("the gateway's circuits are shared on $name", (target) => {
  let world: GatewayWorld;
  beforeAll(async () => {
    world = await startGatewayWorld(target);
  });
  afterAll(async () => {
    await world?.close();
  });

  it("opens the primary's circuit in the store after five provider failures; another instance sees it", async () => {
    expect(runtime().circuits).toBeInstanceOf(SharedCircuitBreakers);
    world.primary.script(...Array.from({ length: 20 }, () => ({ kind: "status" as const, status: 503 })));
    const body = { model: "auto", messages: [{ role: "user", content: "hi" }], metadata: { action: "classify", organization: "acme" } };
    const providers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${world.url}/api/llm/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${KEYS.app}` },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200); // the backup answers
      providers.push(res.headers.get("x-llm-provider")!);
    }
    await flushed();
    // Two tries per call (max_retries 1): the 5th failure opens it during the 3rd call.
    expect(world.primary.requests).toHaveLength(5);
    expect(providers).toEqual(Array(5).fill("backup"));
    const db = await serviceDb();
    const row = await db.selectFrom("provider_circuits").selectAll().where("provider", "=", "primary").executeTakeFirstOrThrow();
    expect(row.failures).toBe(5);
    expect(row.opened_until!.getTime()).toBeGreaterThan(Date.now());
    expect(runtime().circuits.state("primary")).toBe("open");

    const other = new SharedCircuitBreakers(new PostgresCircuitStore(serviceDb), { instanceId: "other", log: () => undefined });
    try {
      expect(await other.refresh()).toBe(true);
      expect(other.state("primary")).toBe("open");
      expect(await other.allow("primary")).toBeNull();
      expect(other.state("backup")).toBe("closed");
    } finally {
      other.stop();
    }
  });
});
