/**
 * The measuring half of `npm run bench:dashboard`: named cases that call the REAL dashboard data
 * functions (lib/db/*, lib/db/feedback-summary) under RLS as a platform admin and as one
 * organization's finance user, each statement timed at the driver (dashboard-timing.ts). Adding a
 * case is one line in CASES.
 */
import { sql } from "kysely";
import { loadAudit } from "@/lib/db/audit";
import { getCallDetail, listCalls, loadCallFilterOptions } from "@/lib/db/calls";
import type { Database } from "@/lib/db/client";
import { loadCompleteness } from "@/lib/db/completeness";
import { loadCosts } from "@/lib/db/costs";
import { getOverviewStats } from "@/lib/db/overview";
import { withUser, type JwtClaims } from "@/lib/db/rls";
import { feedbackSummary } from "@/lib/db/feedback-summary";
import { encodeCursor, parseCallFilters } from "@/lib/schemas/call-filters";
import type { BenchState } from "./dashboard-data";
import { measureRender, type RenderResult } from "./dashboard-render";
import { describe, installTiming, stats, timed, type Stats } from "./dashboard-timing";

type Who = "admin" | "finance";

export interface Ctx {
  db: Database;
  now: Date;
  /** YYYY-MM-DD, `days` days back from the data's last day, inclusive range ending today. */
  since: (days: number) => string;
  today: string;
  claims: Record<Who, JwtClaims>;
  acme: string;
  deepCursor: string;
  requestId: string;
}

interface Case {
  name: string;
  who: Who;
  run: (c: Ctx, claims: JwtClaims) => Promise<unknown>;
}

const range = (c: Ctx, days: number, org: string | null = null) => ({ from: c.since(days), to: c.today, org });

const BOTH = (name: string, run: Case["run"]): Case[] => [{ name, who: "admin", run }, { name, who: "finance", run }];

export const CASES: Case[] = [
  ...BOTH("overview: stats + 30-day trend", (c, cl) => getOverviewStats(cl, c.now)),
  ...BOTH("costs: 30 days", (c, cl) => loadCosts(c.db, cl, range(c, 30))),
  ...BOTH("costs: 93 days (max range)", (c, cl) => loadCosts(c.db, cl, range(c, 93))),
  { name: "costs: 93 days, one organization", who: "admin", run: (c, cl) => loadCosts(c.db, cl, range(c, 93, c.acme)) },
  // Date ranges (issue 12): a zone whose days are not UTC days reads the ledger; past 93 days, months.
  ...BOTH("costs: 30 days, Europe/Amsterdam days", (c, cl) => loadCosts(c.db, cl, { ...range(c, 30), zone: "Europe/Amsterdam" })),
  { name: "costs: 93 days, one organization, Europe/Amsterdam days", who: "admin", run: (c, cl) => loadCosts(c.db, cl, { ...range(c, 93, c.acme), zone: "Europe/Amsterdam" }) },
  ...BOTH("costs: 395 days by month", (c, cl) => loadCosts(c.db, cl, range(c, 395))),
  ...BOTH("completeness: 30 days", (c, cl) => loadCompleteness(c.db, cl, range(c, 30))),
  ...BOTH("completeness: 93 days (max range)", (c, cl) => loadCompleteness(c.db, cl, range(c, 93))),
  { name: "completeness: 93 days, one organization", who: "admin", run: (c, cl) => loadCompleteness(c.db, cl, range(c, 93, c.acme)) },
  // Zone days (issue 12): outside UTC-day zones Completeness and Feedback read the ledger between the zone's midnights.
  ...BOTH("completeness: 30 days, Europe/Amsterdam days", (c, cl) => loadCompleteness(c.db, cl, { ...range(c, 30), zone: "Europe/Amsterdam" })),
  ...BOTH("completeness: 93 days, Europe/Amsterdam days", (c, cl) => loadCompleteness(c.db, cl, { ...range(c, 93), zone: "Europe/Amsterdam" })),
  ...BOTH("calls: first page, no filter", (c, cl) => listCalls(c.db, cl, parseCallFilters({}))),
  ...BOTH("calls: first page, last 30 days", (c, cl) => listCalls(c.db, cl, parseCallFilters({ from: c.since(30), to: c.today }))),
  ...BOTH("calls: first page, full year", (c, cl) => listCalls(c.db, cl, parseCallFilters({ from: c.since(365), to: c.today }))),
  ...BOTH("calls: failed only, last 90 days", (c, cl) => listCalls(c.db, cl, parseCallFilters({ status: "failed", from: c.since(90), to: c.today }))),
  { name: "calls: one organization + model, 90 days", who: "admin", run: (c, cl) => listCalls(c.db, cl, parseCallFilters({ organization: c.acme, model: "gpt-4o", from: c.since(90), to: c.today })) },
  ...BOTH("calls: deep keyset page (~6 months back)", (c, cl) => listCalls(c.db, cl, parseCallFilters({ cursor: c.deepCursor }))),
  ...BOTH("calls: filter options", (c, cl) => loadCallFilterOptions(c.db, cl)),
  ...BOTH("calls: one request's detail", (c, cl) => getCallDetail(c.db, cl, c.requestId)),
  { name: "audit: first page", who: "admin", run: (c, cl) => loadAudit(c.db, cl, {}) },
  { name: "audit: one area", who: "admin", run: (c, cl) => loadAudit(c.db, cl, { area: "price" }) },
  ...BOTH("feedback summary: 30 days", (c, cl) => withUser(c.db, cl, (tx) => feedbackSummary(tx, { from: c.since(30), to: c.today }))),
  ...BOTH("feedback summary: 90 days", (c, cl) => withUser(c.db, cl, (tx) => feedbackSummary(tx, { from: c.since(90), to: c.today }))),
  ...BOTH("feedback summary: full year", (c, cl) => withUser(c.db, cl, (tx) => feedbackSummary(tx, { from: c.since(365), to: c.today }))),
  ...BOTH("feedback summary: 90 days, Europe/Amsterdam days", (c, cl) => withUser(c.db, cl, (tx) => feedbackSummary(tx, { from: c.since(90), to: c.today, zone: "Europe/Amsterdam" }))),
  ...BOTH("feedback summary: full year, Europe/Amsterdam days", (c, cl) => withUser(c.db, cl, (tx) => feedbackSummary(tx, { from: c.since(365), to: c.today, zone: "Europe/Amsterdam" }))),
];

