import { sql } from "kysely";
import { billingRates, type StatementTerms } from "@/lib/engine/statement";
import { closeRefusal, monthDate, REFUSAL_TEXT, reopenRefusal } from "@/lib/engine/statement-period";
import { loadReportingCurrency } from "./currency";
import { isPlatformAdmin } from "./platform-admin";
import type { UserTx } from "./rls";
import { insertFrozenLines } from "./statement-lines";
import { monthMarks } from "./statement-marks";
import { billingTerms, clientPriceList, closedStatements, draftLines } from "./statements";
import { timeZoneFor } from "./time-zone";
import { WriteRefusal } from "./write-refusal";

/**
 * Period close and reopen (issue 13), as the signed-in user under RLS: only platform admins pass
 * the policies on statements and statement_lines; the audit trigger records both acts (a reopen
 * with its reason). Closing freezes the draft exactly as it is shown (usage lines and, on the month
 * after the latest closed one, the adjustments of closed months) with the terms, time zone and
 * rates it was computed with. Rules in lib/engine/statement-period.ts.
 */

export interface CloseResult {
  statementId: string;
  lines: number;
}

export async function closeStatement(tx: UserTx, organizationId: string, month: string, actorEmail: string | null, now = new Date()): Promise<CloseResult> {
  if (!(await isPlatformAdmin(tx))) throw new WriteRefusal("Only platform administrators close statements.");
  return freezeStatement(tx, organizationId, month, actorEmail, now);
}

/**
 * The close itself, without the role check: closeStatement (as the user, under RLS) and the demo
 * seed (service path, closed_by null) use it.
 */
export async function freezeStatement(tx: UserTx, organizationId: string, month: string, actorEmail: string | null, now: Date): Promise<CloseResult> {
  const org = await tx.selectFrom("organizations").select("id").where("id", "=", organizationId).executeTakeFirst();
  if (!org) throw new WriteRefusal("No such organization.");
  // One close or reopen per organization at a time: the checks below read what a second one would change.
  await sql`select pg_advisory_xact_lock(hashtextextended(${`statement:${organizationId}`}, 0))`.execute(tx);
  const statements = await closedStatements(tx, organizationId);
  const zone = await timeZoneFor(tx, organizationId);
  const refusal = closeRefusal(month, zone, now, statements.filter((s) => s.status === "closed").map((s) => s.month));
  if (refusal) throw new WriteRefusal(REFUSAL_TEXT[refusal]);
  const reporting = await loadReportingCurrency(tx);
  const terms = await billingTerms(tx, organizationId, reporting);
  const draftTerms: StatementTerms = { billingCurrency: terms.billingCurrency, markupPct: terms.markupPct, rates: billingRates(reporting, terms.billingCurrency) };
  // The change marks of every closed month and this one, read before the rollup (lib/db/statement-marks.ts).
  const closedNow = statements.filter((s) => s.status === "closed" && s.month !== month);
  const seen = await monthMarks(tx, organizationId, [...closedNow, { month, timeZone: zone }]);
  const lines = await draftLines(tx, organizationId, month, zone, draftTerms, statements, await clientPriceList(tx, organizationId));
  const values = {
    status: "closed" as const,
    time_zone: zone,
    billing_currency: draftTerms.billingCurrency,
    markup_pct: draftTerms.markupPct,
    fx_rates: JSON.stringify(draftTerms.rates),
    closed_at: sql<Date>`now()`,
    closed_by: sql<string>`auth.uid()`,
    closed_by_email: actorEmail,
    marks_seen: JSON.stringify(seen),
  };
  const reopened = statements.find((s) => s.month === month);
  const row = reopened
    ? await tx.updateTable("statements").set(values).where("id", "=", reopened.id).returning("id").executeTakeFirstOrThrow()
    : await tx.insertInto("statements").values({ ...values, organization_id: organizationId, month: monthDate(month) }).returning("id").executeTakeFirstOrThrow();
  await insertFrozenLines(tx, row.id, lines);
  return { statementId: row.id, lines: lines.length };
}

export async function reopenStatement(tx: UserTx, organizationId: string, month: string, reason: string): Promise<{ statementId: string }> {
  if (!(await isPlatformAdmin(tx))) throw new WriteRefusal("Only platform administrators reopen statements.");
  await sql`select pg_advisory_xact_lock(hashtextextended(${`statement:${organizationId}`}, 0))`.execute(tx);
  const statements = await closedStatements(tx, organizationId);
  const refusal = reopenRefusal(month, statements.filter((s) => s.status === "closed").map((s) => s.month));
  if (refusal) throw new WriteRefusal(REFUSAL_TEXT[refusal]);
  const statement = statements.find((s) => s.month === month);
  if (!statement) throw new WriteRefusal(REFUSAL_TEXT.not_closed);
  // Status first: the lines guard lets a statement's lines go only once it is no longer closed.
  await tx
    .updateTable("statements")
    .set({ status: "reopened", reopened_at: sql<Date>`now()`, reopened_by: sql<string>`auth.uid()`, reopen_reason: reason })
    .where("id", "=", statement.id)
    .execute();
  await tx.deleteFrom("statement_lines").where("statement_id", "=", statement.id).execute();
  return { statementId: statement.id };
}
