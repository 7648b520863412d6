import { randomUUID } from "node:crypto";
import { Decimal } from "decimal.js";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { withUser } from "@/lib/db/rls";
import { loadStatement, loadStatementList, type StatementView } from "@/lib/db/statements";
import { monthMarks } from "@/lib/db/statement-marks";
import { closeStatement, reopenStatement } from "@/lib/db/statements-close";
import { addClientPrice, saveBillingTerms } from "@/lib/db/statements-terms";
import { WriteRefusal } from "@/lib/db/write-refusal";
import { FOCUS_COLUMNS, focusRows, focusToCsv } from "@/lib/reports/focus";
import { statementToCsv } from "@/lib/reports/statement-csv";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids, type FixtureUser } from "@/tests/helpers/fixtures";
import { parseCsv } from "@/e2e/csv";

/**
 * Client statements end to end on PGlite and PostgreSQL (issue 13): markup and a client price
 * list in EUR with USD provider costs converted at reporting.fx_rates; close → a late call in the
 * closed month → an adjustment in the next open month referencing it → close that month → a
 * repricing of the first month yields only the remaining difference; reopen rules and audit; RLS
 * across organizations; the CSV and the FOCUS columns. Expected figures are computed here from
 * the seeded calls, not copied from the code under test.
 */

const NOW = new Date("2026-12-07T10:00:00Z");
const RATE_USD = "0.92";
const MARKUP = "20";

interface SeedCall { day: string; org: string; model: "mock-small" | "mock-large"; cost: string | null; prompt: number; completion: number }

function callRow(c: SeedCall) {
  return {
    id: randomUUID(), request_id: randomUUID(), created_at: `${c.day}T09:00:00Z`, app_id: ids.app, organization_id: c.org,
    action_type: "classify", request_type: "classify", pipeline_stage: "triage", provider_id: ids.provider, provider_code: "rls-mock",
    model_id: c.model === "mock-small" ? ids.models.secondary : ids.models.primary, model_code: c.model,
    prompt_tokens: c.prompt, completion_tokens: c.completion, total_tokens: c.prompt + c.completion,
    cost: c.cost, currency: c.cost === null ? null : "USD", pricing_source: c.cost === null ? null : ("database" as const), latency_ms: 10, status: "ok" as const,
  };
}

const JULY: SeedCall[] = [
  { day: "2026-07-03", org: ids.orgA, model: "mock-small", cost: "0.000175", prompt: 200, completion: 100 },
  { day: "2026-07-20", org: ids.orgA, model: "mock-small", cost: "0.123456789012", prompt: 1000, completion: 50 },
  { day: "2026-07-21", org: ids.orgA, model: "mock-large", cost: "0.0045", prompt: 1000, completion: 100 },
  { day: "2026-07-22", org: ids.orgA, model: "mock-small", cost: null, prompt: 10, completion: 0 },
  { day: "2026-07-05", org: ids.orgB, model: "mock-small", cost: "5", prompt: 10, completion: 10 },
];

/** mock-small at markup: cost × 1.2 × 0.92 (EUR). mock-large on the client price list: 2 / 10 EUR per Mtok. */
function expectedJuly(smallCosts: string[]): string {
  const small = smallCosts.reduce((s, c) => s.plus(c), new Decimal(0)).times(1.2).times(RATE_USD);
  const large = new Decimal(1000).times(2).plus(new Decimal(100).times(10)).div(1_000_000);
  return small.plus(large).toFixed();
}

