import { createHash, randomUUID } from "node:crypto";
import { sql, type Insertable, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { windowSpend, wholeHours, type SpendWindow } from "@/lib/db/budget-spend";
import type { Database } from "@/lib/db/client";
import { withUser } from "@/lib/db/rls";
import type { DB, LlmCallsTable } from "@/lib/db/schema";
import { windowAt } from "@/lib/engine/budget-scope";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids } from "@/tests/helpers/fixtures";
import { byCurrency, ledgerSpendReference } from "@/tests/helpers/ledger-spend";

/**
 * Budget spend from the hourly rollups (lib/db/budget-spend.ts, migration 20261208130001) against
 * the ledger sum it replaced, on generated calls over two weeks around 1 March 2026: organizations
 * A and B (and none), three apps, four keys (and none), USD / EUR with some unpriced calls and
 * cache hits of cost 0, GBP cache hits only (spend 0), JPY never priced (no spend), calls without a
 * currency; then a repricing UPDATE, a key reassignment and a DELETE. Windows: months and days of
 * UTC, Asia/Kolkata (+05:30), Asia/Kathmandu (+05:45) and America/New_York (its March holds the
 * switch to summer time, and 8 March has 23 hours), plus windows inside one hour and on whole hours.
 */

const APPS = [randomUUID(), randomUUID(), randomUUID()];
const KEYS = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const ZONES = ["UTC", "Asia/Kolkata", "Asia/Kathmandu", "America/New_York"];
const DATA_FROM = Date.parse("2026-02-26T00:00:00Z");
const DATA_TO = Date.parse("2026-03-11T00:00:00Z");

/** Draws in [0, 1) from a hash of a counter: the same calls on every run and target. */
function draws(seed: string): () => number {
  let n = 0;
  return () => createHash("sha256").update(`${seed}:${n++}`).digest().readUInt32BE(0) / 2 ** 32;
}

const WINDOWS: { name: string; from: Date; to: Date }[] = [
  ...ZONES.flatMap((zone) => [
    ["month", "2026-03-05T12:00:00Z"],
    ["month", "2026-02-27T12:00:00Z"],
    ["day", "2026-03-01T03:00:00Z"],
    ["day", "2026-03-08T12:00:00Z"],
    ["day", "2026-03-09T06:00:00Z"],
  ].map(([w, at]) => {
    const span = windowAt(w as "month" | "day", zone, Date.parse(at!));
    return { name: `${zone} ${w} ${span.start}`, from: span.from, to: span.to };
  })),
  { name: "inside one hour", from: new Date("2026-03-02T10:10:00Z"), to: new Date("2026-03-02T10:50:00Z") },
  { name: "two half hours around one boundary", from: new Date("2026-03-05T10:30:00Z"), to: new Date("2026-03-05T11:15:00Z") },
  { name: "whole hours", from: new Date("2026-03-02T10:00:00Z"), to: new Date("2026-03-02T12:00:00Z") },
  { name: "odd instants", from: new Date("2026-03-03T07:07:07.007Z"), to: new Date("2026-03-04T23:59:59.999Z") },
];

function generateCalls(): Insertable<LlmCallsTable>[] {
  const r = draws("budget-spend");
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const cost = () => `${Math.floor(r() * 4)}.${Array.from({ length: 12 }, () => Math.floor(r() * 10)).join("")}`;
  const call = (at: number): Insertable<LlmCallsTable> => {
    const org = r() < 0.85 ? ids.orgA : r() < 0.7 ? ids.orgB : null;
    const base = {
      request_id: randomUUID(), created_at: new Date(at), status: "ok" as const, organization_id: org,
      app_id: pick([...APPS, null]), api_key_id: pick([...KEYS, KEYS[0]!, null]), total_tokens: 10,
    };
    const c = r();
    if (c < 0.1) return base; // no currency, no cost
    if (c < 0.15) return { ...base, currency: "JPY" }; // never priced
    if (c < 0.25) return { ...base, currency: "GBP", cost: "0", pricing_source: "cache", cache_hit: true, cache_saved_cost: cost() };
    const currency = c < 0.65 ? "USD" : "EUR";
    const p = r();
    if (p < 0.15) return { ...base, currency }; // unpriced
    if (p < 0.25) return { ...base, currency, cost: "0", pricing_source: "cache", cache_hit: true, cache_saved_cost: cost() };
    return { ...base, currency, cost: cost(), pricing_source: "database" };
  };
  const calls: Insertable<LlmCallsTable>[] = [];
  for (let i = 0; i < 1500; i++) calls.push(call(DATA_FROM + Math.floor(r() * (DATA_TO - DATA_FROM))));
  // Around every window's edges: on them, a millisecond either side, and within the edge hours.
  for (const w of WINDOWS) {
    for (const edge of [w.from.getTime(), w.to.getTime()]) {
      for (const d of [-1, 0, 1]) calls.push(call(edge + d));
      for (let i = 0; i < 6; i++) calls.push(call(edge + Math.floor((r() - 0.5) * 4 * 3_600_000)));
    }
  }
  return calls;
}

