import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { getCallDetail, listCalls, loadCallFilterOptions, loadCallTotals, parseTrace, type CallRow } from "@/lib/db/calls";
import { callCsvLine, callsCsvHeader } from "@/lib/reports/calls-csv";
import { parseCallFilters, type CallFilters } from "@/lib/schemas/call-filters";
import { NOT_RECORDED } from "@/lib/schemas/calls-href";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { CALL_TIME, claimsFor, createFixtureWorld, ids } from "@/tests/helpers/fixtures";

/**
 * The Calls page's loaders: RLS scoping, every filter, sorts with keyset pagination, the total
 * line (converted by the reporting rule) and the CSV lines, plus the request detail.
 */

const retryRequest = "15000000-0000-4000-8000-0000000000ff";
const trace = [
  { rule: "candidates", outcome: "chosen", detail: "org A override" },
  { rule: "budget", outcome: "skipped", detail: "no budget" },
];

for (const target of databaseTargets()) {
  describe(`calls loaders on ${target.name}`, () => {
    let db: Database;

    beforeAll(async () => {
      db = await openMigrated(target);
      await createFixtureWorld(db.kysely);
      // A request of org A whose first attempt failed and whose fallback succeeded, plus filler
      // calls (same timestamp, so the keyset must break ties on id) for pagination.
      const base = { app_id: ids.app, organization_id: ids.orgA, action_type: "classify", provider_code: "rls-mock", created_at: CALL_TIME };
      await db.kysely
        .insertInto("llm_calls")
        .values([
          { ...base, request_id: retryRequest, attempt: 1, model_code: "mock-large", status: "failed", error_type: "rate_limited", trace: JSON.stringify(trace) },
          { ...base, request_id: retryRequest, attempt: 2, model_code: "mock-small", status: "ok", is_fallback: true, total_tokens: 50, cost: "0.000100000000", currency: "USD", pricing_source: "fallback",
            cached_tokens: 5, cache_write_tokens: 3, cache_write_price_per_mtok: "0.125" },
          // Fillers: no stage/type, latency 0..400, tokens unknown for the first; the last is
          // priced in EUR with a cost far below a cent (kept exactly), one reads the cache.
          ...Array.from({ length: 5 }, (_, i) => ({
            ...base,
            request_id: `15000000-0000-4000-8000-0000000001${i}0`,
            model_code: "mock-large",
            status: "ok" as const,
            latency_ms: 100 * i,
            total_tokens: i === 0 ? null : 10 * i,
            cached_tokens: i === 2 ? 7 : 0,
            user_ref: i === 3 ? "student-42" : null,
            action_type: i === 3 ? "summarize" : "classify",
            ...(i === 4 ? { cost: "0.000000000123", currency: "EUR", pricing_source: "database" as const } : {}),
          })),
          // Refused before any provider: nothing to price, so not "without cost".
          { ...base, request_id: "15000000-0000-4000-8000-0000000002f0", provider_code: null, model_code: null, status: "failed", error_type: "rate_limited", total_tokens: 0 },
        ])
        .execute();
    }, 120_000);
    afterAll(async () => db?.close());

    it("shows a finance user of A only A's calls", async () => {
      const page = await listCalls(db, claimsFor("financeA"), parseCallFilters({}), 100);
      expect(page.rows.length).toBe(9);
      expect(new Set(page.rows.map((r) => r.organizationName))).toEqual(new Set(["Org A"]));
      expect(page.rows.map((r) => r.requestId)).not.toContain(ids.requests.B);
    });

    it("shows a platform admin every call, including those without an organization", async () => {
      const page = await listCalls(db, claimsFor("platformAdmin"), parseCallFilters({}), 100);
      expect(page.rows.length).toBe(11);
    });

    it("filters by status, model and request id", async () => {
      const failed = await listCalls(db, claimsFor("adminA"), parseCallFilters({ status: "failed", provider: "rls-mock" }));
      expect(failed.rows.map((r) => [r.requestId, r.attempt])).toEqual([[retryRequest, 1]]);
      const small = await listCalls(db, claimsFor("adminA"), parseCallFilters({ model: "mock-small" }));
      expect(small.rows.map((r) => r.isFallback)).toEqual([true]);
      const one = await listCalls(db, claimsFor("adminA"), parseCallFilters({ requestId: retryRequest }));
      expect(one.rows.length).toBe(2);
      const outside = await listCalls(db, claimsFor("adminA"), parseCallFilters({ from: "2026-12-01" }));
      expect(outside.rows).toEqual([]);
      const inside = await listCalls(db, claimsFor("adminA"), parseCallFilters({ from: "2026-11-10", to: "2026-11-10" }));
      expect(inside.rows.length).toBe(9);
    });

    it("ignores malformed filters instead of failing", () => {
      expect(parseCallFilters({ status: "bogus", organization: "x", from: "yesterday", model: "m" })).toEqual({ model: "m" });
    });

    it("pages with a keyset cursor without gaps or repeats", async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 10; i++) {
        const page = await listCalls(db, claimsFor("financeA"), parseCallFilters(cursor ? { cursor } : {}), 3);
        seen.push(...page.rows.map((r) => r.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(seen.length).toBe(9);
      expect(new Set(seen).size).toBe(9);
    });

    it("loads a request's attempts, trace and feedback", async () => {
      const detail = await getCallDetail(db, claimsFor("viewerA"), retryRequest);
      expect(detail?.attempts.map((a) => [a.attempt, a.status, a.isFallback])).toEqual([
        [1, "failed", false],
        [2, "ok", true],
      ]);
      expect(detail?.attempts[0]?.trace).toEqual(trace);
      expect(detail?.attempts[1]).toMatchObject({ cost: "0.000100000000", currency: "USD", pricingSource: "fallback" });
      // Prompt-cache writes and their price, for the attempt card (null = none reported).
      expect(detail?.attempts.map((a) => [a.cachedTokens, a.cacheWriteTokens, a.cacheWritePricePerMtok])).toEqual([
        [null, null, null],
        [5, 3, "0.12500000"],
      ]);
      const withFeedback = await getCallDetail(db, claimsFor("viewerA"), ids.requests.A);
      expect(withFeedback?.feedback.map((f) => f.qualityScore)).toEqual([4]);
    });

    it("hides another organization's request (RLS)", async () => {
      expect(await getCallDetail(db, claimsFor("viewerB"), retryRequest)).toBeNull();
      expect(await getCallDetail(db, claimsFor("outsider"), ids.requests.A)).toBeNull();
    });

    it("offers only visible organizations as filter choices", async () => {
      const options = await loadCallFilterOptions(db, claimsFor("financeA"));
      expect(options.organizations.map((o) => o.name)).toEqual(["Org A"]);
      expect(options.models).toContain("mock-large");
    });

    const list = async (params: Record<string, string>, limit = 100) => (await listCalls(db, claimsFor("financeA"), parseCallFilters(params), limit)).rows;
    const all = async () => list({});

    it("filters by action, provider, stage, request type, not-recorded values and search", async () => {
      const rows = await all();
      const expectSame = (got: CallRow[], want: (r: CallRow) => boolean) =>
        expect(got.map((r) => r.id).sort()).toEqual(rows.filter(want).map((r) => r.id).sort());
      expectSame(await list({ action: "summarize" }), (r) => r.actionType === "summarize");
      expectSame(await list({ provider: "rls-mock" }), (r) => r.providerCode === "rls-mock");
      expectSame(await list({ provider: NOT_RECORDED }), (r) => r.providerCode === null);
      expectSame(await list({ stage: "triage" }), (r) => r.pipelineStage === "triage");
      expectSame(await list({ stage: NOT_RECORDED }), (r) => r.pipelineStage === null);
      expectSame(await list({ request_type: "classify" }), (r) => r.requestType === "classify");
      expectSame(await list({ organization: ids.orgA }), () => true);
      expect(await list({ organization: NOT_RECORDED })).toEqual([]);
      // Search: user ref, model and action by substring, request id by prefix or in full.
      expectSame(await list({ q: "STUDENT-4" }), (r) => r.userRef === "student-42");
      expectSame(await list({ q: "small" }), (r) => r.modelCode === "mock-small");
      expectSame(await list({ q: retryRequest.slice(0, 35) }), (r) => r.requestId === retryRequest);
      expectSame(await list({ q: retryRequest }), (r) => r.requestId === retryRequest);
      // LIKE characters are literal.
      expect(await list({ q: "%" })).toEqual([]);
    });

    it("filters calls without cost, fallback-priced and cache hits", async () => {
      const rows = await all();
      const noCost = await list({ without_cost: "1" });
      // Attempted and unpriced; the refused call (failed, no provider) has nothing to price.
      expect(noCost.map((r) => r.id).sort()).toEqual(rows.filter((r) => r.cost === null && r.providerCode !== null).map((r) => r.id).sort());
      expect(noCost.length).toBe(5);
      expect((await list({ fallback_priced: "1" })).map((r) => [r.requestId, r.attempt, r.pricingSource])).toEqual([[retryRequest, 2, "fallback"]]);
      const cached = await list({ cache_hit: "1" });
      expect(cached.every((r) => (r.cachedTokens ?? 0) > 0)).toBe(true);
      expect(cached.length).toBe(rows.filter((r) => (r.cachedTokens ?? 0) > 0).length);
      expect(cached.length).toBe(2);
      // Incomplete as Completeness counts it: attempted, and a field of a complete record missing.
      const incomplete = await list({ incomplete: "1" });
      const attempted = (r: CallRow) => r.providerCode !== null || r.status === "ok";
      const missing = (r: CallRow) => r.organizationName === null || r.pipelineStage === null || r.requestType === null || r.totalTokens === null || r.cost === null;
      expect(incomplete.map((r) => r.id).sort()).toEqual(rows.filter((r) => attempted(r) && missing(r)).map((r) => r.id).sort());
      expect(incomplete.length).toBeGreaterThan(0);
      // Filters combine with AND; "0" or an unknown value is no filter.
      expect(await list({ without_cost: "1", fallback_priced: "1" })).toEqual([]);
      expect((await list({ without_cost: "0" })).length).toBe(rows.length);
    });

    for (const sort of ["time", "cost", "tokens", "latency"] as const) {
      for (const dir of ["desc", "asc"] as const) {
        it(`sorts by ${sort} ${dir} and pages by keyset without gaps or repeats`, async () => {
          const keyOf = (r: CallRow): number =>
            sort === "time" ? r.createdAt.getTime() : sort === "cost" ? Number(r.cost ?? -1) : sort === "tokens" ? (r.totalTokens ?? -1) : (r.latencyMs ?? -1);
          const one = await list({ sort, dir });
          const keys = one.map(keyOf);
          const sorted = [...keys].sort((a, b) => (dir === "desc" ? b - a : a - b));
          expect(keys).toEqual(sorted);
          const seen: string[] = [];
          let cursor: string | undefined;
          for (let i = 0; i < 20; i++) {
            const page = await listCalls(db, claimsFor("financeA"), parseCallFilters({ sort, dir, ...(cursor ? { cursor } : {}) }), 2);
            seen.push(...page.rows.map((r) => r.id));
            if (!page.nextCursor) break;
            cursor = page.nextCursor;
          }
          expect(seen).toEqual(one.map((r) => r.id));
        });
      }
    }

    it("totals the filter exactly, converting with the reporting rule and keeping other currencies apart", async () => {
      const rows = await all();
      const plain = await loadCallTotals(db, claimsFor("financeA"), parseCallFilters({}));
      expect(plain.calls).toBe(rows.length);
      expect(plain.tokens).toBe(String(rows.reduce((n, r) => n + (r.totalTokens ?? 0), 0)));
      expect(plain.withoutCost).toBe(5);
      // No rates configured: the EUR amount is the total, USD is listed apart, never added.
      expect(plain).toMatchObject({ currency: "EUR", amount: "0.000000000123", unconverted: { USD: "0.0007" } });
      await db.kysely
        .insertInto("app_configuration")
        .values([
          { key: "reporting.currency", scope: "global", value_type: "string", value: JSON.stringify("EUR") },
          { key: "reporting.fx_rates", scope: "global", value_type: "json", value: JSON.stringify({ USD: "0.92" }) },
        ])
        .execute();
      try {
        const converted = await loadCallTotals(db, claimsFor("financeA"), parseCallFilters({}));
        // 0.0007 USD × 0.92 + 0.000000000123 EUR, to the last decimal.
        expect(converted).toMatchObject({ amount: "0.000644000123", unconverted: {} });
        const small = await loadCallTotals(db, claimsFor("financeA"), parseCallFilters({ model: "mock-small" }));
        expect(small).toMatchObject({ calls: 1, tokens: "50", amount: "0.000092", withoutCost: 0 });
        // RLS: a viewer of B totals none of A's calls.
        expect((await loadCallTotals(db, claimsFor("viewerB"), parseCallFilters({ organization: ids.orgA }))).calls).toBe(0);
      } finally {
        await sql`delete from public.app_configuration where key in ('reporting.currency', 'reporting.fx_rates')`.execute(db.kysely);
      }
    });

    it("writes CSV lines with the exact recorded cost", async () => {
      const rows = await list({ sort: "cost" } satisfies CallFilters as Record<string, string>);
      const header = callsCsvHeader().split(",");
      const lines = rows.map(callCsvLine);
      const costAt = header.indexOf("cost");
      const cells = lines.map((l) => l.split(","));
      expect(cells.map((c) => c[costAt])).toEqual(rows.map((r) => r.cost ?? ""));
      expect(cells.map((c) => c[costAt])).toContain("0.000000000123");
      expect(cells.every((c) => c.length === header.length)).toBe(true);
    });

    it("offers the values seen in the range as choices", async () => {
      const options = await loadCallFilterOptions(db, claimsFor("financeA"), { from: "2026-11-10", to: "2026-11-10" });
      expect(options.models).toEqual(["mock-large", "mock-small"]);
      expect(options.providers).toEqual(["rls-mock"]);
      expect(options.stages).toEqual(["triage"]);
      expect(options.actions).toEqual(["classify", "summarize"]);
      const none = await loadCallFilterOptions(db, claimsFor("financeA"), { from: "2026-12-01", to: "2026-12-31" });
      expect(none.models).toEqual([]);
    });

    it("keeps only well-formed trace steps", () => {
      expect(parseTrace([{ rule: "x", outcome: "applied", detail: { a: 1 } }, 3, { outcome: "y" }])).toEqual([{ rule: "x", outcome: "applied", detail: '{"a":1}' }]);
      expect(parseTrace(null)).toEqual([]);
    });
  });
}
