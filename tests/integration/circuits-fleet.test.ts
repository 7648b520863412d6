import { randomUUID } from "node:crypto";
import net from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/client";
import type { CircuitOutcome } from "@/lib/gateway/circuit";
import { PostgresCircuitStore, type CircuitStore } from "@/lib/gateway/circuit-store";
import { SharedCircuitBreakers, type SharedCircuitOptions } from "@/lib/gateway/shared-circuits";
import { isProviderFault } from "@/lib/providers/errors";
import { getAdapter } from "@/lib/providers/registry";
import { ProviderError, type ProviderTarget } from "@/lib/providers/types";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import type { FakeUpstream } from "@/tests/helpers/fake-upstreams/harness";
import { startOpenAIFake } from "@/tests/helpers/fake-upstreams/openai";

/**
 * Issue 16 item 9: circuit breakers shared across gateway instances. Three breakers (three
 * instances: separate objects, separate caches) on one real database, calling a failing fake
 * upstream on loopback through the real OpenAI-compatible adapter, as the gateway does.
 */
const THRESHOLD = 5;
const INSTANCES = 3;

async function until(what: string, check: () => boolean | Promise<boolean>, tries = 400): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** One attempt as the gateway makes it: ask the breaker, call the provider, settle the pass. */
async function attemptThrough(cb: SharedCircuitBreakers, provider: string, providerTarget: ProviderTarget): Promise<"refused" | CircuitOutcome> {
  const pass = await cb.allow(provider, Date.now(), providerTarget.timeoutMs);
  if (!pass) return "refused";
  try {
    await getAdapter("openai_compatible").complete(providerTarget, { messages: [{ role: "user", content: "hi" }] }, AbortSignal.timeout(10_000));
    pass.settle("success");
    return "success";
  } catch (err) {
    const outcome = err instanceof ProviderError && isProviderFault(err) ? "failure" : "neutral";
    pass.settle(outcome);
    return outcome;
  }
}

/** A store that counts the calls other than the poll's list() (the round trips a call can cause). */
function counting(store: CircuitStore): { store: CircuitStore; writes: () => number } {
  let writes = 0;
  const counted: CircuitStore = {
    list: () => store.list(),
    prune: () => store.prune(),
    fail: (...a) => (writes++, store.fail(...a)),
    succeed: (...a) => (writes++, store.succeed(...a)),
    release: (...a) => (writes++, store.release(...a)),
    claimTrial: (...a) => (writes++, store.claimTrial(...a)),
  };
  return { store: counted, writes: () => writes };
}