const SCOPES: { name: string; organizationId: string; appId: string | null; apiKeyId: string | null }[] = [
  { name: "organization A", organizationId: ids.orgA, appId: null, apiKeyId: null },
  { name: "organization B", organizationId: ids.orgB, appId: null, apiKeyId: null },
  ...APPS.map((appId, i) => ({ name: `A × app ${i}`, organizationId: ids.orgA, appId, apiKeyId: null })),
  { name: "B × app 0", organizationId: ids.orgB, appId: APPS[0]!, apiKeyId: null },
  ...KEYS.map((apiKeyId, i) => ({ name: `A × key ${i}`, organizationId: ids.orgA, appId: null, apiKeyId })),
  { name: "B × key 1", organizationId: ids.orgB, appId: null, apiKeyId: KEYS[1]! },
];

/** Rows where llm_call_key_hourly and the aggregate over llm_calls disagree (zero-call rows left by deletes ignored). */
async function keyRollupDrift(db: Kysely<DB>): Promise<unknown[]> {
  const { rows } = await sql`
    with agg as (
      select date_trunc('hour', created_at at time zone 'UTC') at time zone 'UTC' as hour, organization_id, api_key_id, currency,
        count(*)::bigint as calls, count(cost)::bigint as calls_with_cost, coalesce(sum(cost), 0)::numeric(28, 12) as cost
      from public.llm_calls group by 1, 2, 3, 4
    ),
    roll as (select hour, organization_id, api_key_id, currency, calls, calls_with_cost, cost from public.llm_call_key_hourly where calls <> 0)
    select 'missing from rollup' as problem, * from (select * from agg except select * from roll) a
    union all
    select 'not in ledger' as problem, * from (select * from roll except select * from agg) r`.execute(db);
  return rows;
}

describe("wholeHours", () => {
  it("splits a window at UTC hours, and leaves a window inside one hour to the ledger", () => {
    const at = (s: string) => new Date(s);
    expect(wholeHours(at("2026-02-28T18:30:00Z"), at("2026-03-31T18:30:00Z")))
      .toEqual({ start: at("2026-02-28T19:00:00Z"), end: at("2026-03-31T18:00:00Z") });
    expect(wholeHours(at("2026-03-01T00:00:00Z"), at("2026-03-02T00:00:00Z")))
      .toEqual({ start: at("2026-03-01T00:00:00Z"), end: at("2026-03-02T00:00:00Z") });
    expect(wholeHours(at("2026-03-05T10:30:00Z"), at("2026-03-05T11:15:00Z")))
      .toEqual({ start: at("2026-03-05T11:00:00Z"), end: at("2026-03-05T11:00:00Z") });
    expect(wholeHours(at("2026-03-02T10:10:00Z"), at("2026-03-02T10:50:00Z")))
      .toEqual({ start: at("2026-03-02T10:50:00Z"), end: at("2026-03-02T10:50:00Z") });
  });
});

