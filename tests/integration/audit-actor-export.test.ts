import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { loadAudit, loadAuditExport, loadAuditFilterOptions } from "@/lib/db/audit";
import { applyRetrainDiff } from "@/lib/db/retrain";
import { withUser } from "@/lib/db/rls";
import { withServiceActor } from "@/lib/db/service-actor";
import type { LearnDiff, Proposal } from "@/lib/engine/learn";
import { AUDIT_CSV_HEADER, auditToCsv } from "@/lib/reports/audit-csv";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, emailOf, ids } from "@/tests/helpers/fixtures";

/**
 * Who wrote a change without a signed-in user (audit_log.actor_kind from `app.actor`, migration
 * 20261208020000): the gateway and a job name themselves, users always win, older service rows keep
 * their inferred label; and the Audit CSV of a filter under RLS, capped.
 */
describe.each(databaseTargets())("audit actor and CSV on $name", (target) => {
  let db: Database;

  const proposal = (organizationId: string, pattern: string): Proposal => ({
    organizationId, appId: ids.app, actionType: "classify", queryPattern: pattern, modelId: ids.models.secondary, confidence: "high",
    samples: 40, avgScore: 4.5, correctRate: 0.9,
    evidence: { chosen: { modelId: ids.models.secondary } as never, baseline: { modelId: ids.models.primary } as never, candidates: [], reason: "test" },
  });
  const diff = (p: Proposal): LearnDiff => ({ added: [p], changed: [], retired: [], unchanged: [], skipped: [] });

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    // The gateway (a retrain asked for with an app key) and the retrain job, each writing one override of Org A.
    await applyRetrainDiff(db.kysely, ids.run, diff(proposal(ids.orgA, "by-gateway")), "gateway");
    await applyRetrainDiff(db.kysely, ids.run, diff(proposal(ids.orgA, "by-job")), "job:retrain");
    // Org B's change by the job: Org A's admin must never see it.
    await applyRetrainDiff(db.kysely, ids.run, diff(proposal(ids.orgB, "org-b-job")), "job:retrain");
  });
  afterAll(async () => {
    await db?.close();
  });

  it("records the gateway and a job as the actor and filters by them", async () => {
    const admin = claimsFor("platformAdmin");
    const gateway = await loadAudit(db, admin, { actor: "gateway" });
    expect(gateway.total).toBe(1);
    expect(gateway.entries[0]).toMatchObject({ actor: "gateway", actorIsUser: false, area: "Learned route", subject: "RLS app · classify" });
    expect(gateway.entries[0]!.changes.find((c) => c.field === "query_pattern")?.after).toBe("by-gateway");
    const job = await loadAudit(db, admin, { actor: "job:retrain" });
    expect(job.total).toBe(2);
    expect(job.entries.every((e) => e.actor === "job: retrain" && !e.actorIsUser)).toBe(true);
    const { rows } = await sql<{ actor_kind: string | null; n: string | number }>`
      select actor_kind, count(*) as n from public.audit_log where table_name = 'learning_overrides' group by 1 order by 1`.execute(db.kysely);
    expect(rows.map((r) => [r.actor_kind, Number(r.n)])).toEqual([["gateway", 1], ["job:retrain", 2], [null, 1]]);
    const options = await loadAuditFilterOptions(db, admin);
    expect(options.actors).toEqual(expect.arrayContaining([{ value: "gateway", label: "gateway" }, { value: "job:retrain", label: "job: retrain" }]));
  });

  it("keeps the inferred label of a service write that did not name itself", async () => {
    const learned = await loadAudit(db, claimsFor("platformAdmin"), { actor: "learning-job" });
    expect(learned.total).toBe(1);
    expect(learned.entries[0]).toMatchObject({ actor: "learning job", actorIsUser: false });
  });

  it("ignores app.actor under a signed-in user's claims and a badly shaped name", async () => {
    await withUser(db, claimsFor("adminA"), async (tx) => {
      await sql`select set_config('app.actor', 'gateway', true)`.execute(tx);
      await sql`update public.llm_configurations set priority = 250 where id = ${ids.configs.A}`.execute(tx);
    });
    const mine = await loadAudit(db, claimsFor("adminA"), { actor: emailOf("adminA") });
    expect(mine.entries[0]).toMatchObject({ actor: emailOf("adminA"), actorIsUser: true, recordId: ids.configs.A });
    await db.kysely.transaction().execute(async (tx) => {
      await sql`select set_config('app.actor', 'root; drop table x', true)`.execute(tx);
      await sql`update public.llm_configurations set priority = 260 where id = ${ids.configs.A}`.execute(tx);
    });
    const last = await sql<{ actor_kind: string | null; actor_role: string }>`
      select actor_kind, actor_role from public.audit_log where record_id = ${ids.configs.A} order by id desc limit 1`.execute(db.kysely);
    expect(last.rows[0]).toEqual({ actor_kind: null, actor_role: "service" });
    await expect(withServiceActor(db.kysely, "job:Bad Name" as "job:x", async () => 1)).rejects.toThrow(/invalid service actor/);
  });

  it("exports the filter as CSV under RLS: an org admin gets only their organization's rows", async () => {
    const all = await loadAuditExport(db, claimsFor("platformAdmin"), { actor: "job:retrain" }, 100);
    const mine = await loadAuditExport(db, claimsFor("adminA"), { actor: "job:retrain" }, 100);
    if (!all.ok || !mine.ok) throw new Error("expected entries");
    expect(all.entries.map((e) => e.organization).sort()).toEqual(["Org A", "Org B"]);
    expect(mine.entries.map((e) => e.organization)).toEqual(["Org A"]);
    const csv = auditToCsv(mine.entries, "Europe/Amsterdam").trimEnd().split("\r\n");
    expect(csv[0]).toBe(AUDIT_CSV_HEADER.join(","));
    expect(csv.slice(1).every((line) => line.includes(",Org A,"))).toBe(true);
    expect(csv.join("\n")).not.toContain("org-b-job");
    expect(csv.find((l) => l.includes(",Query pattern,"))).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00,Europe\/Amsterdam,\d+,job: retrain,service,Learned route,RLS app · classify,Org A,created,Query pattern,,by-job$/);
    for (const viewer of ["viewerA", "financeA"] as const) {
      const none = await loadAuditExport(db, claimsFor(viewer), {}, 100);
      expect(none).toEqual({ ok: true, entries: [] });
    }
  });

  it("keeps exact money before → after and refuses past the cap with the count", async () => {
    await withUser(db, claimsFor("platformAdmin"), (tx) =>
      sql`update public.organizations set monthly_budget = 1234.567891 where id = ${ids.orgA}`.execute(tx));
    const budget = await loadAuditExport(db, claimsFor("adminA"), { area: "budget" }, 100);
    if (!budget.ok) throw new Error("expected entries");
    expect(auditToCsv(budget.entries, "UTC")).toMatch(/,Monthly budget,1000\.00 EUR,1234\.567891 EUR\r\n/);
    const total = (await loadAudit(db, claimsFor("adminA"), {})).total;
    expect(await loadAuditExport(db, claimsFor("adminA"), {}, total - 1)).toEqual({ ok: false, total });
  });

  it("reads the date filter as days of the reporting time zone", async () => {
    const admin = claimsFor("platformAdmin");
    const { rows } = await sql<{ at: Date }>`select max(created_at) as at from public.audit_log`.execute(db.kysely);
    const at = new Date(rows[0]!.at);
    const dayIn = (zone: string) => new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
    for (const zone of ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"]) {
      const day = dayIn(zone);
      const page = await loadAudit(db, admin, { from: day, to: day }, 5, zone);
      expect(page.entries[0]?.when.endsWith(` ${zone}`)).toBe(true);
      expect(page.total).toBeGreaterThan(0);
    }
  });
});
