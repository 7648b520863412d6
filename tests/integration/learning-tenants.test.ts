import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { withUser } from "@/lib/db/rls";
import type { DB } from "@/lib/db/schema";
import { serviceDb } from "@/lib/db/service";
import { resolveRoute } from "@/lib/engine/resolve";
import { runtime } from "@/lib/gateway/runtime";
import { loadLearnInput, runRetrain } from "@/lib/learning/retrain";
import { flushed, KEYS, startGatewayWorld, type GatewayWorld } from "@/tests/helpers/gateway-world";

/**
 * Issue 9 item 3, against the real gateway on loopback (PGlite and PostgreSQL): feedback counts
 * once per request, mock models are never learned, and no organization's feedback changes
 * another organization's routing, while several organizations' evidence still sets the default.
 */
const adminUrl = inject("pgAdminUrl");
const targets = [{ name: "pglite" }, ...(adminUrl ? [{ name: "postgres", adminUrl }] : [])];
const QUERY = "Classify this work order into a category"; // query pattern "classification"
const VIEWER = "0c000000-0000-4000-8000-0000000000a1";

/** production_feedback_daily against the raw rows: [] when the rollup is exact. */
async function rollupDrift(db: Kysely<DB>) {
  const { rows } = await sql`
    with agg as (
      select (created_at at time zone 'UTC')::date as day, organization_id, app_id, model_code, query_pattern,
             count(*)::bigint as feedback, sum(quality_score)::bigint as score_sum,
             count(is_correct)::bigint as judged, (count(*) filter (where is_correct))::bigint as correct
      from public.production_feedback group by 1, 2, 3, 4, 5
    ),
    roll as (select day, organization_id, app_id, model_code, query_pattern, feedback, score_sum, judged, correct
             from public.production_feedback_daily where feedback <> 0)
    select * from (select * from agg except select * from roll) a
    union all
    select * from (select * from roll except select * from agg) r`.execute(db);
  return rows;
}

