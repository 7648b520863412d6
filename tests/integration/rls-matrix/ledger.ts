import { sql, type RawBuilder } from "kysely";
import { CALL_PARTITION, ids } from "@/tests/helpers/fixtures";
import { DENIED, everyone, FILTERED, OK, read, RLS, write, type TableMatrix } from "@/tests/helpers/rls-matrix";

/**
 * The ledger (calls, partitions, rollups), feedback and learning. Column order in every row:
 *   anon, viewer A, finance A, admin A, platform admin, outsider (signed in, no membership).
 */

const F = FILTERED;
/** Asks for organization B's rows by name: for A's members, RLS must answer with nothing. */
const onlyB = (table: string) =>
  sql<{ k: string }>`select organization_id::text as k from ${sql.table(`public.${table}`)} where organization_id = ${ids.orgB}`;
const byOrg = (table: string) => sql<{ k: string }>`select distinct coalesce(organization_id::text, 'none') as k from ${sql.table(`public.${table}`)}`;

/** The ledger is append-only for users: the gateway and repricing jobs write it as the service role. */
function ledgerMatrix(table: string, insert: RawBuilder<unknown>, update: RawBuilder<unknown>, remove: RawBuilder<unknown>): TableMatrix {
  return {
    table,
    why: "members read their organization's rows (null organization: platform-wide members only); no user role writes, not even a platform admin",
    ops: [
      //                                   anon    viewerA  financeA adminA  platform              outsider
      read("select (by organization)", byOrg(table), [DENIED, ["A"],   ["A"],   ["A"],  ["A", "B", "none"],   []]),
      read("select organization B's rows", onlyB(table), [DENIED, [],      [],      [],     ["B"],                []]),
      write("insert", insert, everyone(DENIED)),
      write("update", update, everyone(DENIED)),
      write("delete", remove, everyone(DENIED)),
    ],
  };
}

/** A partition reached directly: no user grants at all, so only the parent's policies ever apply. */
function partitionMatrix(partition: string): TableMatrix {
  const table = sql.table(`public.${partition}`);
  return {
    table: `${partition} (partition, accessed directly)`,
    ops: [
      read("select", sql`select id::text as k from ${table}`, everyone(DENIED)),
      write("insert", sql`insert into ${table} (request_id, created_at, organization_id, status)
                          values (gen_random_uuid(), '2026-11-11T00:00:00Z', ${ids.orgA}, 'ok')`, everyone(DENIED)),
      write("update", sql`update ${table} set cost = 0, pricing_source = 'database', currency = 'USD'`, everyone(DENIED)),
      write("delete", sql`delete from ${table}`, everyone(DENIED)),
    ],
  };
}

