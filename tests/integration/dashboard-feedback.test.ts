import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { SessionUser } from "@/lib/db/sessions";
import { loadFeedback } from "@/lib/db/feedback";
import { getDb } from "@/lib/db/instance";
import { serviceDb } from "@/lib/db/service";
import type { CostFilters } from "@/lib/schemas/cost-filters";
import { startLearningWorld, type LearningWorld } from "./learning-world";

/**
 * The Feedback page's loader under RLS and its retrain server action (preview and apply), on
 * PGlite and PostgreSQL. The action runs as a real server action would, with only Next's request
 * plumbing (session cookie, cache revalidation) replaced.
 */
const session = vi.hoisted(() => ({ current: null as SessionUser | null }));
vi.mock("server-only", () => ({}));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
vi.mock("@/lib/auth/session", () => ({ getSessionUser: () => Promise.resolve(session.current) }));
const { retrainOverrides } = await import("@/lib/actions/feedback/retrain-overrides");

const adminUrl = inject("pgAdminUrl");
const targets = [{ name: "pglite" }, ...(adminUrl ? [{ name: "postgres", adminUrl }] : [])];
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const RANGE: CostFilters = { from: day(-29), to: day(0), org: null };
const PREVIEW = { dry_run: true, min_samples: "10", confidence_threshold: "medium" };