describe.each(databaseTargets())("circuit breakers shared across instances on $name", (target) => {
  let db: Database;
  let upstream: FakeUpstream;
  let fleet: SharedCircuitBreakers[] = [];
  let provider: string;
  let providerTarget: ProviderTarget;

  const breakers = (n: number, options: SharedCircuitOptions = {}, store?: CircuitStore): SharedCircuitBreakers[] => {
    const made = Array.from({ length: n }, (_, i) =>
      new SharedCircuitBreakers(store ?? new PostgresCircuitStore(async () => db.kysely), {
        threshold: THRESHOLD, cooldownMs: 30_000, pollMs: 100, instanceId: `instance-${i}`, log: () => undefined, ...options,
      }));
    fleet.push(...made);
    return made;
  };

  const attempt = (cb: SharedCircuitBreakers) => attemptThrough(cb, provider, providerTarget);

  /** Each instance calls in a loop (one call in flight per instance) until its breaker refuses. */
  const untilRefused = (cbs: SharedCircuitBreakers[]) =>
    Promise.all(cbs.map(async (cb) => {
      for (let i = 0; i < 50; i++) if ((await attempt(cb)) === "refused") return;
      throw new Error("never refused");
    }));

  const failing = () => upstream.script(...Array.from({ length: 100 }, () => ({ kind: "status" as const, status: 503 })));
  const row = () => db.kysely.selectFrom("provider_circuits").selectAll().where("provider", "=", provider).executeTakeFirst();

  beforeAll(async () => {
    db = await openMigrated(target);
    upstream = await startOpenAIFake();
  });
  afterAll(async () => {
    await upstream?.close();
    await db?.close();
  });
  beforeEach(async () => {
    for (const cb of fleet) cb.stop();
    await Promise.all(fleet.map((cb) => cb.settled()));
    fleet = [];
    upstream.reset();
    provider = `p-${randomUUID().slice(0, 8)}`;
    providerTarget = { kind: "openai_compatible", baseUrl: `${upstream.origin}/v1`, apiKey: "sk-test", modelCode: "m", timeoutMs: 5_000 };
  });

  it(`stops the whole fleet within threshold + instances − 1 failed attempts (${THRESHOLD + INSTANCES - 1})`, async () => {
    const cbs = breakers(INSTANCES);
    failing();
    await untilRefused(cbs);
    await Promise.all(cbs.map((cb) => cb.settled()));
    expect(upstream.requests.length).toBeGreaterThanOrEqual(THRESHOLD);
    expect(upstream.requests.length).toBeLessThanOrEqual(THRESHOLD + INSTANCES - 1);
    for (const cb of cbs) expect(cb.state(provider)).toBe("open");
    expect(await row()).toMatchObject({ failures: upstream.requests.length, trial_holder: null });
    // Nobody calls the provider while it is open, on any instance.
    const before = upstream.requests.length;
    for (const cb of cbs) expect(await attempt(cb)).toBe("refused");
    expect(upstream.requests).toHaveLength(before);
  });

  it("a fourth instance started after the circuit opened refuses as soon as it polls, without calling", async () => {
    const [a] = breakers(1);
    failing();
    await untilRefused([a!]);
    const [late] = breakers(1, { instanceId: "late" });
    await late!.refresh();
    const before = upstream.requests.length;
    expect(await attempt(late!)).toBe("refused");
    expect(upstream.requests).toHaveLength(before);
  });

  it("lets exactly one half-open trial through across the three, and its success closes the circuit everywhere", async () => {
    const cbs = breakers(INSTANCES, { cooldownMs: 600 });
    failing();
    await untilRefused(cbs);
    await until("half-open on every instance", () => cbs.every((cb) => cb.state(provider) === "half_open"));
    upstream.reset();
    let release!: () => void;
    upstream.script({ kind: "gate", until: new Promise<void>((resolve) => (release = resolve)) });
    // Four calls on each instance at once: one trial reaches the provider, the rest are refused.
    const calls = cbs.flatMap((cb) => Array.from({ length: 4 }, () => attempt(cb)));
    await until("the trial to reach the provider", () => upstream.requests.length === 1);
    await until("the trial lease in the store", async () => (await row())?.trial_holder != null);
    const others = await Promise.all(cbs.map((cb) => attempt(cb)));
    expect(others).toEqual(["refused", "refused", "refused"]);
    release();
    const results = await Promise.all(calls);
    expect(results.filter((r) => r === "success")).toHaveLength(1);
    expect(results.filter((r) => r === "refused")).toHaveLength(INSTANCES * 4 - 1);
    expect(upstream.requests).toHaveLength(1);
    await until("closed on every instance", () => cbs.every((cb) => cb.state(provider) === "closed"));
    expect(await row()).toMatchObject({ failures: 0, opened_until: null, trial_holder: null });
    for (const cb of cbs) expect(await attempt(cb)).toBe("success");
    expect(upstream.requests).toHaveLength(1 + INSTANCES);
  });

  it("a trial ending neutrally hands it to the next call (any instance); a failed trial re-opens it everywhere", async () => {
    const [a, b, c] = breakers(INSTANCES, { cooldownMs: 600 });
    failing();
    await untilRefused([a!, b!, c!]);
    await until("half-open on every instance", () => [a!, b!, c!].every((cb) => cb.state(provider) === "half_open"));
    upstream.reset();
    upstream.script({ kind: "status", status: 400, message: "messages: bad", errorType: "invalid_request_error" }, { kind: "status", status: 503 });
    expect(await attempt(a!)).toBe("neutral"); // the caller's 400: says nothing about the provider
    await a!.settled();
    expect((await row())?.trial_holder).toBeNull();
    // b may have polled while a held the trial; it calls once it has seen the release.
    expect(await b!.refresh()).toBe(true);
    expect(await attempt(b!)).toBe("failure"); // the provider's 503: re-opens
    await b!.settled();
    expect(b!.state(provider)).toBe("open");
    await until("open on every instance", () => [a!, c!].every((cb) => cb.state(provider) === "open"));
    expect(await attempt(c!)).toBe("refused");
    expect(upstream.requests).toHaveLength(2);
  });

  it("keeps the healthy path off the store: successes cost no round trip; failures below the threshold are cleared by the next success", async () => {
    const { store, writes } = counting(new PostgresCircuitStore(async () => db.kysely));
    const [a, b] = breakers(2, {}, store);
    for (let i = 0; i < 20; i++) expect(await attempt(i % 2 ? a! : b!)).toBe("success");
    expect(writes()).toBe(0);
    upstream.script({ kind: "status", status: 503 }, { kind: "status", status: 503 });
    expect(await attempt(a!)).toBe("failure");
    expect(await attempt(a!)).toBe("failure");
    await a!.settled();
    expect((await row())?.failures).toBe(2);
    expect(await attempt(a!)).toBe("success");
    await a!.settled();
    expect((await row())?.failures).toBe(0);
    await b!.refresh(); // b may have polled while the failures were on record
    const after = writes();
    for (let i = 0; i < 20; i++) expect(await attempt(i % 2 ? a! : b!)).toBe("success");
    await Promise.all([a!.settled(), b!.settled()]);
    expect(writes()).toBe(after);
  });

  it("an instance cut off from the store trips on its own failures, and shares again once the store is back", async () => {
    let reachable = false;
    const flaky = new PostgresCircuitStore(async () => {
      if (!reachable) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
      return db.kysely;
    });
    const [cut] = breakers(1, { threshold: 3, cooldownMs: 300, storeTimeoutMs: 500, downMs: 60_000 }, flaky);
    const [peer] = breakers(1, { threshold: 3 });
    failing();
    await untilRefused([cut!]);
    expect(upstream.requests).toHaveLength(3); // its own threshold, nothing shared
    expect(cut!.storeDown()).toBe(true);
    expect(await row()).toBeUndefined();
    expect(peer!.state(provider)).toBe("closed");
    await until("its own breaker half-open", () => cut!.local.state(provider) === "half_open");
    reachable = true;
    expect(await cut!.refresh()).toBe(true);
    expect(cut!.storeDown()).toBe(false);
    // The peer opens the shared circuit; the instance that was cut off sees it from its next poll.
    await untilRefused([peer!]);
    await until("the shared circuit open on the instance that was cut off", async () => (await cut!.refresh()) && (await row())?.opened_until != null);
    // Open through the fleet's row (the peer's 30 s cooldown), though its own breaker is half-open.
    expect(cut!.local.state(provider)).toBe("half_open");
    expect(cut!.state(provider)).toBe("open");
    expect(await attempt(cut!)).toBe("refused");
  });

  it("counts only the provider's failures: a caller's 400 never opens the circuit", async () => {
    const cbs = breakers(INSTANCES);
    upstream.script(...Array.from({ length: 30 }, () => ({ kind: "status" as const, status: 400, message: "bad", errorType: "invalid_request_error" })));
    for (let i = 0; i < 30; i++) expect(await attempt(cbs[i % INSTANCES]!)).toBe("neutral");
    await Promise.all(cbs.map((cb) => cb.settled()));
    expect(await row()).toBeUndefined();
    for (const cb of cbs) expect(cb.state(provider)).toBe("closed");
  });
});

