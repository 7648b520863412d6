import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { startCompatWorld, type CompatWorld, type UpstreamName } from "@/tests/helpers/compat-world";
import { CHAT_REQUEST_TYPE, cellId, chatRow, embeddingRow, expectedOutcome, expectReceived } from "./cells";
import { CLIENTS } from "./clients";
import { FEATURES, type ClientAdapter, type Feature, type Lane } from "./inputs";

/**
 * The client compatibility matrix (issue 10, item 4): real client libraries × feature × upstream.
 * Each cell calls the gateway (a real loopback server, gateway-world.ts) with the client as an
 * app would, routed by action (x-llm-action) to one of three strict fake upstreams of their real
 * kind (compat-world.ts), and asserts three things: what the client surfaced, what the upstream
 * received (in its own wire format), and the exact llm_calls rows of the cell (found by its
 * pipeline_stage): provider, model, prompt / completion / cached / cache-write tokens, cost to
 * the decimal from the price row, status, streamed.
 *
 * It runs on ONE database target — PostgreSQL when the suite has one, else PGlite — because it
 * tests the API surface, not the database (the per-database behaviour of the same code paths is
 * covered by the gateway tests that run on both).
 */
const adminUrl = inject("pgAdminUrl");
const target = adminUrl ? { name: "postgres" as const, adminUrl } : { name: "pglite" as const };
const UPSTREAMS: readonly UpstreamName[] = ["openai", "anthropic", "gemini"];

describe(`client compatibility matrix on ${target.name}`, () => {
  let world: CompatWorld;

  beforeAll(async () => {
    world = await startCompatWorld(target);
  });
  afterAll(async () => {
    await world?.close();
  });
  beforeEach(() => world.resetFakes());

  const laneFor = (id: string, upstream: UpstreamName): Lane => {
    const up = world.upstreams[upstream];
    const common = { "x-llm-organization": "acme", "x-llm-pipeline-stage": id };
    return {
      baseURL: `${world.url}/api/llm/v1`,
      anthropicBaseURL: `${world.url}/api/llm`,
      apiKey: world.apiKey,
      headers: { ...common, "x-llm-action": up.chatAction, "x-llm-request-type": CHAT_REQUEST_TYPE },
      embedHeaders: { ...common, "x-llm-action": up.embedAction },
    };
  };

  async function runCell(client: ClientAdapter, feature: Feature, upstream: UpstreamName, id: string) {
    const run = client[feature];
    if (!run) throw new Error(`${client.name} has no ${feature}`);
    const up = world.upstreams[upstream];
    const outcome = await run.call(client, laneFor(id, upstream)).then(
      (value) => ({ ok: true as const, value }),
      (err: unknown) => ({ ok: false as const, failure: client.failure(err) }),
    );
    const rows = await world.rowsOf(id);

    if (feature === "embeddings" && upstream !== "openai") {
      // Refused as designed: Anthropic and Gemini have no embeddings API in the gateway. The
      // refusal is a validation 400 against the route's model (lib/providers/embeddings-shape.ts),
      // answered before any attempt: nothing is sent and, like every validation 400, nothing is
      // recorded (gateway-embeddings.test.ts asserts the same).
      const kind = upstream === "gemini" ? "google" : "anthropic";
      expect(outcome.ok ? "answered" : outcome.failure).toMatchObject({ status: 400, message: expect.stringContaining(`embeddings are not available for provider kind "${kind}"`) });
      expectReceived(up, feature, up.fake.requests);
      expect(rows).toEqual([]);
      return;
    }

    if (!outcome.ok) throw new Error(`${id}: the client failed with ${outcome.failure.status ?? "no status"}: ${outcome.failure.message}`);
    expect(outcome.value).toEqual(expectedOutcome(up, feature));
    expectReceived(up, feature, up.fake.requests);
    if (feature === "embeddings") expect(rows).toEqual([embeddingRow(up)]);
    else if (feature === "tools") expect(rows).toEqual([chatRow(up, false), chatRow(up, false)]);
    else expect(rows).toEqual([chatRow(up, feature === "stream")]);
  }

  for (const client of CLIENTS) {
    describe(client.name, () => {
      for (const feature of FEATURES.filter((f) => client[f])) {
        for (const upstream of UPSTREAMS) {
          const id = cellId(client.name, feature, upstream);
          it(id, () => runCell(client, feature, upstream, id));
        }
      }
    });
  }
});