/** CSV text → one record per row, keyed by the header. */
function records(text: string): Record<string, string>[] {
  const [header = [], ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
}

const as = <T>(db: Database, user: FixtureUser, fn: Parameters<typeof withUser<T>>[2]) => withUser(db, claimsFor(user), fn);

describe.each(databaseTargets())("client statements on $name", (target) => {
  let db: Database;

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    await sql`select public.ensure_llm_calls_partitions('2026-07-01'::date, '2026-12-31'::date)`.execute(db.kysely);
    await db.kysely.insertInto("llm_calls").values(JULY.map(callRow)).execute();
    await db.kysely
      .insertInto("app_configuration")
      .values([
        { key: "reporting.currency", scope: "global", value_type: "string", value: JSON.stringify("EUR") },
        { key: "reporting.fx_rates", scope: "global", value_type: "json", value: JSON.stringify({ USD: RATE_USD }) },
      ])
      .execute();
    await as(db, "platformAdmin", async (tx) => {
      await saveBillingTerms(tx, { organizationId: ids.orgA, billingCurrency: "EUR", markupPct: MARKUP });
      await addClientPrice(tx, {
        organizationId: ids.orgA, modelId: ids.models.primary, inputPerMtok: "2", outputPerMtok: "10", cachedInputPerMtok: null,
        cacheWritePerMtok: null, cacheWrite1hPerMtok: null, currency: "EUR", effectiveFrom: "2026-01-01",
      });
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  const read = (user: FixtureUser, month: string, org = ids.orgA) => as(db, user, (tx) => loadStatement(tx, org, month));

  it("a draft prices markup and the client price list, converted, with calls without cost counted", async () => {
    const v = (await read("financeA", "2026-07")) as StatementView;
    expect(v.status).toBe("draft");
    expect(v.billingCurrency).toBe("EUR");
    expect(v.rates).toMatchObject({ EUR: "1", USD: RATE_USD });
    expect(v.summary.total).toEqual({ amount: expectedJuly(["0.000175", "0.123456789012"]), unconverted: {} });
    expect(v.summary.calls).toBe(4);
    expect(v.summary.callsWithoutCost).toBe(1);
    const large = v.lines.find((l) => l.modelCode === "mock-large");
    expect(large).toMatchObject({ pricing: "price_list", providerCost: "0.0045", sourceAmount: "0.003", amount: "0.003" });
  });

  it("only platform admins close; a late call then shows as an adjustment in the next month, never in the closed one", async () => {
    for (const user of ["financeA", "adminA"] as const) {
      await expect(as(db, user, (tx) => closeStatement(tx, ids.orgA, "2026-07", null, NOW))).rejects.toBeInstanceOf(WriteRefusal);
    }
    await expect(as(db, "platformAdmin", (tx) => closeStatement(tx, ids.orgA, "2026-12", null, NOW))).rejects.toThrow(/not ended/);
    const closed = await as(db, "platformAdmin", (tx) => closeStatement(tx, ids.orgA, "2026-07", "platformadmin@rls.test", NOW));
    expect(closed.lines).toBeGreaterThan(0);
    const frozen = (await read("financeA", "2026-07")) as StatementView;
    expect(frozen.status).toBe("closed");
    expect(frozen.closed?.closedByEmail).toBe("platformadmin@rls.test");
    expect(frozen.summary.total.amount).toBe(expectedJuly(["0.000175", "0.123456789012"]));
    await expect(as(db, "platformAdmin", (tx) => closeStatement(tx, ids.orgA, "2026-09", null, NOW))).rejects.toThrow(/in order/);

    // A late record (spool replay) lands in July.
    await db.kysely.insertInto("llm_calls").values(callRow({ day: "2026-07-30", org: ids.orgA, model: "mock-small", cost: "0.5", prompt: 100, completion: 10 })).execute();
    const july = (await read("financeA", "2026-07")) as StatementView;
    expect(july.summary.total).toEqual(frozen.summary.total);
    expect(july.lines).toEqual(frozen.lines);

    const august = (await read("financeA", "2026-08")) as StatementView;
    expect(august.adjustmentMonth).toBe("2026-08");
    expect(august.summary.adjustments).toHaveLength(1);
    const adj = august.summary.adjustments[0];
    expect(adj).toMatchObject({ kind: "adjustment", correctsMonth: "2026-07-01", correctsStatementId: closed.statementId, calls: 1, providerCost: "0.5" });
    expect(adj?.amount).toBe(new Decimal("0.5").times(1.2).times(RATE_USD).toFixed());
    expect(august.summary.total.amount).toBe(adj?.amount);

    const audit = await db.kysely.selectFrom("audit_log").select(["actor_email", "action"]).where("table_name", "=", "statements").execute();
    expect(audit).toContainEqual({ actor_email: "platformadmin@rls.test", action: "insert" });
  });

  it("after closing the next month, a repricing of the first month yields only the remaining difference", async () => {
    await as(db, "platformAdmin", (tx) => closeStatement(tx, ids.orgA, "2026-08", "platformadmin@rls.test", NOW));
    const augustClosed = (await read("financeA", "2026-08")) as StatementView;
    expect(augustClosed.summary.adjustments).toHaveLength(1);
    const september0 = (await read("financeA", "2026-09")) as StatementView;
    expect(september0.summary.adjustments).toEqual([]);

    // Repricing job: the late call's cost is corrected from 0.5 to 0.8 USD.
    await db.kysely.updateTable("llm_calls").set({ cost: "0.8" }).where("created_at", "=", new Date("2026-07-30T09:00:00Z")).execute();
    const september = (await read("financeA", "2026-09")) as StatementView;
    expect(september.summary.adjustments).toHaveLength(1);
    expect(september.summary.adjustments[0]).toMatchObject({ calls: 0, providerCost: "0.3", correctsMonth: "2026-07-01" });
    expect(september.summary.adjustments[0]?.amount).toBe(new Decimal("0.3").times(1.2).times(RATE_USD).toFixed());
    // The closed months did not move.
    expect(((await read("financeA", "2026-08")) as StatementView).lines).toEqual(augustClosed.lines);
  });

  it("reopen: platform admins only, the latest closed month only, with a reason, audited", async () => {
    for (const user of ["financeA", "adminA"] as const) {
      await expect(as(db, user, (tx) => reopenStatement(tx, ids.orgA, "2026-08", "wrong rate"))).rejects.toBeInstanceOf(WriteRefusal);
      const touched = await as(db, user, (tx) => tx.updateTable("statements").set({ status: "reopened" }).where("organization_id", "=", ids.orgA).executeTakeFirst());
      expect(Number(touched.numUpdatedRows)).toBe(0);
    }
    await expect(as(db, "platformAdmin", (tx) => reopenStatement(tx, ids.orgA, "2026-07", "wrong rate"))).rejects.toThrow(/later month/);
    await expect(db.kysely.deleteFrom("statement_lines").execute()).rejects.toThrow(/closed statement never changes/);
    await as(db, "platformAdmin", (tx) => reopenStatement(tx, ids.orgA, "2026-08", "client disputed the rate"));
    const august = (await read("financeA", "2026-08")) as StatementView;
    expect(august.status).toBe("draft");
    // Its frozen adjustment is gone: August now carries July's whole difference again (0.8 USD).
    expect(august.summary.adjustments[0]).toMatchObject({ calls: 1, providerCost: "0.8" });
    const audit = await db.kysely.selectFrom("audit_log").select(["after"]).where("table_name", "=", "statements").where("action", "=", "update").execute();
    expect(audit.map((a) => (a.after as { reopen_reason?: string }).reopen_reason)).toContain("client disputed the rate");
    // Closing again freezes the new figures.
    await as(db, "platformAdmin", (tx) => closeStatement(tx, ids.orgA, "2026-08", null, NOW));
    expect(((await read("financeA", "2026-08")) as StatementView).status).toBe("closed");
    expect(((await read("financeA", "2026-09")) as StatementView).summary.adjustments).toEqual([]);
  });

  it("RLS: another organization's admin and viewers read nothing of A's statements", async () => {
    expect(await read("adminB", "2026-07")).toBeNull();
    expect(await read("viewerA", "2026-07")).toBeNull();
    expect(await read("outsider", "2026-07")).toBeNull();
    const seenByB = await as(db, "adminB", (tx) => tx.selectFrom("statement_lines").select("id").execute());
    expect(seenByB).toEqual([]);
    const rollupByB = await as(db, "adminB", (tx) => tx.selectFrom("llm_call_statement_hourly").select("organization_id").distinct().execute());
    expect(rollupByB.map((r) => r.organization_id)).toEqual([ids.orgB]);
    const listB = await as(db, "adminB", (tx) => loadStatementList(tx, NOW));
    expect(listB.map((o) => o.id)).toEqual([ids.orgB]);
    const listA = await as(db, "financeA", (tx) => loadStatementList(tx, NOW));
    expect(listA.map((o) => o.id)).toEqual([ids.orgA]);
    expect(listA[0]?.months.find((m) => m.month === "2026-07")).toMatchObject({ status: "closed", closedByEmail: "platformadmin@rls.test" });
    expect(listA[0]?.months.find((m) => m.month === "2026-09")).toMatchObject({ status: "draft" });
  });

  it("CSV and FOCUS rows carry the lines with exact values", async () => {
    const july = (await read("financeA", "2026-07")) as StatementView;
    const csv = records(statementToCsv(july));
    const total = csv.find((r) => r.row === "total");
    expect(total?.amount).toBe(july.summary.total.amount);
    const focus = records(focusToCsv(july));
    expect(Object.keys(focus[0] ?? {})).toEqual([...FOCUS_COLUMNS]);
    expect(focus).toHaveLength(july.lines.length);
    const billed = focus.reduce((s, r) => s.plus(r.BilledCost || "0"), new Decimal(0));
    expect(billed.toFixed()).toBe(july.summary.total.amount);
    expect(new Set(focus.map((r) => r.BillingCurrency))).toEqual(new Set(["EUR"]));
    expect(focus.every((r) => r.BillingAccountId === ids.orgA && r.ChargeCategory === "Usage" && r.SubAccountId === ids.app)).toBe(true);
    expect(focus[0]?.BillingPeriodStart).toBe("2026-07-01T00:00:00.000Z");
    const large = focus.find((r) => r.SkuId === "rls-mock/mock-large");
    expect(large).toMatchObject({ BilledCost: "0.003", EffectiveCost: "0.003", ListCost: new Decimal("0.0045").times(RATE_USD).toFixed(), ConsumedQuantity: "1100", ConsumedUnit: "Tokens", x_Pricing: "price_list" });
    expect(JSON.parse(large?.Tags ?? "{}")).toMatchObject({ app: "RLS app", action: "classify", model: "mock-large" });

    const august = (await read("financeA", "2026-08")) as StatementView;
    const adj = focusRows(august).find((r) => r.ChargeCategory === "Adjustment");
    expect(adj).toMatchObject({ ChargeClass: "Correction", ChargePeriodStart: "2026-07-01T00:00:00.000Z", ChargePeriodEnd: "2026-08-01T00:00:00.000Z", BillingPeriodStart: "2026-08-01T00:00:00.000Z" });
  });
  it("a draft re-reads only the closed months changed since the latest close; skipping the others changes nothing", async () => {
    const september = async () => (await read("financeA", "2026-09")) as StatementView;
    const latest = await db.kysely
      .selectFrom("statements").select(["id", "marks_seen", "time_zone"])
      .where("organization_id", "=", ids.orgA).where("status", "=", "closed").orderBy("closed_at", "desc").executeTakeFirstOrThrow();
    const seen = latest.marks_seen ?? {};
    expect(Object.keys(seen).sort()).toEqual(["2026-07", "2026-08"]);
    const marks = () => as(db, "financeA", (tx) => monthMarks(tx, ids.orgA, ["2026-07", "2026-08"].map((month) => ({ month, timeZone: latest.time_zone }))));
    // Nothing changed since August was closed: both months are skipped, and the draft is what a full re-read gives.
    expect(await marks()).toEqual(seen);
    const skipped = await september();
    expect(skipped.summary.adjustments).toEqual([]);
    await db.kysely.updateTable("statements").set({ marks_seen: null }).where("id", "=", latest.id).execute();
    expect(await september()).toEqual(skipped);
    await db.kysely.updateTable("statements").set({ marks_seen: JSON.stringify(seen) }).where("id", "=", latest.id).execute();

    // A late call in August moves August's marks only; September carries exactly that difference.
    await db.kysely.insertInto("llm_calls").values(callRow({ day: "2026-08-15", org: ids.orgA, model: "mock-small", cost: "0.25", prompt: 10, completion: 5 })).execute();
    const after = await marks();
    expect(after["2026-07"]).toBe(seen["2026-07"]);
    expect(after["2026-08"]).not.toBe(seen["2026-08"]);
    const carried = await september();
    expect(carried.summary.adjustments).toHaveLength(1);
    expect(carried.summary.adjustments[0]).toMatchObject({ calls: 1, providerCost: "0.25", correctsMonth: "2026-08-01" });
    // And a full re-read agrees.
    await db.kysely.updateTable("statements").set({ marks_seen: null }).where("id", "=", latest.id).execute();
    expect(await september()).toEqual(carried);
  });
});
