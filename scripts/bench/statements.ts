/**
 * npm run bench:statements: client statements at 10 M calls a month (issue 13 performance goals:
 * render < 1 s from the rollups, close < 30 s). Generates statement-rollup rows equivalent to
 * BENCH_CALLS calls per month for one organization, over two months, directly in
 * llm_call_statement_hourly (every hour × BENCH_APPS apps × BENCH_MODELS models × BENCH_ACTIONS
 * actions; the rollup is what statements read, never the ledger), with a client price list for one
 * model. Then, through the real lib/db functions under RLS as the platform admin: closes the first
 * month (timed), renders the second month's draft with the closed month unchanged (its change
 * marks say so: not re-read), the closed month (frozen lines) and the finance user's view, then
 * the draft after a late record lands in the closed month (re-read for the adjustment: the
 * heaviest read, two month aggregations), and the CSV and FOCUS rows. Closing is repeated after a
 * reopen.
 *
 * Environment:
 *   BENCH_DATABASE_URL   a PostgreSQL to use (required unless BENCH_PG_PORT/BENCH_PG_DIR start one);
 *                        generated data is kept and reused (marker: bench_statements organization)
 *   BENCH_PG_PORT=55461 BENCH_PG_DIR=/tmp/llmcp-bench-statements-pg   the PostgreSQL started otherwise
 *   BENCH_CALLS=10000000 calls per month; BENCH_APPS=5 BENCH_MODELS=8 BENCH_ACTIONS=6
 *   BENCH_ITER=10        timed renders per case (after one warm-up); closes: BENCH_CLOSES=3
 */
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { openDatabase, type Database } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrator";
import { withUser, type JwtClaims } from "@/lib/db/rls";
import { loadStatement } from "@/lib/db/statements";
import { closeStatement, reopenStatement } from "@/lib/db/statements-close";
import { errorDetail } from "@/lib/errors";
import { focusToCsv } from "@/lib/reports/focus";
import { statementToCsv } from "@/lib/reports/statement-csv";
import { startPostgres, type PgHandle } from "./dashboard-pg";

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return Math.floor(v);
};
const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

const CALLS = num("BENCH_CALLS", 10_000_000);
const APPS = num("BENCH_APPS", 5);
const MODELS = num("BENCH_MODELS", 8);
const ACTIONS = num("BENCH_ACTIONS", 6);
const ITER = num("BENCH_ITER", 10);
const CLOSES = num("BENCH_CLOSES", 3);
const MONTHS = ["2026-09", "2026-10"] as const;
const NOW = new Date("2026-12-07T12:00:00Z");

const ids = {
  org: "5be00000-0000-4000-8000-000000000001",
  admin: "5be00000-0000-4000-8000-0000000000a1",
  finance: "5be00000-0000-4000-8000-0000000000f1",
  provider: "5be00000-0000-4000-8000-0000000000b1",
};
const appId = (i: number) => `5be00000-0000-4000-8000-0000000001${String(i).padStart(2, "0")}`;
const modelId = (i: number) => `5be00000-0000-4000-8000-0000000002${String(i).padStart(2, "0")}`;
const claims = (sub: string): JwtClaims => ({ sub, role: "authenticated", email: `${sub.slice(-2)}@bench.test` });

