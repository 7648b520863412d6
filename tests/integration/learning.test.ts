import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { serviceDb } from "@/lib/db/service";
import { resolveRoute } from "@/lib/engine/resolve";
import type { ConfigSnapshot } from "@/lib/engine/snapshot";
import { runtime } from "@/lib/gateway/runtime";
import { handleCronRetrain, handleRetrain, handleStatus, handleSummary, type SessionGetter } from "@/lib/http/learning";
import type { FeedbackSummary } from "@/lib/db/feedback-summary";
import type { LearningStatus } from "@/lib/db/learning-status";
import { LKEYS, startLearningWorld, type LearningWorld } from "./learning-world";

/** Retrain, status and summary through their route handlers, on PGlite and PostgreSQL. */
const adminUrl = inject("pgAdminUrl");
const targets = [{ name: "pglite" }, ...(adminUrl ? [{ name: "postgres", adminUrl }] : [])];
const BASE = "http://localhost";
const PARAMS = "min_samples=10&confidence_threshold=medium";

describe.each(targets)("learning on $name", (target) => {
  let w: LearningWorld;
  const req = (path: string, key?: string, method = "GET") =>
    new Request(`${BASE}${path}`, { method, headers: key ? { authorization: `Bearer ${key}` } : {} });
  const retrain = (query: string, session?: SessionGetter, key?: string) => handleRetrain(req(`/api/admin/learning/retrain?${query}`, key, "POST"), session ?? w.nobody);
  const counts = async () => {
    const db = await serviceDb();
    const n = async (t: "learning_overrides" | "retrain_runs" | "audit_log") =>
      Number((await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    const version = (await db.selectFrom("config_version").select("version").executeTakeFirstOrThrow()).version;
    return { overrides: await n("learning_overrides"), runs: await n("retrain_runs"), audit: await n("audit_log"), version: Number(version) };
  };

  beforeAll(async () => {
    w = await startLearningWorld(target);
  });
  afterAll(async () => {
    await w?.close();
  });

  it.each([
    ["no auth", () => retrain(PARAMS), 401],
    ["an unknown key", () => retrain(PARAMS, undefined, "llmcp_nope_nope_nope_nope_nope_00"), 401],
    ["a key without the admin scope", () => retrain(PARAMS, undefined, LKEYS.llm), 403],
    ["a key pinned to an organization", () => retrain(PARAMS, undefined, LKEYS.pinnedAdmin), 403],
    ["a viewer session", () => retrain(PARAMS, () => w.viewer()), 403],
    ["bad dry_run", () => retrain("dry_run=maybe", () => w.admin()), 400],
    ["bad confidence_threshold", () => retrain("confidence_threshold=certain", () => w.admin()), 400],
    ["min_samples=0", () => retrain("min_samples=0", () => w.admin()), 400],
    ["an unknown parameter", () => retrain("min_sample=3", () => w.admin()), 400],
    ["status without auth", () => handleStatus(req("/api/admin/learning/status"), w.nobody), 401],
    ["summary for a viewer", () => handleSummary(req("/api/admin/feedback/summary"), () => w.viewer()), 403],
    ["summary with from after to", () => handleSummary(req("/api/admin/feedback/summary?from=2026-02-01&to=2026-01-01"), () => w.admin()), 400],
    ["cron without the secret", () => handleCronRetrain(req("/api/cron/retrain")), 401],
  ])("%s → %i", async (_name, call, status) => {
    const res = await call();
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error?: { type: string } };
    expect(body.error?.type).toBeTruthy();
  });

  it("a dry run (the default) returns the diff and changes nothing", async () => {
    const before = await counts();
    const res = await retrain(PARAMS, undefined, LKEYS.admin);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { dryRun: boolean; runId: null; diff: { added: { modelId: string; queryPattern: string; confidence: string }[]; skipped: { queryPattern: string; reason: string }[] } };
    expect(body.dryRun).toBe(true);
    expect(body.runId).toBeNull();
    expect(body.diff.added.map((a) => [a.queryPattern, a.modelId, a.confidence])).toEqual([["classification", w.ids.small, "high"]]);
    // Issue 9: feedback from one organization (acme) gives acme its own override, never an app-wide one.
    expect(body.diff.added.map((a) => (a as { organizationId?: string | null }).organizationId)).toEqual([w.ids.acme]);
    expect(body.diff.skipped.map((s) => [s.queryPattern, s.reason])).toEqual([
      ["classification", "app-wide needs feedback from 3 organizations on both models, has 1"],
      ["code", "the default is the cheapest qualifying model"],
    ]);
    expect(await counts()).toEqual(before);
  });

  it("a real run records the run and activates the override; routing follows, the pinned client does not", async () => {
    const before = await counts();
    const res = await retrain(`dry_run=false&${PARAMS}`, () => w.admin());
    expect(res.status).toBe(200);
    const body = (await res.json()) as { runId: string; summary: Record<string, number> };
    expect(body.summary).toMatchObject({ added: 1, changed: 0, retired: 0 });
    const db = await serviceDb();
    const run = await db.selectFrom("retrain_runs").selectAll().where("id", "=", body.runId).executeTakeFirstOrThrow();
    expect([run.status, run.dry_run, run.trigger, run.actor_id]).toEqual(["succeeded", false, "manual", (await w.admin()).id]);
    const active = await db.selectFrom("learning_overrides").selectAll().where("active", "=", true).execute();
    expect(active.map((o) => [o.query_pattern, o.model_id, o.confidence, o.samples, o.run_id])).toEqual([["classification", w.ids.small, "high", 30, body.runId]]);
    expect(active.map((o) => o.organization_id)).toEqual([w.ids.acme]);
    const after = await counts();
    expect(after.version).toBeGreaterThan(before.version);

    const route = (snapshot: ConfigSnapshot, org: string) =>
      resolveRoute(snapshot, { appId: w.ids.app, organizationId: org, actionType: "classify", queryText: "Classify this work order into a category" });
    // learning.enabled defaults to false: the kill switch holds until an admin turns it on.
    const off = route((await runtime().config.reload()).snapshot, w.ids.acme);
    expect(off.ok && off.primary.source).toBe("configuration");
    await db.insertInto("app_configuration").values([
      { key: "learning.enabled", scope: "global", value_type: "bool", value: "true" },
      { key: "learning.min_confidence", scope: "global", value_type: "string", value: JSON.stringify("medium") },
    ]).execute();
    const snapshot = (await runtime().config.reload()).snapshot;
    const acme = route(snapshot, w.ids.acme);
    const wvc = route(snapshot, w.ids.wvc);
    if (!acme.ok || !wvc.ok) throw new Error("expected routes");
    expect([acme.primary.model.id, acme.primary.source]).toEqual([w.ids.small, "learned"]);
    expect([wvc.primary.model.id, wvc.primary.source]).toEqual([w.ids.large, "client_override"]);
  });

  it("a second run with the same data changes nothing", async () => {
    const before = await counts();
    const res = await retrain(`dry_run=false&${PARAMS}`, undefined, LKEYS.admin);
    const body = (await res.json()) as { summary: Record<string, number> };
    expect(body.summary).toMatchObject({ added: 0, changed: 0, retired: 0, unchanged: 1 });
    const after = await counts();
    expect([after.overrides, after.version]).toEqual([before.overrides, before.version]);
    expect(after.runs).toBe(before.runs + 1);
  });

  it("a stricter threshold retires the override", async () => {
    const res = await retrain("dry_run=true&min_samples=20&confidence_threshold=high", () => w.admin());
    const body = (await res.json()) as { diff: { retired: { reason: string }[] } };
    // 30 samples < 3 x 20: the decision is only "low" now, below "high".
    expect(body.diff.retired.map((r) => r.reason)).toEqual(["confidence low below threshold high"]);
  });

  it("status: totals, distribution, last run, coverage", async () => {
    const res = await handleStatus(req("/api/admin/learning/status", LKEYS.admin), w.nobody);
    expect(res.status).toBe(200);
    const s = (await res.json()) as LearningStatus;
    expect(s.total_overrides).toBe(1);
    expect(s.confidence).toEqual({ high: 1, medium: 0, low: 0 });
    expect(s.last_retrain?.status).toBe("succeeded");
    expect(s.coverage).toMatchObject({ active_patterns: 2, with_override: 1, ratio: 0.5 });
  });

  it("summary by model and pattern, under RLS for a session and by app for a key", async () => {
    const viaSession = (await (await handleSummary(req("/api/admin/feedback/summary"), () => w.admin())).json()) as FeedbackSummary;
    expect(viaSession.total).toBe(150);
    const small = viaSession.by_model.find((m) => m.key === "small");
    expect(small).toEqual({ key: "small", count: 60, avg_score: 3.25, correctness_rate: 0.5 });
    expect(viaSession.by_pattern.map((p) => [p.key, p.count])).toEqual([["classification", 90], ["code", 60]]);
    const viaKey = (await (await handleSummary(req("/api/admin/feedback/summary", LKEYS.admin), w.nobody)).json()) as FeedbackSummary;
    expect(viaKey.total).toBe(150);
    const empty = (await (await handleSummary(req("/api/admin/feedback/summary?from=2020-01-01&to=2020-01-31", LKEYS.admin), w.nobody)).json()) as FeedbackSummary;
    expect([empty.total, empty.avg_score, empty.by_model]).toEqual([0, null, []]);
  });
});