describe.each(databaseTargets())("budget spend from rollups on $name", (target) => {
  let db: Database;

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    await sql`select public.ensure_llm_calls_partitions('2026-01-01'::date, '2026-04-30'::date)`.execute(db.kysely);
    const calls = generateCalls();
    // Several statements, as the recorder's batches arrive.
    for (let i = 0; i < calls.length; i += 250) await db.kysely.insertInto("llm_calls").values(calls.slice(i, i + 250)).execute();
    // The same hour's spend of one key in two statements, and the edge cases named in the brief.
    await db.kysely.insertInto("llm_calls").values([
      { request_id: randomUUID(), created_at: new Date("2026-02-28T18:45:00Z"), status: "ok", organization_id: ids.orgA, api_key_id: KEYS[3]!, app_id: APPS[2]!, currency: "JPY" },
      { request_id: randomUUID(), created_at: new Date("2026-03-03T10:00:00Z"), status: "ok", organization_id: ids.orgA, api_key_id: KEYS[3]!, app_id: APPS[2]!, currency: "JPY" },
      { request_id: randomUUID(), created_at: new Date("2026-02-28T18:40:00Z"), status: "ok", organization_id: ids.orgA, api_key_id: KEYS[3]!, app_id: APPS[2]!, currency: "GBP", cost: "0", pricing_source: "cache", cache_hit: true, cache_saved_cost: "0.25" },
    ]).execute();
    // Repricing: some priced calls change cost, some unpriced USD calls get one.
    await sql`update public.llm_calls set cost = round(cost * 1.37, 12)
      where created_at >= '2026-02-01' and cost is not null and not cache_hit and extract(minute from created_at)::int % 3 = 0`.execute(db.kysely);
    await sql`update public.llm_calls set cost = 0.5, pricing_source = 'database'
      where created_at >= '2026-02-01' and cost is null and currency = 'USD' and extract(minute from created_at)::int % 2 = 0`.execute(db.kysely);
    // A key reassigned on some calls (moves spend between keys), then deletes.
    await sql`update public.llm_calls set api_key_id = ${KEYS[1]!}::uuid
      where api_key_id = ${KEYS[0]!}::uuid and extract(second from created_at)::int % 5 = 0`.execute(db.kysely);
    await sql`delete from public.llm_calls where created_at >= '2026-02-01' and extract(minute from created_at)::int % 7 = 0`.execute(db.kysely);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  it("keeps llm_call_key_hourly equal to the ledger grouped by hour, organization, key and currency", async () => {
    expect(await keyRollupDrift(db.kysely)).toEqual([]);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from public.llm_call_key_hourly where calls <> 0`.execute(db.kysely);
    expect(rows[0]!.n).toBeGreaterThan(500);
  });

  it("equals the ledger sum for every scope and window (months and days of four zones, DST included)", async () => {
    let nonEmpty = 0;
    for (const w of WINDOWS) {
      for (const s of SCOPES) {
        const f: SpendWindow = { organizationId: s.organizationId, appId: s.appId, apiKeyId: s.apiKeyId, from: w.from, to: w.to };
        const expected = await ledgerSpendReference(db.kysely, f);
        expect({ window: w.name, scope: s.name, spend: byCurrency(await windowSpend(db.kysely, f)) }).toEqual({ window: w.name, scope: s.name, spend: expected });
        if (expected.length > 0) nonEmpty++;
      }
    }
    // The comparison is not vacuous: most windows have spend in most scopes.
    expect(nonEmpty).toBeGreaterThan(WINDOWS.length * SCOPES.length * 0.6);
  });

  it("leaves out a currency whose calls have no cost and keeps one whose priced calls sum to 0", async () => {
    const march = windowAt("month", "Asia/Kolkata", Date.parse("2026-03-05T12:00:00Z"));
    for (const scope of [{ appId: null, apiKeyId: null }, { appId: APPS[2]!, apiKeyId: null }, { appId: null, apiKeyId: KEYS[3]! }]) {
      const f: SpendWindow = { organizationId: ids.orgA, ...scope, from: march.from, to: march.to };
      const spend = byCurrency(await windowSpend(db.kysely, f));
      expect(spend).toEqual(await ledgerSpendReference(db.kysely, f));
      expect(spend.map((s) => s.currency)).not.toContain("JPY");
      expect(spend.find((s) => s.currency === "GBP")).toEqual({ currency: "GBP", amount: "0.000000000000" });
    }
    // JPY calls are in the window, at an edge and on a whole hour: absent because none has a cost.
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from public.llm_calls
      where currency = 'JPY' and organization_id = ${ids.orgA}::uuid and created_at >= ${march.from}::timestamptz and created_at < ${march.to}::timestamptz`.execute(db.kysely);
    expect(rows[0]!.n).toBeGreaterThan(2);
  });

  it("answers the same under a finance member's RLS and in any session time zone", async () => {
    const windows = WINDOWS.filter((w) => /Kathmandu month 2026-03|New_York day 2026-03-08|odd instants/.test(w.name));
    expect(windows).toHaveLength(3);
    for (const w of windows) {
      for (const s of SCOPES.filter((x) => x.organizationId === ids.orgA)) {
        const f: SpendWindow = { organizationId: s.organizationId, appId: s.appId, apiKeyId: s.apiKeyId, from: w.from, to: w.to };
        const expected = await ledgerSpendReference(db.kysely, f);
        expect(byCurrency(await withUser(db, claimsFor("financeA"), (tx) => windowSpend(tx, f)))).toEqual(expected);
        const zoned = await db.kysely.transaction().execute(async (trx) => {
          await sql`set local time zone 'Asia/Kathmandu'`.execute(trx);
          return windowSpend(trx, f);
        });
        expect(byCurrency(zoned)).toEqual(expected);
      }
    }
  });

  it("refuses a window scoped to an app and a key at once (budgets have one scope)", async () => {
    await expect(windowSpend(db.kysely, { organizationId: ids.orgA, appId: APPS[0]!, apiKeyId: KEYS[0]!, from: new Date(DATA_FROM), to: new Date(DATA_TO) }))
      .rejects.toThrow(/not both/);
  });
});