describe.each(targets)("dashboard feedback on $name", (target) => {
  let w: LearningWorld;
  const as = async (who: "admin" | "viewer" | "nobody") => {
    session.current = who === "admin" ? await w.admin() : who === "viewer" ? await w.viewer() : null;
    return session.current;
  };
  const load = async (user: SessionUser, filters = RANGE) => loadFeedback(await getDb(), user.claims, filters);
  const counts = async () => {
    const db = await serviceDb();
    const n = async (t: "learning_overrides" | "retrain_runs") => Number((await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    return { overrides: await n("learning_overrides"), runs: await n("retrain_runs") };
  };

  beforeAll(async () => {
    w = await startLearningWorld(target);
  });
  afterAll(async () => {
    session.current = null;
    await w?.close();
  });

  it("a viewer of Acme sees only Acme's feedback: totals, groups, distribution", async () => {
    const data = await load(await w.viewer());
    expect([data.summary.total, data.summary.avg_score]).toEqual([90, 4.1111]);
    expect(data.summary.by_pattern.map((p) => [p.key, p.count])).toEqual([["classification", 90]]);
    expect(data.summary.by_model.map((m) => [m.key, m.count, m.avg_score, m.correctness_rate])).toEqual([
      ["large", 30, 4.5, 1], ["small", 30, 4.5, 1], ["tiny", 30, 3.3333, 0.3333],
    ]);
    expect(data.distribution).toEqual([{ score: 1, count: 0 }, { score: 2, count: 0 }, { score: 3, count: 20 }, { score: 4, count: 40 }, { score: 5, count: 30 }]);
    expect(data.correctness).toEqual({ stated: 90, correct: 70, rate: 0.7778 });
    expect(data.organizations.map((o) => o.name)).toEqual(["Acme"]);
  });

  it("the platform admin sees every organization's feedback, and the organization filter narrows it", async () => {
    const all = await load(await w.admin());
    expect(all.summary.total).toBe(150);
    expect(all.distribution.map((b) => b.count)).toEqual([0, 30, 20, 55, 45]);
    expect(all.correctness).toEqual({ stated: 150, correct: 100, rate: 0.6667 });
    expect(all.summary.by_pattern.map((p) => p.key)).toEqual(["classification", "code"]);
    const wvc = await load(await w.admin(), { ...RANGE, org: w.ids.wvc });
    expect([wvc.summary.total, wvc.distribution.map((b) => b.count)]).toEqual([60, [0, 30, 0, 15, 15]]);
    // A viewer naming another organization in the URL gets nothing: RLS, not the filter, decides.
    const forged = await load(await w.viewer(), { ...RANGE, org: w.ids.wvc });
    expect([forged.summary.total, forged.correctness.rate]).toEqual([0, null]);
  });

  it("an empty range: zero totals, no groups, an all-zero distribution", async () => {
    const data = await load(await w.admin(), { from: "2020-01-01", to: "2020-01-31", org: null });
    expect([data.summary.total, data.summary.avg_score, data.summary.by_model, data.correctness.rate]).toEqual([0, null, [], null]);
    expect(data.distribution.every((b) => b.count === 0)).toBe(true);
  });

  it("learning is off by default and follows the global setting and its exceptions", async () => {
    expect((await load(await w.admin())).learning).toEqual({ enabled: false, source: "default", exceptions: [] });
    const db = await serviceDb();
    await db.insertInto("app_configuration").values([
      { key: "learning.enabled", scope: "global", value_type: "bool", value: "true" },
      { key: "learning.enabled", scope: "app", app_id: w.ids.app, value_type: "bool", value: "false" },
    ]).execute();
    expect((await load(await w.viewer())).learning).toEqual({ enabled: true, source: "global", exceptions: [{ scope: "app", target: "Werkbon", enabled: false }] });
    await db.deleteFrom("app_configuration").where("key", "=", "learning.enabled").execute();
  });

  it.each([
    ["nobody signed in", "nobody" as const, PREVIEW, /session has ended/],
    ["a viewer (forged call)", "viewer" as const, { ...PREVIEW, dry_run: false }, /permission/],
  ])("%s cannot retrain", async (_name, who, input, error) => {
    await as(who);
    const before = await counts();
    const result = await retrainOverrides(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(error);
    expect(await counts()).toEqual(before);
  });

  it("a session that claims platform admin without the membership is refused by the database", async () => {
    // The app-side check trusts isPlatformAdmin; is_platform_admin() under the user's claims does not.
    session.current = { ...(await w.viewer()), isPlatformAdmin: true };
    const before = await counts();
    const result = await retrainOverrides({ ...PREVIEW, dry_run: false });
    expect(result).toEqual({ ok: false, error: "Only platform administrators can retrain learned overrides." });
    expect(await counts()).toEqual(before);
  });

  it.each([
    ["min_samples=0", { ...PREVIEW, min_samples: "0" }, { min_samples: ["At least 1 sample."] }],
    ["min_samples not a number", { ...PREVIEW, min_samples: "many" }, { min_samples: ["Enter a number."] }],
    ["min_samples fractional", { ...PREVIEW, min_samples: "2.5" }, { min_samples: ["Use a whole number."] }],
    ["an unknown threshold", { ...PREVIEW, confidence_threshold: "certain" }, { confidence_threshold: ["Choose high, medium or low."] }],
    ["an extra field", { ...PREVIEW, app_id: "x" }, { _: ['Unrecognized key: "app_id"'] }],
  ])("validation: %s comes back to the form", async (_name, input, fieldErrors) => {
    await as("admin");
    const before = await counts();
    const result = await retrainOverrides(input);
    expect(result).toEqual({ ok: false, error: "Check the highlighted fields.", fieldErrors });
    expect(await counts()).toEqual(before);
  });

  it("a preview returns the diff with evidence and changes nothing", async () => {
    await as("admin");
    const before = await counts();
    const result = await retrainOverrides(PREVIEW);
    if (!result.ok) throw new Error(result.error);
    expect(result.message).toBe("Preview: 1 added, 0 changed, 0 retired. Nothing was changed.");
    const view = result.data;
    expect([view.dryRun, view.runId, view.params.minSamples, view.params.confidenceThreshold]).toEqual([true, null, 10, "medium"]);
    expect(view.changes).toHaveLength(1);
    const [change] = view.changes;
    expect(change).toMatchObject({ kind: "added", app: "Werkbon", actionType: "classify", queryPattern: "classification", fromModel: "large", toModel: "small", confidence: "high" });
    expect(change?.reason).toMatch(/^small avg 4\.50 vs default 4\.50/);
    expect(change?.chosen).toEqual({ model: "small", samples: 30, avgScore: 4.5, correctRate: 1, price: "0.2625", currency: "USD" });
    expect(change?.baseline).toMatchObject({ model: "large", samples: 30, price: "6", currency: "USD" });
    // Issue 9: one organization's (Acme's) evidence gives Acme its own override, not an app-wide one.
    expect(change?.organization).toBe("Acme");
    expect(view.params.minOrganizations).toBe(3);
    expect(view.skipped).toEqual([
      { organization: null, app: "Werkbon", actionType: "classify", queryPattern: "classification", reason: "app-wide needs feedback from 3 organizations on both models, has 1" },
      { organization: null, app: "Werkbon", actionType: "classify", queryPattern: "code", reason: "the default is the cheapest qualifying model" },
    ]);
    expect(await counts()).toEqual(before);
  });

  it("apply records a retrain run and activates the override; the page lists both", async () => {
    const admin = await as("admin");
    if (!admin) throw new Error("no admin");
    const result = await retrainOverrides({ ...PREVIEW, dry_run: false });
    if (!result.ok) throw new Error(result.error);
    expect(result.message).toBe("Retrained: 1 added, 0 changed, 0 retired.");
    const runId = result.data.runId;
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    const db = await serviceDb();
    const run = await db.selectFrom("retrain_runs").selectAll().where("id", "=", runId as string).executeTakeFirstOrThrow();
    expect([run.status, run.dry_run, run.trigger, run.actor_id]).toEqual(["succeeded", false, "manual", admin.id]);

    const data = await load(admin);
    expect(data.overrides.map((o) => [o.app, o.actionType, o.queryPattern, o.model, o.confidence, o.samples, o.avgScore, o.active, o.runId])).toEqual([
      ["Werkbon", "classify", "classification", "small", "high", 30, "4.5000", true, runId],
    ]);
    expect(data.overrides.map((o) => o.organization)).toEqual(["Acme"]);
    expect(data.runs.map((r) => [r.id, r.trigger, r.byYou, r.dryRun, r.status, r.added, r.changed, r.retired])).toEqual([
      [runId, "manual", true, false, "succeeded", 1, 0, 0],
    ]);
    expect(data.status).toMatchObject({ total_overrides: 1, confidence: { high: 1, medium: 0, low: 0 }, coverage: { active_patterns: 2, with_override: 1, ratio: 0.5 } });
    expect(data.status.last_retrain?.id).toBe(runId);

    // The viewer sees the override (routing is shared) but RLS hides retrain runs and the other
    // organization's pattern from coverage.
    const viewer = await load(await w.viewer());
    expect(viewer.overrides.map((o) => o.runId)).toEqual([runId]);
    expect(viewer.runs).toEqual([]);
    expect(viewer.status.last_retrain).toBeNull();
    expect(viewer.status.coverage).toMatchObject({ active_patterns: 1, with_override: 1, ratio: 1 });
  });

  it("a stricter apply retires the override and keeps it as history", async () => {
    await as("admin");
    const result = await retrainOverrides({ dry_run: false, min_samples: "20", confidence_threshold: "high" });
    if (!result.ok) throw new Error(result.error);
    expect(result.data.changes.map((c) => [c.kind, c.fromModel, c.toModel, c.reason])).toEqual([["retired", "small", "large", "confidence low below threshold high"]]);
    const data = await load(await w.admin());
    expect(data.overrides.map((o) => o.active)).toEqual([false]);
    expect(data.runs.map((r) => [r.added, r.retired])).toEqual([[0, 1], [1, 0]]);
  });
});