export const ledgerMatrices: TableMatrix[] = [
  ledgerMatrix("llm_calls",
    sql`insert into public.llm_calls (request_id, created_at, organization_id, status) values (gen_random_uuid(), '2026-11-11T00:00:00Z', ${ids.orgA}, 'ok')`,
    sql`update public.llm_calls set cost = 0 where id = ${ids.calls.A}`,
    sql`delete from public.llm_calls where id = ${ids.calls.A}`),
  partitionMatrix(CALL_PARTITION),
  ledgerMatrix("llm_call_daily",
    sql`insert into public.llm_call_daily (day, organization_id, calls) values ('2026-11-11', ${ids.orgA}, 1000)`,
    sql`update public.llm_call_daily set cost = 0 where organization_id = ${ids.orgA}`,
    sql`delete from public.llm_call_daily where organization_id = ${ids.orgA}`),
  ledgerMatrix("llm_call_key_hourly",
    sql`insert into public.llm_call_key_hourly (hour, organization_id, calls) values ('2026-11-11T00:00:00Z', ${ids.orgA}, 1000)`,
    sql`update public.llm_call_key_hourly set cost = 0 where organization_id = ${ids.orgA}`,
    sql`delete from public.llm_call_key_hourly where organization_id = ${ids.orgA}`),
  {
    // The fixture's A and B calls are complete, so its trigger-kept rows are the unattributed
    // call's only: members of A must not see it, a platform member must; the policy is
    // llm_call_daily's (whose A/B rows are checked above).
    table: "llm_call_incomplete_daily",
    why: "members read their organization's incomplete-call counts (null organization: platform-wide members only); no user role writes",
    ops: [
      //                                   anon    viewerA  financeA adminA  platform  outsider
      read("select (by organization)", byOrg("llm_call_incomplete_daily"), [DENIED, [], [], [], ["none"], []]),
      read("select organization B's rows", onlyB("llm_call_incomplete_daily"), [DENIED, [], [], [], [], []]),
      write("insert", sql`insert into public.llm_call_incomplete_daily (day, organization_id, calls) values ('2026-11-11', ${ids.orgA}, 1000)`, everyone(DENIED)),
      write("update", sql`update public.llm_call_incomplete_daily set calls = 0`, everyone(DENIED)),
      write("delete", sql`delete from public.llm_call_incomplete_daily`, everyone(DENIED)),
    ],
  },
  ledgerMatrix("production_feedback_daily",
    sql`insert into public.production_feedback_daily (day, organization_id, feedback) values ('2026-11-11', ${ids.orgA}, 1000)`,
    sql`update public.production_feedback_daily set feedback = 0 where organization_id = ${ids.orgA}`,
    sql`delete from public.production_feedback_daily where organization_id = ${ids.orgA}`),
  {
    table: "budget_alerts",
    why: "members read their organization's alerts; the gateway writes them as the service role; nobody edits them from a session",
    ops: [
      //                                                   anon    viewerA  financeA adminA  platform    outsider
      read("select (by organization)", byOrg("budget_alerts"), [DENIED, ["A"],   ["A"],   ["A"],  ["A", "B"], []]),
      read("select organization B's rows", onlyB("budget_alerts"), [DENIED, [],   [],      [],     ["B"],      []]),
      write("insert", sql`insert into public.budget_alerts (organization_id, month, threshold_pct, spent, budget, currency, policy)
                          values (${ids.orgA}, '2026-11-01', 100, 11, 10, 'EUR', 'alert')`, everyone(DENIED)),
      write("update", sql`update public.budget_alerts set notified_at = now() where organization_id = ${ids.orgA}`, everyone(DENIED)),
      write("delete", sql`delete from public.budget_alerts where organization_id = ${ids.orgA}`, everyone(DENIED)),
    ],
  },
  {
    table: "production_feedback",
    why: "members read their organization's feedback; it arrives through the API (service role); only platform admins insert or delete from a session",
    ops: [
      //                                                                                anon    viewerA  financeA adminA  platform             outsider
      read("select (by organization)", byOrg("production_feedback"),                     [DENIED, ["A"],   ["A"],   ["A"],  ["A", "B", "none"],  []]),
      read("select organization B's rows", onlyB("production_feedback"),                 [DENIED, [],      [],      [],     ["B"],               []]),
      // Fresh request ids: requests A and B already have their one feedback (unique per request, issue 9).
      write("insert A", sql`insert into public.production_feedback (request_id, organization_id, quality_score, source)
                            values ('00000000-0000-4000-8000-00000000f00a', ${ids.orgA}, 1, 'dashboard')`,  [DENIED, RLS, RLS, RLS, OK, RLS]),
      write("insert B", sql`insert into public.production_feedback (request_id, organization_id, quality_score, source)
                            values ('00000000-0000-4000-8000-00000000f00b', ${ids.orgB}, 1, 'dashboard')`,  [DENIED, RLS, RLS, RLS, OK, RLS]),
      write("update A", sql`update public.production_feedback set quality_score = 1 where id = ${ids.feedback.A}`, everyone(DENIED)),
      write("delete A", sql`delete from public.production_feedback where id = ${ids.feedback.A}`, [DENIED, F, F, F, OK, F]),
      write("delete B", sql`delete from public.production_feedback where id = ${ids.feedback.B}`, [DENIED, F, F, F, OK, F]),
    ],
  },
  {
    table: "learning_overrides",
    why: "learned overrides change routing for every organization: members read them, platform admins write them",
    ops: [
      read("select", sql`select id::text as k from public.learning_overrides`,              [DENIED, ["override"], ["override"], ["override"], ["override"], []]),
      write("insert", sql`insert into public.learning_overrides (app_id, action_type, query_pattern, model_id, confidence, samples)
                          values (${ids.app}, 'classify', 'long', ${ids.models.primary}, 'low', 3)`, [DENIED, RLS, RLS, RLS, OK, RLS]),
      write("update", sql`update public.learning_overrides set active = false where id = ${ids.override}`, [DENIED, F, F, F, OK, F]),
      write("delete", sql`delete from public.learning_overrides where id = ${ids.override}`,          [DENIED, F, F, F, OK, F]),
    ],
  },
  {
    table: "retrain_runs",
    why: "admins (org or platform) read the runs; only platform admins start or change one",
    ops: [
      read("select", sql`select id::text as k from public.retrain_runs`,                      [DENIED, [], [], ["run"], ["run"], []]),
      write("insert", sql`insert into public.retrain_runs (dry_run) values (true)`,           [DENIED, RLS, RLS, RLS, OK, RLS]),
      write("update", sql`update public.retrain_runs set status = 'failed' where id = ${ids.run}`, [DENIED, F, F, F, OK, F]),
      write("delete", sql`delete from public.retrain_runs where id = ${ids.run}`,             [DENIED, F, F, F, OK, F]),
    ],
  },
  {
    table: "provider_circuits",
    why: "the gateway's shared circuit breakers: service role only, no session reads or writes them",
    ops: [
      read("select", sql`select provider as k from public.provider_circuits`, everyone(DENIED)),
      write("insert", sql`insert into public.provider_circuits (provider, expires_at) values ('p', now())`, everyone(DENIED)),
      write("update", sql`update public.provider_circuits set failures = 0`, everyone(DENIED)),
      write("delete", sql`delete from public.provider_circuits`, everyone(DENIED)),
    ],
  },
  {
    table: "response_cache",
    why: "the gateway's response cache (answers of every organization): service role only, no session reads or writes it",
    ops: [
      read("select", sql`select key as k from public.response_cache`, everyone(DENIED)),
      write("insert", sql`insert into public.response_cache (key, organization_key, app_id, entry, bytes, expires_at)
                          values (${"a".repeat(64)}, '', ${ids.app}, '{}', 2, now())`, everyone(DENIED)),
      write("update", sql`update public.response_cache set entry = '{}'`, everyone(DENIED)),
      write("delete", sql`delete from public.response_cache`, everyone(DENIED)),
    ],
  },
  {
    table: "rate_limit_windows",
    why: "the gateway's shared rate-limit counters: service role only, no session reads or writes them",
    ops: [
      read("select", sql`select key_id::text as k from public.rate_limit_windows`, everyone(DENIED)),
      write("insert", sql`insert into public.rate_limit_windows (key_id, bucket, hits) values (${ids.apiKeys.A}, 1, 1)`, everyone(DENIED)),
      write("update", sql`update public.rate_limit_windows set hits = 0`, everyone(DENIED)),
      write("delete", sql`delete from public.rate_limit_windows`, everyone(DENIED)),
    ],
  },
  {
    table: "reprice_jobs",
    why: "platform admins (who may reprice) read the jobs; only the service path writes them, after the application checked the role",
    ops: [
      read("select", sql`select id::text as k from public.reprice_jobs`,                      [DENIED, [], [], [], ["repriceJob"], []]),
      write("insert", sql`insert into public.reprice_jobs (status) values ('done')`,          everyone(DENIED)),
      write("update", sql`update public.reprice_jobs set status = 'failed' where id = ${ids.repriceJob}`, everyone(DENIED)),
      write("delete", sql`delete from public.reprice_jobs where id = ${ids.repriceJob}`,      everyone(DENIED)),
    ],
  },
];
