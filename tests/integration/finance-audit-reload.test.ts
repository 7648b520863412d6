import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { withUser } from "@/lib/db/rls";
import { withServiceActor } from "@/lib/db/service-actor";
import { closeStatement, reopenStatement } from "@/lib/db/statements-close";
import { addClientPrice, saveBillingTerms } from "@/lib/db/statements-terms";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, emailOf, ids, type FixtureUser } from "@/tests/helpers/fixtures";

/**
 * Finance writes are audited but never reload the gateway (migration
 * 20261208110001_finance_audit_no_reload.sql): closing and reopening a statement, billing terms and
 * the client price list each leave an audit row with the signed-in actor and keep config_version
 * where it was; so do the job-written finance tables (budget_alerts, statement_lines,
 * llm_call_statement_marks). A routing change still bumps the version. Both kinds of table write
 * their audit row with the same writer (public.audit_write_row, 20261208120001_audit_row_writer.sql),
 * so finance rows follow the configuration rows' rules too. PGlite and PostgreSQL.
 */

const NOW = new Date("2026-12-07T10:00:00Z");
const as = <T>(db: Database, user: FixtureUser, fn: Parameters<typeof withUser<T>>[2]) => withUser(db, claimsFor(user), fn);

describe.each(databaseTargets())("finance audit without a gateway reload on $name", (target) => {
  let db: Database;
  const version = async () => Number((await db.kysely.selectFrom("config_version").select("version").executeTakeFirstOrThrow()).version);
  const audited = (table: string) =>
    db.kysely.selectFrom("audit_log").select(["action", "actor_email", "organization_id", "after"]).where("table_name", "=", table).orderBy("id").execute();

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    await sql`select public.ensure_llm_calls_partitions('2026-07-01'::date, '2026-12-31'::date)`.execute(db.kysely);
    await db.kysely
      .insertInto("llm_calls")
      .values({
        id: randomUUID(), request_id: randomUUID(), created_at: "2026-07-03T09:00:00Z", app_id: ids.app, organization_id: ids.orgA,
        action_type: "classify", request_type: "classify", provider_id: ids.provider, provider_code: "rls-mock",
        model_id: ids.models.secondary, model_code: "mock-small", prompt_tokens: 200, completion_tokens: 100, total_tokens: 300,
        cost: "0.25", currency: "USD", pricing_source: "database", latency_ms: 10, status: "ok",
      })
      .execute();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("billing terms and the client price list are audited with the actor, config_version unchanged", async () => {
    const start = await version();
    await as(db, "platformAdmin", async (tx) => {
      await saveBillingTerms(tx, { organizationId: ids.orgA, billingCurrency: "USD", markupPct: "15" });
      await addClientPrice(tx, {
        organizationId: ids.orgA, modelId: ids.models.primary, inputPerMtok: "2", outputPerMtok: "10", cachedInputPerMtok: null,
        cacheWritePerMtok: null, cacheWrite1hPerMtok: null, currency: "USD", effectiveFrom: "2026-01-01",
      });
    });
    expect(await version()).toBe(start);
    for (const table of ["billing_terms", "client_prices"]) {
      const rows = await audited(table);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ action: "insert", actor_email: emailOf("platformAdmin"), organization_id: ids.orgA });
    }
    expect((await audited("billing_terms"))[0]!.after).toMatchObject({ markup_pct: 15 });
  });

  it("closing and reopening a statement are audited and leave config_version unchanged", async () => {
    const start = await version();
    const closed = await as(db, "platformAdmin", (tx) => closeStatement(tx, ids.orgA, "2026-07", emailOf("platformAdmin"), NOW));
    expect(closed.lines).toBeGreaterThan(0);
    const lines = await db.kysely.selectFrom("statement_lines").select("id").where("statement_id", "=", closed.statementId).execute();
    expect(lines).toHaveLength(closed.lines);
    expect(await version()).toBe(start);

    await as(db, "platformAdmin", (tx) => reopenStatement(tx, ids.orgA, "2026-07", "wrong markup"));
    expect(await version()).toBe(start);
    await as(db, "platformAdmin", (tx) => closeStatement(tx, ids.orgA, "2026-07", emailOf("platformAdmin"), NOW));
    expect(await version()).toBe(start);

    const rows = await audited("statements");
    expect(rows.map((r) => r.action)).toEqual(["insert", "update", "update"]);
    for (const r of rows) expect(r).toMatchObject({ actor_email: emailOf("platformAdmin"), organization_id: ids.orgA });
    expect(rows.map((r) => (r.after as { status: string }).status)).toEqual(["closed", "reopened", "closed"]);
    expect((rows[1]!.after as { reopen_reason: string }).reopen_reason).toBe("wrong markup");
  });

  it("job-written finance rows (a late call's change marks, a budget alert) leave config_version unchanged", async () => {
    const start = await version();
    const marksBefore = await db.kysely.selectFrom("llm_call_statement_marks").select("version").where("organization_id", "=", ids.orgA).where("day", "=", "2026-07-04").executeTakeFirst();
    await db.kysely
      .insertInto("llm_calls")
      .values({ request_id: randomUUID(), created_at: "2026-07-04T09:00:00Z", organization_id: ids.orgA, status: "ok", cost: "0.5", currency: "USD", pricing_source: "database" })
      .execute();
    const marksAfter = await db.kysely.selectFrom("llm_call_statement_marks").select("version").where("organization_id", "=", ids.orgA).where("day", "=", "2026-07-04").executeTakeFirstOrThrow();
    expect(marksBefore).toBeUndefined();
    expect(Number(marksAfter.version)).toBe(1);
    await db.kysely
      .insertInto("budget_alerts")
      .values({ organization_id: ids.orgA, month: "2026-07-01", threshold_pct: 80, spent: "8", budget: "10", currency: "USD", policy: "alert" })
      .execute();
    expect(await version()).toBe(start);
    expect(await audited("budget_alerts")).toEqual([]);
  });

  it("a routing change still bumps config_version, once", async () => {
    const start = await version();
    await as(db, "adminA", (tx) =>
      tx.updateTable("llm_configurations").set({ params: JSON.stringify({ temperature: 0.3 }) }).where("id", "=", ids.configs.A).execute());
    expect(await version()).toBe(start + 1);
    const rows = await audited("llm_configurations");
    expect(rows.at(-1)).toMatchObject({ action: "update", actor_email: emailOf("adminA"), organization_id: ids.orgA });
  });

  it("finance rows follow the configuration rows' audit rules: service actor, unchanged updates skipped, moves filed under neither", async () => {
    const start = await version();
    const full = (table: string) => db.kysely.selectFrom("audit_log").selectAll().where("table_name", "=", table).orderBy("id").execute();
    const termsBefore = (await full("billing_terms")).length;
    const priceId = (await db.kysely.selectFrom("client_prices").select("id").where("organization_id", "=", ids.orgA).executeTakeFirstOrThrow()).id;
    await withServiceActor(db.kysely, "job:finance-audit-test", async (tx) => {
      // Only updated_at changes (its trigger): not a change.
      await tx.updateTable("billing_terms").set({ markup_pct: "15" }).where("organization_id", "=", ids.orgA).execute();
      await tx.updateTable("billing_terms").set({ markup_pct: "20" }).where("organization_id", "=", ids.orgA).execute();
      await tx.updateTable("client_prices").set({ organization_id: ids.orgB }).where("id", "=", priceId).execute();
    });
    const terms = await full("billing_terms");
    expect(terms).toHaveLength(termsBefore + 1);
    expect(terms.at(-1)).toMatchObject({
      action: "update", actor_id: null, actor_email: null, actor_role: "service", actor_kind: "job:finance-audit-test",
      organization_id: ids.orgA, record_id: null, before: { markup_pct: 15 }, after: { markup_pct: 20 },
    });
    expect(terms.at(-1)!.before).not.toHaveProperty("updated_at");
    expect(terms.at(-1)!.after).not.toHaveProperty("updated_at");
    const moved = (await full("client_prices")).at(-1);
    expect(moved).toMatchObject({
      action: "update", actor_kind: "job:finance-audit-test", record_id: priceId, organization_id: null,
      before: { organization_id: ids.orgA }, after: { organization_id: ids.orgB },
    });
    expect(await version()).toBe(start);
  });
});