export interface CaseResult {
  name: string;
  who: Who;
  total: Stats;
  statements: { query: string; sql: string; stats: Stats; pass: boolean }[];
  pass: boolean;
}

async function buildCtx(db: Database, state: BenchState): Promise<Ctx> {
  const k = db.kysely;
  const ids = await k.selectFrom("auth.users").select(["id", "email"]).execute();
  const claimsOf = (email: string): JwtClaims => {
    const u = ids.find((r) => r.email === email);
    if (!u) throw new Error(`bench user ${email} is missing`);
    return { sub: u.id, role: "authenticated", email, aal: "aal1" };
  };
  const acme = await k.selectFrom("organizations").select("id").where("slug", "=", "acme").executeTakeFirstOrThrow();
  const now = new Date(state.windowEnd);
  const today = now.toISOString().slice(0, 10);
  // A position the user reaches by paging: a visible (acme) call about six months back.
  const deep = await sql<{ at: string; id: string; request_id: string }>`
    select created_at::text as at, id, request_id from public.llm_calls
    where organization_id = ${acme.id} and created_at < ${new Date(now.getTime() - 182 * 86_400_000)}
      and created_at >= ${new Date(now.getTime() - 183 * 86_400_000)}
    order by created_at desc, id desc limit 1`.execute(k);
  const row = deep.rows[0];
  if (!row) throw new Error("no call about six months back: is the data generated?");
  return {
    db, now, today, acme: acme.id,
    since: (days) => new Date(now.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10),
    claims: { admin: claimsOf("admin@example.com"), finance: claimsOf("finance@example.com") },
    deepCursor: encodeCursor(row.at, row.id),
    requestId: row.request_id,
  };
}

const pad = (s: string, n: number) => (s.length >= n ? s.slice(0, n) : s + " ".repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : " ".repeat(n - s.length) + s);

