/**
 * `bench:faults` items 10–11 (issue 9, "budgets hold under bursts and across currencies"):
 * a burst against a budget with headroom for exactly 14 calls, and an EUR budget already spent
 * on a USD-priced model (seeded as a 5 USD ledger row; reporting.fx_rates USD → 0.9 EUR).
 */
import { chat, countBy, fmtCounts, pool, row, statusOf, type Ctx, type Row, type Scenario } from "./harness";
import { BUDGET_CALL_USD, BUDGET_HEADROOM_CALLS, type World } from "./seed";

const s10: Scenario<World> = {
  item: 10,
  title: "budget reservation under a burst",
  async run(ctx: Ctx, w: World): Promise<Row[]> {
    const up = w.upstreams["f-budget"]!;
    const s = await ctx.startServer("s10");
    const rows: Row[] = [];
    for (const [org, latency] of [
      ["f10-fast", 0],
      ["f10-slow", 300],
    ] as const) {
      up.reset({ latencyMs: latency });
      const results = await pool(200, 200, 60_000, () => chat(s.port, w.keys[org]!, { max_tokens: 1000 }, { timeoutMs: 30_000 }));
      const c = countBy(results, statusOf);
      const admitted = c["200"] ?? 0;
      await s.drained(20_000);
      const [{ spent } = { spent: "?" }] = await ctx.db.query<{ spent: string }>(
        "select coalesce(sum(cost), 0)::text as spent from llm_calls where organization_id = $1 and status = 'ok'",
        [w.orgs[org]],
      );
      rows.push(
        row(
          10,
          `headroom for ${BUDGET_HEADROOM_CALLS} calls (${BUDGET_CALL_USD} USD each), 200 concurrent, ${latency} ms upstream → admitted`,
          `≤ ${BUDGET_HEADROOM_CALLS} (reserved before calling)`,
          `${admitted} (${(admitted / BUDGET_HEADROOM_CALLS).toFixed(1)}x; ${fmtCounts(c)}; upstream ${up.received}; recorded spend ${spent} USD)`,
          admitted <= BUDGET_HEADROOM_CALLS,
        ),
      );
    }
    return rows;
  },
};

const s11: Scenario<World> = {
  item: 11,
  title: "EUR budget, USD-priced model",
  async run(ctx: Ctx, w: World): Promise<Row[]> {
    const up = w.upstreams["f-usd"]!;
    up.reset();
    const s = await ctx.startServer("s11");
    const results = await pool(100, 10, 60_000, () => chat(s.port, w.keys.f11!, {}, { timeoutMs: 10_000 }));
    const c = countBy(results, statusOf);
    const admitted = c["200"] ?? 0;
    const refusal = results.find((r) => r.status !== 200);
    let errType = "";
    try {
      errType = refusal ? String((JSON.parse(refusal.body) as { error?: { type?: string; code?: string } }).error?.code ?? "") : "";
    } catch {
      errType = "";
    }
    return [
      row(
        11,
        "EUR budget 1.00 spent (5 USD ≈ 4.50 EUR on the USD model) → admitted of 100",
        "0 (429 budget_exceeded)",
        `${admitted} (${fmtCounts(c)}${errType ? `, ${errType}` : ""})`,
        admitted === 0,
      ),
    ];
  },
};

export const BUDGET_SCENARIOS = [s10, s11];