describe.each(targets)("learning under hostile tenants on $name", (target) => {
  let w: GatewayWorld;
  let ids: { evil: string; north: string; south: string; east: string; cheap: string; mock: string };
  const post = (path: string, body: unknown) =>
    fetch(`${w.url}${path}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${KEYS.app}` }, body: JSON.stringify(body) });
  const route = async (org: string) => {
    const r = resolveRoute((await runtime().config.reload()).snapshot, { appId: w.ids.app, organizationId: org, actionType: "classify", queryText: QUERY });
    if (!r.ok) throw new Error(r.message);
    return [r.primary.model.modelCode, r.primary.source];
  };
  const retrain = async () => {
    const result = await runRetrain(await serviceDb(), (await runtime().config.reload()).snapshot, { dryRun: false, trigger: "manual", minSamples: 10 });
    return result.diff;
  };
  const active = async () =>
    (await (await serviceDb()).selectFrom("learning_overrides as o").innerJoin("llm_models as m", "m.id", "o.model_id")
      .select(["o.organization_id", "m.model_code"]).where("o.active", "=", true).orderBy("m.model_code").execute())
      .map((o) => [o.organization_id, o.model_code]);
  /** Feedback rows as the gateway would store them, for one organization and model. */
  const scores = async (org: string, model: string, list: number[]) => {
    const db = await serviceDb();
    await db.insertInto("production_feedback").values(list.map((s, i) => ({
      request_id: randomUUID(), organization_id: org, app_id: w.ids.app, action_type: "classify", query_pattern: "classification",
      provider_code: "primary", model_code: model, quality_score: s, is_correct: s >= 4, source: "seed" as const,
      created_at: new Date(Date.now() - (i + 1) * 60_000),
    }))).execute();
  };
  const alternating = (n: number, a: number, b: number) => Array.from({ length: n }, (_, i) => (i % 2 ? a : b));

  beforeAll(async () => {
    w = await startGatewayWorld(target);
    const db = await serviceDb();
    ids = await db.transaction().execute(async (tx) => {
      const org = async (slug: string) => (await tx.insertInto("organizations").values({ slug, name: slug }).returning("id").executeTakeFirstOrThrow()).id;
      const primary = await tx.selectFrom("llm_providers").select("id").where("code", "=", "primary").executeTakeFirstOrThrow();
      const mockProvider = await tx.insertInto("llm_providers").values({ code: "mock", name: "Mock", kind: "mock" }).returning("id").executeTakeFirstOrThrow();
      const model = async (providerId: string, code: string, input: string, output: string) => {
        const m = await tx.insertInto("llm_models").values({ provider_id: providerId, model_code: code, display_name: code }).returning("id").executeTakeFirstOrThrow();
        await tx.insertInto("model_prices").values({ model_id: m.id, input_per_mtok: input, output_per_mtok: output, currency: "USD", effective_from: new Date("2024-01-01T00:00:00Z") }).execute();
        return m.id;
      };
      const cheap = await model(primary.id, "cheap-model", "0.05", "0.10");
      const mock = await model(mockProvider.id, "mock-model", "0.01", "0.01");
      const evil = await org("evil");
      // The attacker pins its own organization to the (free) mock model.
      await tx.insertInto("llm_configurations").values({ app_id: w.ids.app, organization_id: evil, action_type: "classify", model_id: mock, priority: 200 }).execute();
      await tx.insertInto("app_configuration").values([
        { key: "learning.enabled", scope: "global", value_type: "bool", value: "true" },
        { key: "learning.min_confidence", scope: "global", value_type: "string", value: JSON.stringify("medium") },
      ]).execute();
      await tx.insertInto("auth.users").values({ id: VIEWER, email: "viewer@tenants.test" }).execute();
      await tx.insertInto("memberships").values({ user_id: VIEWER, organization_id: w.ids.acme, role: "viewer" }).execute();
      return { evil, north: await org("north"), south: await org("south"), east: await org("east"), cheap, mock };
    });
    await runtime().config.reload();
  });
  afterAll(async () => {
    await w?.close();
  });

  it("one feedback per request: the first post is 201, each repeat replaces it (200), and the rollup follows", async () => {
    const gen = await (await post("/api/llm/generate", { action: "classify", organization: "acme", prompt: "hi" })).json();
    const statuses: number[] = [];
    for (const [i, score] of [5, 1, 2, 3, 4, 5, 1, 2, 3, 4].entries()) {
      const res = await post("/api/llm/feedback", { request_id: gen.request_id, quality_score: score, is_correct: i % 2 === 0, comment: `try ${i}` });
      statuses.push(res.status);
      const body = await res.json();
      expect(body).toMatchObject({ request_id: gen.request_id, model: "primary-model", replaced: i > 0 });
    }
    expect(statuses).toEqual([201, 200, 200, 200, 200, 200, 200, 200, 200, 200]);
    const db = await serviceDb();
    const rows = await db.selectFrom("production_feedback").selectAll().where("request_id", "=", gen.request_id).execute();
    expect(rows.map((r) => [r.quality_score, r.is_correct, r.comment])).toEqual([[4, false, "try 9"]]);
    expect(await rollupDrift(db)).toEqual([]);
  });

  it("the attack: an organization pinned to a mock model posts 60 five-star scores (and repeats): nobody's routing changes", async () => {
    // An honest baseline: acme scores the default model. Before the fix, the free mock model's
    // 5/5 beat it and became everyone's default.
    await scores(w.ids.acme, "primary-model", alternating(30, 4, 5));
    const before = await route(w.ids.acme);
    const requests: string[] = [];
    for (let i = 0; i < 60; i++) {
      const res = await post("/api/llm/generate", { action: "classify", organization: "evil", prompt: `${QUERY} #${i}` });
      const body = await res.json();
      expect([res.status, body.model]).toEqual([200, "mock-model"]);
      requests.push(body.request_id);
    }
    await flushed();
    for (const id of requests) expect((await post("/api/llm/feedback", { request_id: id, quality_score: 5, is_correct: true })).status).toBe(201);
    for (let i = 0; i < 10; i++) expect((await post("/api/llm/feedback", { request_id: requests[0], quality_score: 5 })).status).toBe(200);
    const db = await serviceDb();
    const stored = await db.selectFrom("production_feedback").select((eb) => eb.fn.countAll<number>().as("n")).where("organization_id", "=", ids.evil).executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(60);

    // The mock model is neither evidence nor a candidate.
    const input = await loadLearnInput(db, (await runtime().config.reload()).snapshot, { dryRun: true, trigger: "manual" });
    expect(input.aggregates.filter((a) => a.modelId === ids.mock)).toEqual([]);
    expect(input.prices.filter((p) => p.modelId === ids.mock)).toEqual([]);
    expect(input.aggregates.filter((a) => a.organizationId === ids.evil)).toEqual([]);
    const diff = await retrain();
    expect(diff.added).toEqual([]);
    expect(await active()).toEqual([]);
    expect(await route(w.ids.acme)).toEqual(before);
    expect(before).toEqual(["primary-model", "configuration"]);
  });

  it("one organization's own evidence routes that organization only (and other members cannot see its override)", async () => {
    await scores(ids.north, "primary-model", alternating(30, 4, 5));
    await scores(ids.north, "cheap-model", alternating(30, 5, 4));
    const diff = await retrain();
    expect(diff.added.map((p) => [p.organizationId, p.queryPattern])).toEqual([[ids.north, "classification"]]);
    expect(await active()).toEqual([[ids.north, "cheap-model"]]);
    expect(await route(ids.north)).toEqual(["cheap-model", "learned"]);
    expect(await route(w.ids.acme)).toEqual(["primary-model", "configuration"]);
    expect(await route(ids.south)).toEqual(["primary-model", "configuration"]);
    const seen = await withUser(await serviceDb(), { sub: VIEWER, role: "authenticated" }, (tx) => tx.selectFrom("learning_overrides").select("id").execute());
    expect(seen).toEqual([]);
  });

  it("an attacker scoring a real cheap model 5/5 and the default 1/5 only routes itself", async () => {
    await scores(ids.evil, "cheap-model", Array.from({ length: 60 }, () => 5));
    await scores(ids.evil, "primary-model", Array.from({ length: 60 }, () => 1));
    const diff = await retrain();
    expect(diff.skipped.filter((s) => s.organizationId === null && s.queryPattern === "classification").map((s) => s.reason)).toEqual(["app-wide needs feedback from 3 organizations on both models, has 2"]);
    expect((await active()).sort()).toEqual([[ids.evil, "cheap-model"], [ids.north, "cheap-model"]].sort());
    expect(await route(w.ids.acme)).toEqual(["primary-model", "configuration"]);
    expect(await route(ids.south)).toEqual(["primary-model", "configuration"]);
  });

  it("legitimate evidence from three organizations sets the app-wide default; pinned clients keep their rules", async () => {
    for (const org of [ids.south, ids.east]) {
      await scores(org, "primary-model", alternating(30, 4, 5));
      await scores(org, "cheap-model", alternating(30, 5, 4));
    }
    const diff = await retrain();
    expect(diff.added.map((p) => [p.organizationId, p.modelId])).toEqual([[null, ids.cheap]]);
    expect(diff.retired.map((r) => [r.override.organizationId, r.reason]).sort()).toEqual([
      [ids.evil, "an app-wide decision covers this organization"],
      [ids.north, "an app-wide decision covers this organization"],
    ].sort());
    expect(await active()).toEqual([[null, "cheap-model"]]);
    expect(await route(w.ids.acme)).toEqual(["cheap-model", "learned"]);
    expect(await route(w.ids.wvc)).toEqual(["premium-model", "client_override"]);
    expect(await route(ids.evil)).toEqual(["mock-model", "client_override"]);
  });
});