export async function runBench(o: {
  db: Database;
  url: string;
  state: BenchState;
  size: Record<string, string | number>;
  log: (line: string) => void;
  machine: string;
}) {
  installTiming();
  // getOverviewStats reads the process-wide database (lib/db/instance): point it at the bench one.
  process.env.DATABASE_URL = o.url;
  process.env.DEMO_SEED = "false";
  const iterations = Math.max(1, Number(process.env.BENCH_ITER ?? 30));
  const warmups = Math.max(0, Number(process.env.BENCH_WARMUP ?? 3));
  const targetMs = Number(process.env.BENCH_TARGET_MS ?? 100);
  const filter = process.env.BENCH_FILTER ? new RegExp(process.env.BENCH_FILTER, "i") : null;
  const ctx = await buildCtx(o.db, o.state);
  const results: CaseResult[] = [];
  o.log(`measuring: ${warmups} warm-ups + ${iterations} iterations per case, target p95 < ${targetMs} ms per query; data ends ${ctx.today}`);

  for (const c of CASES) {
    const label = `${c.name} [${c.who}]`;
    if (filter && !filter.test(label)) continue;
    const claims = ctx.claims[c.who];
    for (let i = 0; i < warmups; i++) await c.run(ctx, claims);
    const totals: number[] = [];
    const perStatement: { sql: string; ms: number[] }[] = [];
    for (let i = 0; i < iterations; i++) {
      const t = await timed(() => c.run(ctx, claims));
      totals.push(t.ms);
      t.statements.forEach((s, j) => {
        perStatement[j] ??= { sql: s.sql, ms: [] };
        perStatement[j].ms.push(s.ms);
      });
    }
    const statements = perStatement.map((s) => {
      const st = stats(s.ms);
      return { query: describe(s.sql), sql: s.sql.replace(/\s+/g, " "), stats: st, pass: st.p95 < targetMs };
    });
    const result: CaseResult = { name: c.name, who: c.who, total: stats(totals), statements, pass: statements.every((s) => s.pass) };
    results.push(result);
    const worst = statements.reduce((a, b) => (b.stats.p95 > a.stats.p95 ? b : a), statements[0]!);
    o.log(`${result.pass ? "PASS" : "FAIL"} ${label}: total p50 ${result.total.p50} / p95 ${result.total.p95} ms; slowest query p95 ${worst.stats.p95} ms (${worst.query})`);
  }

  let render: RenderResult[] = [];
  if (process.env.BENCH_RENDER !== "0" && !filter) {
    render = await measureRender({ url: o.url, ctx, iterations, warmups, log: o.log });
  }

  printTable(results, render, targetMs, o);
  return {
    at: new Date().toISOString(),
    machine: o.machine,
    calls: o.state.target,
    data: o.size,
    generation: { seconds: Math.round(o.state.generationMs / 1000), statements: o.state.batches, windowEnd: o.state.windowEnd },
    iterations,
    warmups,
    targetMs,
    pass: results.every((r) => r.pass),
    cases: results,
    render,
  };
}

function printTable(results: CaseResult[], render: RenderResult[], targetMs: number, o: { size: Record<string, string | number>; state: BenchState; machine: string }) {
  const line = "-".repeat(118);
  console.log(`\n==================== bench:dashboard (${o.state.target.toLocaleString("en")} requests) ====================`);
  console.log(`machine: ${o.machine}; data: ${JSON.stringify(o.size)}`);
  console.log(line);
  console.log(`${pad("case / query", 78)} ${lpad("p50 ms", 8)} ${lpad("p95 ms", 8)} ${lpad("max ms", 8)}  result`);
  console.log(line);
  for (const r of results) {
    console.log(`${pad(`${r.name} [${r.who}] (whole function)`, 78)} ${lpad(r.total.p50.toFixed(1), 8)} ${lpad(r.total.p95.toFixed(1), 8)} ${lpad(r.total.max.toFixed(1), 8)}  ${r.pass ? "PASS" : "FAIL"}`);
    for (const s of r.statements) {
      console.log(`${pad(`    ${s.query}`, 78)} ${lpad(s.stats.p50.toFixed(1), 8)} ${lpad(s.stats.p95.toFixed(1), 8)} ${lpad(s.stats.max.toFixed(1), 8)}  ${s.pass ? "ok" : `FAIL (p95 >= ${targetMs})`}`);
    }
  }
  for (const r of render) {
    console.log(`${pad(`render GET ${r.path} [${r.who}] (${r.bytes} bytes HTML)`, 78)} ${lpad(r.stats.p50.toFixed(1), 8)} ${lpad(r.stats.p95.toFixed(1), 8)} ${lpad(r.stats.max.toFixed(1), 8)}`);
  }
  console.log(line);
  const failed = results.flatMap((r) => r.statements.filter((s) => !s.pass).map((s) => `${r.name} [${r.who}]: ${s.query}`));
  console.log(failed.length === 0 ? `all ${results.reduce((n, r) => n + r.statements.length, 0)} queries: p95 < ${targetMs} ms` : `queries over ${targetMs} ms p95:\n  ${failed.join("\n  ")}`);
}