async function generate(db: Database): Promise<void> {
  const k = db.kysely;
  const have = await k.selectFrom("organizations").select("id").where("id", "=", ids.org).executeTakeFirst();
  if (have) {
    log("bench data present: reused");
    return;
  }
  const started = performance.now();
  await k.transaction().execute(async (trx) => {
    await trx.insertInto("organizations").values({ id: ids.org, slug: "bench-statements", name: "Bench statements", tier: "standard" }).execute();
    await trx.insertInto("auth.users").values([{ id: ids.admin, email: "a1@bench.test" }, { id: ids.finance, email: "f1@bench.test" }]).execute();
    await trx.insertInto("memberships").values([
      { user_id: ids.admin, organization_id: null, role: "admin" },
      { user_id: ids.finance, organization_id: ids.org, role: "finance" },
    ]).execute();
    await trx.insertInto("llm_providers").values({ id: ids.provider, code: "bench-prov", name: "Bench provider", kind: "mock" }).execute();
    await trx.insertInto("llm_models").values(Array.from({ length: MODELS }, (_, i) => ({ id: modelId(i), provider_id: ids.provider, model_code: `bench-model-${i}`, display_name: `Bench model ${i}` }))).execute();
    await trx.insertInto("apps").values(Array.from({ length: APPS }, (_, i) => ({ id: appId(i), code: `bench-app-${i}`, name: `Bench app ${i}` }))).execute();
    await trx.insertInto("billing_terms").values({ organization_id: ids.org, billing_currency: "EUR", markup_pct: "20" }).execute();
    await trx.insertInto("client_prices").values({ organization_id: ids.org, model_id: modelId(0), input_per_mtok: "0.5", output_per_mtok: "2", currency: "EUR", effective_from: "2026-01-01" }).execute();
    await trx.insertInto("app_configuration").values([
      { key: "reporting.currency", scope: "global", value_type: "string", value: JSON.stringify("EUR") },
      { key: "reporting.fx_rates", scope: "global", value_type: "json", value: JSON.stringify({ USD: "0.92" }) },
    ]).onConflict((oc) => oc.doNothing()).execute();
    for (const month of MONTHS) {
      // Every hour × app × model × action; calls spread so the month adds up to CALLS exactly.
      await sql`
        with h as (select generate_series(${`${month}-01T00:00:00Z`}::timestamptz, ${`${month}-01T00:00:00Z`}::timestamptz + interval '1 month' - interval '1 hour', interval '1 hour') as hour),
        combos as (select a, m, x from generate_series(0, ${APPS - 1}) a, generate_series(0, ${MODELS - 1}) m, generate_series(0, ${ACTIONS - 1}) x),
        rows as (select h.hour, c.a, c.m, c.x, row_number() over () - 1 as n, count(*) over () as total from h cross join combos c)
        insert into public.llm_call_statement_hourly (hour, organization_id, app_id, provider_code, model_code, action_type, currency, calls,
          calls_without_cost, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cost)
        select hour, ${ids.org}::uuid, ('5be00000-0000-4000-8000-0000000001' || lpad(a::text, 2, '0'))::uuid, 'bench-prov', 'bench-model-' || m,
          'action-' || x, case when m % 3 = 2 then 'USD' else 'EUR' end, q, q / 100, q * 900, q * 150, q * 200, q * 10, q * 5, q, q * 0.000123456789
        from (select *, (${CALLS}::bigint / total + case when n < ${CALLS}::bigint % total then 1 else 0 end) as q from rows) r`.execute(trx);
    }
  });
  const { rows } = await sql<{ n: string; calls: string }>`select count(*)::text as n, sum(calls)::text as calls from public.llm_call_statement_hourly where organization_id = ${ids.org}::uuid`.execute(k);
  log(`generated ${rows[0]?.n} rollup rows (${rows[0]?.calls} calls over ${MONTHS.length} months) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await sql`analyze public.llm_call_statement_hourly`.execute(k);
}

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const p = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return `p50 ${p(0.5).toFixed(0)} ms, p95 ${p(0.95).toFixed(0)} ms, max ${(s.at(-1) ?? 0).toFixed(0)} ms (n=${s.length})`;
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

async function main(): Promise<void> {
  let pg: PgHandle | null = null;
  let url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    pg = await startPostgres({ port: num("BENCH_PG_PORT", 55461), dir: process.env.BENCH_PG_DIR ?? "/tmp/llmcp-bench-statements-pg", log });
    url = pg.url;
  }
  const db = await openDatabase({ url, mode: "server", poolMax: 4 });
  try {
    await migrate(db, { log });
    await generate(db);
    const admin = claims(ids.admin);
    const [first, second] = MONTHS;
    // Start from a known state: nothing closed.
    await withUser(db, admin, async (tx) => {
      const closed = await tx.selectFrom("statements").select(["month"]).where("organization_id", "=", ids.org).where("status", "=", "closed").orderBy("month", "desc").execute();
      for (const s of closed) await reopenStatement(tx, ids.org, s.month.slice(0, 7), "bench reset");
    });
    // One month's draft, nothing closed yet: one 10 M-call month aggregated.
    const single: number[] = [];
    await withUser(db, admin, (tx) => loadStatement(tx, ids.org, first));
    for (let i = 0; i < ITER; i++) single.push((await time(() => withUser(db, admin, (tx) => loadStatement(tx, ids.org, first))))[0]);
    const closes: number[] = [];
    for (let i = 0; i < CLOSES; i++) {
      const [ms, r] = await time(() => withUser(db, admin, (tx) => closeStatement(tx, ids.org, first, "a1@bench.test", NOW)));
      closes.push(ms);
      log(`close ${first}: ${ms.toFixed(0)} ms (${r.lines} lines)`);
      if (i < CLOSES - 1) await withUser(db, admin, (tx) => reopenStatement(tx, ids.org, first, "bench repeat"));
    }
    const cases: [string, JwtClaims, string][] = [
      [`draft ${second}, ${first} closed and unchanged since (platform admin)`, admin, second],
      [`draft ${second} (finance)`, claims(ids.finance), second],
      [`closed ${first} (finance)`, claims(ids.finance), first],
    ];
    const results: string[] = [
      `render draft ${first}, nothing closed (platform admin): ${stats(single)}`,
      `close ${first} (${CALLS.toLocaleString("en")} calls): ${stats(closes)}`,
    ];
    const render = async (name: string, who: JwtClaims, month: string) => {
      await withUser(db, who, (tx) => loadStatement(tx, ids.org, month));
      const runs: number[] = [];
      let lines = 0;
      for (let i = 0; i < ITER; i++) {
        const [ms, v] = await time(() => withUser(db, who, (tx) => loadStatement(tx, ids.org, month)));
        runs.push(ms);
        lines = v?.lines.length ?? 0;
      }
      results.push(`render ${name}: ${stats(runs)}, ${lines} lines`);
    };
    for (const [name, who, month] of cases) await render(name, who, month);
    // A late record in the closed month (a spool replay): its change marks move, so the draft
    // re-reads that month to carry the adjustment (the heaviest read: two month aggregations).
    const late = { id: "5be00000-0000-4000-8000-0000000003f1", created_at: new Date(`${first}-20T10:00:00Z`) };
    await db.kysely.deleteFrom("llm_calls").where("id", "=", late.id).execute();
    await db.kysely
      .insertInto("llm_calls")
      .values({
        ...late, request_id: late.id, app_id: appId(0), organization_id: ids.org, action_type: "action-0", provider_id: ids.provider,
        provider_code: "bench-prov", model_id: modelId(1), model_code: "bench-model-1", prompt_tokens: 100, completion_tokens: 10,
        total_tokens: 110, cost: "0.5", currency: "EUR", pricing_source: "database", status: "ok",
      })
      .execute();
    try {
      await render(`draft ${second} with an adjustment of ${first} after a late record (platform admin)`, admin, second);
    } finally {
      await db.kysely.deleteFrom("llm_calls").where("id", "=", late.id).execute();
    }
    const view = await withUser(db, admin, (tx) => loadStatement(tx, ids.org, second));
    if (view) {
      const [csvMs] = await time(async () => statementToCsv(view));
      const [focusMs] = await time(async () => focusToCsv(view));
      results.push(`CSV ${csvMs.toFixed(1)} ms, FOCUS ${focusMs.toFixed(1)} ms for ${view.lines.length} lines`);
    }
    console.log("\nStatements benchmark (targets: render < 1000 ms, close < 30000 ms)");
    for (const r of results) console.log(`  ${r}`);
  } finally {
    await db.close();
    await pg?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`[bench] failed: ${errorDetail(err)}`);
  process.exitCode = 1;
});
