import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { getCallDetail, listCalls, loadCallFilterOptions, parseTrace } from "@/lib/db/calls";
import { parseCallFilters } from "@/lib/schemas/call-filters";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { CALL_TIME, claimsFor, createFixtureWorld, ids } from "@/tests/helpers/fixtures";

/** The Calls page's loaders: RLS scoping, filters, keyset pagination and the request detail. */

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
          ...Array.from({ length: 5 }, (_, i) => ({ ...base, request_id: `15000000-0000-4000-8000-0000000001${i}0`, model_code: "mock-large", status: "ok" as const })),
        ])
        .execute();
    }, 120_000);
    afterAll(async () => db?.close());

    it("shows a finance user of A only A's calls", async () => {
      const page = await listCalls(db, claimsFor("financeA"), parseCallFilters({}), 100);
      expect(page.rows.length).toBe(8);
      expect(new Set(page.rows.map((r) => r.organizationName))).toEqual(new Set(["Org A"]));
      expect(page.rows.map((r) => r.requestId)).not.toContain(ids.requests.B);
    });

    it("shows a platform admin every call, including those without an organization", async () => {
      const page = await listCalls(db, claimsFor("platformAdmin"), parseCallFilters({}), 100);
      expect(page.rows.length).toBe(10);
    });

    it("filters by status, model and request id", async () => {
      const failed = await listCalls(db, claimsFor("adminA"), parseCallFilters({ status: "failed" }));
      expect(failed.rows.map((r) => [r.requestId, r.attempt])).toEqual([[retryRequest, 1]]);
      const small = await listCalls(db, claimsFor("adminA"), parseCallFilters({ model: "mock-small" }));
      expect(small.rows.map((r) => r.isFallback)).toEqual([true]);
      const one = await listCalls(db, claimsFor("adminA"), parseCallFilters({ requestId: retryRequest }));
      expect(one.rows.length).toBe(2);
      const outside = await listCalls(db, claimsFor("adminA"), parseCallFilters({ from: "2026-12-01" }));
      expect(outside.rows).toEqual([]);
      const inside = await listCalls(db, claimsFor("adminA"), parseCallFilters({ from: "2026-11-10", to: "2026-11-10" }));
      expect(inside.rows.length).toBe(8);
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
      expect(seen.length).toBe(8);
      expect(new Set(seen).size).toBe(8);
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

    it("keeps only well-formed trace steps", () => {
      expect(parseTrace([{ rule: "x", outcome: "applied", detail: { a: 1 } }, 3, { outcome: "y" }])).toEqual([{ rule: "x", outcome: "applied", detail: '{"a":1}' }]);
      expect(parseTrace(null)).toEqual([]);
    });
  });
}
