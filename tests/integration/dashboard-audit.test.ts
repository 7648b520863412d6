import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { loadAudit, loadAuditFilterOptions } from "@/lib/db/audit";
import { withUser } from "@/lib/db/rls";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, emailOf, ids } from "@/tests/helpers/fixtures";

/**
 * The Audit page's loader: readable entries (names resolved under RLS, who, labelled field diff,
 * exact money, no secrets), its filters and search, keyset pages with a total, and RLS per role.
 */
describe.each(databaseTargets())("audit page data on $name", (target) => {
  let db: Database;
  let configId = "";
  let priceId = "";
  let tempConfigId = "";
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    configId = await withUser(db, claimsFor("adminA"), async (tx) => {
      const { rows } = await sql<{ id: string }>`insert into public.llm_configurations (app_id, organization_id, action_type, model_id, priority)
        values (${ids.app}, ${ids.orgA}, 'audited', ${ids.models.primary}, 300) returning id::text`.execute(tx);
      await sql`update public.llm_configurations set priority = 301, model_id = ${ids.models.secondary} where id = ${rows[0]!.id}`.execute(tx);
      await sql`update public.api_keys set name = 'Key A renamed' where id = ${ids.apiKeys.A}`.execute(tx);
      return rows[0]!.id;
    });
    await withUser(db, claimsFor("platformAdmin"), async (tx) => {
      await sql`update public.organizations set monthly_budget = 2500.123456 where id = ${ids.orgA}`.execute(tx);
      const price = await sql<{ id: string }>`insert into public.model_prices (model_id, input_per_mtok, output_per_mtok, currency)
        values (${ids.models.spare}, 12345678901.23456789, 0.00000001, 'USD') returning id::text`.execute(tx);
      priceId = price.rows[0]!.id;
      // An app that is deleted after a rule referred to it: the rule's entries keep its last name.
      const app = await sql<{ id: string }>`insert into public.apps (code, name) values ('temp-app', 'Temp app') returning id::text`.execute(tx);
      const rule = await sql<{ id: string }>`insert into public.llm_configurations (app_id, organization_id, action_type, model_id)
        values (${app.rows[0]!.id}, ${ids.orgB}, 'temp-action', ${ids.models.primary}) returning id::text`.execute(tx);
      tempConfigId = rule.rows[0]!.id;
      await sql`delete from public.llm_configurations where id = ${tempConfigId}`.execute(tx);
      await sql`delete from public.apps where id = ${app.rows[0]!.id}`.execute(tx);
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  it("shows an org admin their change with names, their email and a labelled field diff", async () => {
    const { entries } = await loadAudit(db, claimsFor("adminA"), { area: "routing" });
    const mine = entries.filter((e) => e.recordId === configId);
    expect(mine.map((e) => e.verb)).toEqual(["changed", "created"]);
    expect(mine[0]).toMatchObject({ actor: emailOf("adminA"), actorIsUser: true, area: "Routing rule", subject: "RLS app · audited", organization: "Org A" });
    expect(mine[0]!.changes).toEqual([
      { field: "model_id", label: "Model", before: "mock-large", after: "mock-small", secret: false },
      { field: "priority", label: "Priority", before: "300", after: "301", secret: false },
    ]);
    expect(mine[1]!.changes.find((c) => c.field === "app_id")).toMatchObject({ label: "App", after: "RLS app" });
    expect(mine[0]!.when).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
  });

  it("keeps money exact, files a budget change under Budget and never shows a key hash", async () => {
    const admin = claimsFor("platformAdmin");
    const budget = await loadAudit(db, admin, { area: "budget", org: ids.orgA });
    expect(budget.entries[0]).toMatchObject({ area: "Budget", subject: "Org A", changes: [{ label: "Monthly budget", before: "1000.00 EUR", after: "2500.123456 EUR" }] });
    const price = (await loadAudit(db, admin, { area: "price" })).entries.find((e) => e.recordId === priceId)!;
    expect(price.subject).toBe("mock-spare · USD");
    expect(price.changes.find((c) => c.field === "input_per_mtok")?.after).toBe("12345678901.23456789 USD");
    expect(price.changes.find((c) => c.field === "output_per_mtok")?.after).toBe("0.00000001 USD");
    const keys = await loadAudit(db, admin, { area: "key" });
    expect(keys.entries.every((e) => e.area === "API key")).toBe(true);
    expect(keys.entries.find((e) => e.verb === "changed")?.changes).toEqual([{ field: "name", label: "Name", before: "Key A", after: "Key A renamed", secret: false }]);
    expect(JSON.stringify(keys.entries)).not.toMatch(/key_hash|[0-9a-f]{64}/);
  });

  it("names a deleted entity by its last known name", async () => {
    const { entries } = await loadAudit(db, claimsFor("platformAdmin"), { q: "temp-action" });
    const removed = entries.find((e) => e.recordId === tempConfigId && e.verb === "deleted")!;
    expect(removed.subject).toBe("Temp app (deleted) · temp-action");
    const app = (await loadAudit(db, claimsFor("platformAdmin"), { area: "app", q: "Temp app" })).entries;
    expect(app.map((e) => [e.verb, e.subject])).toEqual([["deleted", "Temp app"], ["created", "Temp app"]]);
  });

  it("says who wrote a row without a signed-in user: the learning job or the system", async () => {
    const admin = claimsFor("platformAdmin");
    const learned = await loadAudit(db, admin, { actor: "learning-job" });
    expect(learned.total).toBeGreaterThan(0);
    expect(learned.entries.every((e) => e.actor === "learning job" && e.area === "Learned route" && !e.actorIsUser)).toBe(true);
    expect(learned.entries[0]!.subject).toBe("RLS app · classify");
    const system = await loadAudit(db, admin, { actor: "system", area: "routing" });
    expect(system.entries.length).toBeGreaterThan(0);
    expect(system.entries.every((e) => e.actor === "system")).toBe(true);
    const options = await loadAuditFilterOptions(db, admin);
    expect(options.actors.map((a) => a.value)).toEqual(expect.arrayContaining([emailOf("adminA"), emailOf("platformAdmin"), "learning-job", "system"]));
  });

  it("filters by actor, organization and UTC dates, and searches names and values", async () => {
    const admin = claimsFor("platformAdmin");
    const byAdminA = await loadAudit(db, admin, { actor: emailOf("adminA").toUpperCase() });
    expect(byAdminA.total).toBe(3);
    expect(byAdminA.entries.every((e) => e.actor === emailOf("adminA"))).toBe(true);
    const orgB = await loadAudit(db, admin, { org: ids.orgB });
    expect(orgB.total).toBeGreaterThan(0);
    expect(orgB.entries.every((e) => e.organization === "Org B" || (e.table === "organizations" && e.subject === "Org B"))).toBe(true);
    expect((await loadAudit(db, admin, { from: tomorrow })).total).toBe(0);
    expect((await loadAudit(db, admin, { from: today, to: today })).total).toBe((await loadAudit(db, admin, {})).total);
    // A model's name finds the entries that refer to it by id; an area's label finds its entries.
    const bySmall = await loadAudit(db, admin, { q: "mock small" });
    expect(bySmall.entries.some((e) => e.recordId === configId)).toBe(true);
    expect(bySmall.entries.some((e) => e.table === "learning_overrides")).toBe(true);
    const byLabel = await loadAudit(db, admin, { q: "routing rule" });
    expect(byLabel.entries.every((e) => e.area === "Routing rule")).toBe(true);
    expect((await loadAudit(db, admin, { q: "100%_nothing" })).total).toBe(0);
  });

  it("pages by id with a total for the filter", async () => {
    const admin = claimsFor("platformAdmin");
    const first = await loadAudit(db, admin, {}, 3);
    expect(first.entries).toHaveLength(3);
    expect(first.total).toBeGreaterThan(6);
    const next = await loadAudit(db, admin, { before: first.nextBefore! }, 3);
    expect(next.total).toBe(first.total);
    expect(Math.max(...next.entries.map((e) => e.id))).toBeLessThan(Math.min(...first.entries.map((e) => e.id)));
    let seen = 0;
    let cursor: number | undefined;
    for (;;) {
      const page = await loadAudit(db, admin, { before: cursor }, 10);
      seen += page.entries.length;
      if (page.nextBefore === null) break;
      cursor = page.nextBefore;
    }
    expect(seen).toBe(first.total);
  });

  it("shows an org admin only their organizations' entries, a viewer or finance user nothing", async () => {
    const a = await loadAudit(db, claimsFor("adminA"), {}, 500);
    expect(a.total).toBeGreaterThan(0);
    expect(a.entries.every((e) => e.organization === "Org A" || e.subject === "Org A")).toBe(true);
    expect((await loadAudit(db, claimsFor("adminA"), { org: ids.orgB })).total).toBe(0);
    expect((await loadAudit(db, claimsFor("adminA"), { q: "temp-action" })).total).toBe(0);
    const b = await loadAudit(db, claimsFor("adminB"), {}, 500);
    expect(b.entries.some((e) => e.recordId === configId)).toBe(false);
    for (const user of ["viewerA", "financeA"] as const) expect((await loadAudit(db, claimsFor(user), {})).total).toBe(0);
    const options = await loadAuditFilterOptions(db, claimsFor("adminB"));
    expect(options.actors.map((x) => x.value)).not.toContain(emailOf("adminA"));
  });
});
