import Decimal from "decimal.js";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCacheSavings } from "@/lib/db/cache-savings";
import { listCalls } from "@/lib/db/calls";
import type { Database } from "@/lib/db/client";
import { parseCallFilters } from "@/lib/schemas/call-filters";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids } from "@/tests/helpers/fixtures";

/**
 * Savings' "saved by cache" and the Calls "response cache hit" filter (issue 13), under RLS as
 * fixture users, on ledger rows written through the rollup trigger: cache hits cost 0 (priced by
 * 'cache') and carry what the original call cost, converted by the one money rule.
 */
const RANGE = { from: "2026-11-01", to: "2026-11-30" };

type Hit = { org: string; at: string; saved: string; currency: string };

describe.each(databaseTargets())("saved by cache on $name", (target) => {
  let db: Database;

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    await sql`select public.ensure_llm_calls_partitions('2026-10-01'::date, '2026-11-30'::date)`.execute(db.kysely);
    await db.kysely.insertInto("app_configuration").values([
      { key: "reporting.currency", scope: "global", value_type: "string", value: JSON.stringify("EUR") },
      { key: "reporting.fx_rates", scope: "global", value_type: "json", value: JSON.stringify({ USD: "0.92" }) },
    ]).execute();
    const hits: Hit[] = [
      { org: ids.orgA, at: "2026-11-03T09:00:00Z", saved: "0.000123456789", currency: "EUR" },
      { org: ids.orgA, at: "2026-11-03T10:00:00Z", saved: "0.10", currency: "USD" },
      { org: ids.orgA, at: "2026-11-04T10:00:00Z", saved: "2.5", currency: "GBP" },
      { org: ids.orgB, at: "2026-11-05T10:00:00Z", saved: "7", currency: "EUR" },
      // Outside the range.
      { org: ids.orgA, at: "2026-10-31T23:59:59Z", saved: "100", currency: "EUR" },
    ];
    await db.kysely.insertInto("llm_calls").values(hits.map((h, i) => ({
      request_id: `98000000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`,
      created_at: h.at, app_id: ids.app, organization_id: h.org, provider_code: "rls-mock", model_code: "mock-small",
      status: "ok" as const, cost: "0", currency: h.currency, pricing_source: "cache" as const, total_tokens: 0,
      cache_hit: true, cache_saved_cost: h.saved,
    }))).execute();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("finance of A sees what A's cache hits saved, converted exactly, GBP kept apart", async () => {
    const a = await loadCacheSavings(db, claimsFor("financeA"), RANGE);
    expect(a.hits).toBe(3);
    expect(a.reportingCurrency).toBe("EUR");
    // 0.000123456789 EUR + 0.10 USD × 0.92
    expect(a.saved.amount).toBe(new Decimal("0.000123456789").plus(new Decimal("0.10").times("0.92")).toFixed());
    expect(a.saved.unconverted).toEqual({ GBP: "2.5" });
    // A filter never widens what RLS allows.
    expect((await loadCacheSavings(db, claimsFor("financeA"), { ...RANGE, organizationId: ids.orgB })).hits).toBe(0);
    expect((await loadCacheSavings(db, claimsFor("outsider"), RANGE)).hits).toBe(0);
  });

  it("a platform admin sees every organization's; the organization filter narrows", async () => {
    const all = await loadCacheSavings(db, claimsFor("platformAdmin"), RANGE);
    expect(all.hits).toBe(4);
    expect(all.saved.amount).toBe("7.092123456789");
    const b = await loadCacheSavings(db, claimsFor("platformAdmin"), { ...RANGE, organizationId: ids.orgB });
    expect(b).toMatchObject({ hits: 1, saved: { amount: "7", unconverted: {} } });
  });

  it("the Calls filter lists exactly the response cache hits the user may see", async () => {
    const page = await listCalls(db, claimsFor("financeA"), parseCallFilters({ response_cache: "1", from: "2026-10-01", to: "2026-11-30" }));
    expect(page.rows.map((r) => r.requestId).sort()).toEqual([
      "98000000-0000-4000-8000-000000000001", "98000000-0000-4000-8000-000000000002",
      "98000000-0000-4000-8000-000000000003", "98000000-0000-4000-8000-000000000005",
    ]);
    expect(page.rows.every((r) => r.pricingSource === "cache")).toBe(true);
    const everything = await listCalls(db, claimsFor("financeA"), parseCallFilters({ from: "2026-10-01", to: "2026-11-30" }));
    expect(everything.rows.length).toBeGreaterThan(page.rows.length);
  });
});
