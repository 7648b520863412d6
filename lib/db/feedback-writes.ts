import { sql, type Insertable, type Kysely } from "kysely";
import type { DB, ProductionFeedbackTable } from "./schema";

/**
 * The gateway's feedback endpoint (lib/gateway/handlers/feedback.ts) in the ledger: the answered
 * call a feedback is about, looked up by request and app, and the one-per-request feedback row,
 * replaced on a repeat. Runs as the service role (the handler has scoped both by the app key).
 */

export interface AnsweredCall {
  app_id: string | null;
  organization_id: string | null;
  action_type: string | null;
  query_pattern: string | null;
  provider_code: string | null;
  model_code: string | null;
}

/** The request's latest attempt for this app, an answered one first; undefined when there is none. */
export async function findAnsweredCall(db: Kysely<DB>, requestId: string, appId: string): Promise<AnsweredCall | undefined> {
  return db
    .selectFrom("llm_calls")
    .select(["app_id", "organization_id", "action_type", "query_pattern", "provider_code", "model_code"])
    .where("request_id", "=", requestId)
    .where("app_id", "=", appId)
    .orderBy("status", "desc") // 'ok' before 'failed'
    .orderBy("attempt", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** Inserts the request's feedback or replaces it (score, correctness, comment, time); `inserted` tells which. */
export async function upsertRequestFeedback(
  db: Kysely<DB>,
  values: Insertable<ProductionFeedbackTable>,
): Promise<{ id: string; created_at: Date; inserted: boolean }> {
  return db
    .insertInto("production_feedback")
    .values(values)
    .onConflict((oc) => oc.column("request_id").doUpdateSet({ ...values, created_at: sql<Date>`now()` }))
    // xmax is 0 on a freshly inserted row version, the updater's xid on an updated one.
    .returning(["id", "created_at", sql<boolean>`(xmax::text = '0')`.as("inserted")])
    .executeTakeFirstOrThrow();
}