describe("circuit breakers while the store is unreachable", () => {
  let upstream: FakeUpstream;
  let provider: string;
  let providerTarget: ProviderTarget;
  beforeAll(async () => {
    upstream = await startOpenAIFake();
  });
  afterAll(async () => {
    await upstream?.close();
  });

  const attempt = (cb: SharedCircuitBreakers) => attemptThrough(cb, provider, providerTarget);

  async function behavesLocally(store: CircuitStore): Promise<void> {
    upstream.reset();
    provider = `p-${randomUUID().slice(0, 8)}`;
    providerTarget = { kind: "openai_compatible", baseUrl: `${upstream.origin}/v1`, apiKey: "sk-test", modelCode: "m", timeoutMs: 5_000 };
    const lines: string[] = [];
    const cb = new SharedCircuitBreakers(store, { threshold: 3, cooldownMs: 400, storeTimeoutMs: 200, pollMs: 100, log: (l) => lines.push(l) });
    try {
      // Healthy calls go through untouched.
      expect(await attempt(cb)).toBe("success");
      upstream.script(...Array.from({ length: 20 }, () => ({ kind: "status" as const, status: 503 })));
      const outcomes: string[] = [];
      for (let i = 0; i < 10 && outcomes.at(-1) !== "refused"; i++) outcomes.push(await attempt(cb));
      // Exactly the local threshold of failures, then refused: the breaker of one process.
      expect(outcomes).toEqual(["failure", "failure", "failure", "refused"]);
      expect(cb.storeDown()).toBe(true);
      expect(lines.some((l) => l.includes("circuit store unreachable"))).toBe(true);
      // After the cooldown this instance's own trial goes through; its success closes the circuit.
      await until("half-open", () => cb.state(provider) === "half_open");
      upstream.reset();
      expect(await attempt(cb)).toBe("success");
      expect(cb.state(provider)).toBe("closed");
    } finally {
      cb.stop();
    }
  }

  it("a refused connection: each instance's own breaker decides, no call fails because of the store", async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const db = await openDatabase({ url: `postgres://postgres@127.0.0.1:${port}/postgres`, mode: "server", poolMax: 2 });
    try {
      await behavesLocally(new PostgresCircuitStore(async () => db.kysely));
    } finally {
      await db.close();
    }
  });

  it("a store that never answers: its calls are given up after the store timeout", async () => {
    await behavesLocally(new PostgresCircuitStore(() => new Promise(() => undefined)));
  });
});
