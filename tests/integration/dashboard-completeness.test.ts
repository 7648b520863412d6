import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import type { Database } from "@/lib/db/client";
import { loadCompleteness } from "@/lib/db/completeness";
import { repriceCalls } from "@/lib/db/reprice-costs";
import { withUser } from "@/lib/db/rls";
import type { CostFilters } from "@/lib/schemas/cost-filters";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { CALL_TIME, claimsFor, createFixtureWorld, ids, type FixtureUser } from "@/tests/helpers/fixtures";

/** Completeness loader and cost recomputation, under RLS as fixture users. */

const NOV: CostFilters = { from: "2026-11-01", to: "2026-11-30", org: null };
const UNPRICED = "1f000000-0000-4000-8000-00000000000a";
const UNPRICED_REQUEST = "1f000000-0000-4000-8000-0000000000aa";
const SPARE_PRICE = "1f000000-0000-4000-8000-0000000000bb";

describe.each(databaseTargets())("dashboard completeness on $name", (target) => {
  let db: Database;

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    // An org-A call on a model without any price: tokens reported, cost unknown, so incomplete.
    await db.kysely
      .insertInto("llm_calls")
      .values({
        id: UNPRICED, request_id: UNPRICED_REQUEST, created_at: CALL_TIME, app_id: ids.app, organization_id: ids.orgA,
        action_type: "classify", request_type: "classify", pipeline_stage: "triage", purpose: "work-order-triage",
        provider_id: ids.provider, provider_code: "rls-mock", model_id: ids.models.spare, model_code: "mock-spare",
        prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500, baseline_model_id: ids.models.primary, status: "ok",
      })
      .execute();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("finance of A sees A's ratio, coverage, incomplete purposes and the unpriced model", async () => {
    const data = await loadCompleteness(db, claimsFor("financeA"), NOV);
    expect({ calls: data.calls, complete: data.complete }).toEqual({ calls: 2, complete: 1 });
    expect(data.daily).toEqual([{ day: "2026-11-10", calls: 2, complete: 1 }]);
    expect(Object.fromEntries(data.coverage.map((c) => [c.field, c.present]))).toEqual({ organization: 2, stage: 2, type: 2, tokens: 2, cost: 1 });
    expect(data.incomplete).toEqual([{ purpose: "work-order-triage", app: "RLS app", count: 1 }]);
    expect(data.missingPrices).toEqual([{ provider: "rls-mock", model: "mock-spare", unpriced: 1, fallbackPriced: 0 }]);
  });

  it("a member of B sees none of A's incomplete records", async () => {
    const data = await loadCompleteness(db, claimsFor("viewerB"), NOV);
    expect(data.incomplete).toEqual([]);
    expect(data.missingPrices).toEqual([]);
    expect(data.calls).toBe(1);
  });

  it.each(["viewerA", "financeA", "adminA", "platformAdmin"] satisfies FixtureUser[])(
    "%s cannot update llm_calls directly: the database refuses",
    async (user) => {
      const attempt = withUser(db, claimsFor(user), (tx) =>
        tx.updateTable("llm_calls").set({ cost: "1" }).where("id", "=", UNPRICED).execute(),
      );
      await expect(attempt).rejects.toMatchObject({ code: "42501" });
    },
  );

  it("recompute prices with the row in force at the call's time, exactly, once", async () => {
    // A price effective after the call must not be used; the one before it must.
    await db.kysely
      .insertInto("model_prices")
      .values([
        { id: SPARE_PRICE, model_id: ids.models.spare, input_per_mtok: "0.4", output_per_mtok: "1.6", currency: "USD", effective_from: new Date("2026-11-01T00:00:00Z"), source: "manual" },
        { model_id: ids.models.spare, input_per_mtok: "99", output_per_mtok: "99", currency: "USD", effective_from: new Date("2026-11-20T00:00:00Z"), source: "manual" },
      ])
      .execute();
    const first = await repriceCalls(db.kysely);
    expect(first.changed).toBe(1);
    const row = await db.kysely
      .selectFrom("llm_calls")
      .select(["cost", "currency", "price_id", "pricing_source", "input_price_per_mtok", "baseline_cost", "record_complete"])
      .where("id", "=", UNPRICED)
      .executeTakeFirstOrThrow();
    // 1000 x 0.4 + 500 x 1.6 = 1200 per million; baseline mock-large (3 / 15 USD): 3000 + 7500.
    expect(row).toMatchObject({ currency: "USD", price_id: SPARE_PRICE, pricing_source: "database", record_complete: true });
    expect(Number(row.cost)).toBe(0.0012);
    expect(row.cost).toBe("0.001200000000");
    expect(row.baseline_cost).toBe("0.010500000000");

    expect(await repriceCalls(db.kysely)).toEqual({ examined: 0, changed: 0 });

    // The rollup trigger moved the call into the priced bucket.
    const after = await loadCompleteness(db, claimsFor("financeA"), NOV);
    expect({ calls: after.calls, complete: after.complete }).toEqual({ calls: 2, complete: 2 });
    expect(after.missingPrices).toEqual([]);
    expect(after.incomplete).toEqual([]);
    const rollup = await sql<{ cost: string }>`select sum(cost)::text as cost from public.llm_call_daily where organization_id = ${ids.orgA}`.execute(db.kysely);
    expect(rollup.rows[0]?.cost).toBe("0.001800000000");
  });

  it("a refused call (failed, no provider: lib/gateway/refusal.ts) counts as a failure, not as an incomplete record", async () => {
    const before = await loadCompleteness(db, claimsFor("financeA"), NOV);
    await db.kysely
      .insertInto("llm_calls")
      .values({
        request_id: "1f000000-0000-4000-8000-0000000000cc", attempt: 1, created_at: CALL_TIME, app_id: ids.app, organization_id: ids.orgA,
        action_type: "classify", purpose: "work-order-triage", prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0, total_tokens: 0,
        status: "failed", error_type: "rate_limited_key", http_status: 429,
      })
      .execute();
    const after = await loadCompleteness(db, claimsFor("financeA"), NOV);
    expect(after).toEqual(before);
    const daily = await db.kysely.selectFrom("llm_call_daily").select(sql<number>`sum(failed_calls)::int`.as("failed"))
      .where("organization_id", "=", ids.orgA).where("provider_code", "is", null).executeTakeFirstOrThrow();
    expect(daily.failed).toBe(1);
  });
});
