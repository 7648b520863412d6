import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { loadLatestRepriceJob, loadRepriceJob, resumeRepriceJobs, runRepriceJob, startRepriceJob } from "@/lib/db/reprice-jobs";
import { withUser } from "@/lib/db/rls";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids } from "@/tests/helpers/fixtures";

/**
 * The repricing job: null-cost and fallback-priced calls get the database price in force at their
 * time, are marked, the rollups follow, an interrupted job resumes from its cursor, and a second
 * run changes nothing.
 */

const call = (n: number) => `31000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
const PRICE_SPARE = "32000000-0000-4000-8000-000000000001";
const PRICE_SMALL = "32000000-0000-4000-8000-000000000002";

describe.each(databaseTargets())("reprice jobs on $name", (target) => {
  let db: Database;

  const calls = () =>
    db.kysely
      .selectFrom("llm_calls")
      .select(["id", "cost", "pricing_source", "price_id", "repriced_at", "reprice_job_id", "previous_cost", "previous_pricing_source", "previous_currency"])
      .where("id", "in", Array.from({ length: 11 }, (_, i) => call(i + 1)))
      .orderBy("created_at")
      .execute();
  const rollupMatchesLedger = async () => {
    const { rows } = await sql<{ ledger: string | null; rollup: string | null; n: string; priced: string }>`
      select (select sum(cost)::text from public.llm_calls) as ledger, (select sum(cost)::text from public.llm_call_daily) as rollup,
             (select sum(calls_with_cost)::text from public.llm_call_daily) as priced, (select count(cost)::text from public.llm_calls) as n`.execute(db.kysely);
    return rows[0];
  };

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    // Eight unpriced calls on mock-spare, one a day from Nov 2 (the last at a microsecond, which a
    // JS Date cannot hold: the cursor must still be exact), two fallback-priced calls on mock-small,
    // and one call on mock-spare without tokens (never priceable).
    const base = { request_id: "", app_id: ids.app, organization_id: ids.orgA, provider_id: ids.provider, provider_code: "rls-mock", status: "ok" as const, request_type: "classify", pipeline_stage: "triage" };
    const rows = [
      ...Array.from({ length: 8 }, (_, i) => ({
        ...base, id: call(i + 1), request_id: call(0x100 + i + 1), created_at: `2026-11-${String(i + 2).padStart(2, "0")}T10:00:00.${i === 7 ? "123456" : "000000"}Z`,
        model_id: ids.models.spare, model_code: "mock-spare", prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500, baseline_model_id: ids.models.primary,
      })),
      ...[9, 10].map((n) => ({
        ...base, id: call(n), request_id: call(0x100 + n), created_at: `2026-11-0${n - 7}T11:00:00Z`, model_id: null, model_code: "mock-small",
        prompt_tokens: 2000, completion_tokens: 1000, total_tokens: 3000, cost: "0.5", currency: "USD", pricing_source: "fallback" as const,
      })),
      { ...base, id: call(11), request_id: call(0x111), created_at: "2026-11-09T09:00:00Z", model_id: ids.models.spare, model_code: "mock-spare", prompt_tokens: null, completion_tokens: null, total_tokens: null },
    ];
    await db.kysely.insertInto("llm_calls").values(rows).execute();
    // mock-spare is priced from Nov 5 on: the three calls before stay unpriced.
    await db.kysely
      .insertInto("model_prices")
      .values([
        { id: PRICE_SPARE, model_id: ids.models.spare, input_per_mtok: "0.4", output_per_mtok: "1.6", currency: "USD", effective_from: new Date("2026-11-05T00:00:00Z"), source: "litellm" },
        { id: PRICE_SMALL, model_id: ids.models.secondary, input_per_mtok: "0.2", output_per_mtok: "1", currency: "USD", effective_from: new Date("2026-11-01T00:00:00Z"), source: "litellm" },
      ])
      .execute();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("one job at a time: a second start returns the active job", async () => {
    const first = await startRepriceJob(db.kysely, { requestedBy: ids.users.platformAdmin, modelIds: null, trigger: "manual" });
    const second = await startRepriceJob(db.kysely, { requestedBy: ids.users.platformAdmin, modelIds: [ids.models.spare], trigger: "import" });
    expect(first).toMatchObject({ created: true, job: { status: "queued", examined: 0, totalEstimate: 10, modelCount: null } });
    expect(second).toEqual({ created: false, job: first.job });
    // The database enforces it too, whatever the application does.
    await expect(db.kysely.insertInto("reprice_jobs").values({ requested_by: null, model_ids: null, total_estimate: 0 }).execute()).rejects.toMatchObject({ code: "23505" });
  });

  it("an interrupted job resumes from its saved cursor and reprices each call once, with the price in force at its time", async () => {
    const { job } = await startRepriceJob(db.kysely, { requestedBy: null, modelIds: null, trigger: "manual" });
    // Two batches of three, then the "process dies": no release, the heartbeat goes stale.
    expect(await runRepriceJob(db.kysely, job.id, { batchSize: 3, maxBatches: 2 })).toBe("stopped");
    const midway = await loadRepriceJob(db.kysely, job.id);
    expect(midway).toMatchObject({ status: "running", examined: 6 });
    const saved = await db.kysely.selectFrom("reprice_jobs").select(["cursor_id"]).where("id", "=", job.id).executeTakeFirstOrThrow();
    // Keyset order: 1 (Nov 2 10:00), 9 (Nov 2 11:00), 2, 10, 3, 4.
    expect(saved.cursor_id).toBe(call(4));
    // A live lease is not taken over; a stale one is (what the cron route does).
    expect(await runRepriceJob(db.kysely, job.id, { batchSize: 3 })).toBe("not_claimed");
    expect(await resumeRepriceJobs(db.kysely, { batchSize: 3, staleAfterMs: 0 })).toEqual({ jobId: job.id, outcome: "done" });

    const done = await loadRepriceJob(db.kysely, job.id);
    // 10 candidates (the call without tokens is never one); 3 spare calls predate its price.
    expect(done).toMatchObject({ status: "done", examined: 10, changed: 7, totalEstimate: 10, error: null });
    expect(done?.finishedAt).not.toBeNull();

    const rows = await calls();
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const n of [1, 2, 3, 11]) expect(byId.get(call(n))).toMatchObject({ cost: null, pricing_source: null, repriced_at: null, reprice_job_id: null });
    for (const n of [4, 5, 6, 7, 8]) {
      // 1000 x 0.4 + 500 x 1.6 = 1200 per million.
      expect(byId.get(call(n))).toMatchObject({ cost: "0.001200000000", pricing_source: "database", price_id: PRICE_SPARE, reprice_job_id: job.id, previous_cost: null, previous_pricing_source: null });
      expect(byId.get(call(n))?.repriced_at).toBeInstanceOf(Date);
    }
    for (const n of [9, 10]) {
      // 2000 x 0.2 + 1000 x 1 = 1400 per million; it was 0.5 from the fallback table.
      expect(byId.get(call(n))).toMatchObject({ cost: "0.001400000000", price_id: PRICE_SMALL, previous_cost: "0.500000000000", previous_pricing_source: "fallback", previous_currency: "USD" });
    }
  });

  it("the rollups follow the repriced calls", async () => {
    const sums = await rollupMatchesLedger();
    expect(sums?.rollup).toBe(sums?.ledger);
    expect(sums?.priced).toBe(sums?.n);
  });

  it("a second run changes nothing (idempotent)", async () => {
    const before = await calls();
    const { job, created } = await startRepriceJob(db.kysely, { requestedBy: null, modelIds: null, trigger: "manual" });
    expect(created).toBe(true);
    expect(await runRepriceJob(db.kysely, job.id)).toBe("done");
    expect(await loadRepriceJob(db.kysely, job.id)).toMatchObject({ status: "done", examined: 3, changed: 0 });
    expect(await calls()).toEqual(before);
  });

  it("a scoped job only looks at its models; past its deadline it hands the job back", async () => {
    await db.kysely.insertInto("model_prices").values({ model_id: ids.models.spare, input_per_mtok: "1", output_per_mtok: "1", currency: "USD", effective_from: new Date("2026-11-01T00:00:00Z"), source: "manual" }).execute();
    const { job } = await startRepriceJob(db.kysely, { requestedBy: null, modelIds: [ids.models.secondary], trigger: "import" });
    expect(job).toMatchObject({ totalEstimate: 0, modelCount: 1 });
    expect(await runRepriceJob(db.kysely, job.id, { deadline: Date.now() - 1 })).toBe("yielded");
    expect(await loadRepriceJob(db.kysely, job.id)).toMatchObject({ status: "queued" });
    expect(await runRepriceJob(db.kysely, job.id)).toBe("done");
    expect(await loadRepriceJob(db.kysely, job.id)).toMatchObject({ examined: 0, changed: 0 });
    // The spare calls before Nov 5 are still unpriced: the scoped job did not touch them.
    expect((await calls()).filter((r) => r.cost === null)).toHaveLength(4);
  });

  it("only platform admins read jobs (RLS); nobody writes them from a session", async () => {
    const latest = await withUser(db, claimsFor("platformAdmin"), (tx) => loadLatestRepriceJob(tx));
    expect(latest).toMatchObject({ status: "done", modelCount: 1 });
    expect(await withUser(db, claimsFor("adminA"), (tx) => loadLatestRepriceJob(tx))).toBeNull();
    await expect(
      withUser(db, claimsFor("platformAdmin"), (tx) => tx.updateTable("reprice_jobs").set({ status: "failed" }).execute()),
    ).rejects.toMatchObject({ code: "42501" });
  });

  it("reprices prompt-cache writes at the cache-write price in force, and records that price", async () => {
    const id = call(12);
    await db.kysely
      .insertInto("model_prices")
      .values({
        model_id: ids.models.secondary, input_per_mtok: "0.2", output_per_mtok: "1", cached_input_per_mtok: "0.02", cache_write_per_mtok: "0.25",
        currency: "USD", effective_from: new Date("2026-11-20T00:00:00Z"), source: "manual",
      })
      .execute();
    await db.kysely
      .insertInto("llm_calls")
      .values({
        id, request_id: call(0x112), created_at: "2026-11-21T08:00:00Z", app_id: ids.app, organization_id: ids.orgA, provider_id: ids.provider,
        provider_code: "rls-mock", model_id: null, model_code: "mock-small", status: "ok", request_type: "classify", pipeline_stage: "triage",
        prompt_tokens: 2000, cached_tokens: 500, cache_write_tokens: 400, completion_tokens: 1000, total_tokens: 3000,
        cost: "0.5", currency: "USD", pricing_source: "fallback",
      })
      .execute();
    const { job } = await startRepriceJob(db.kysely, { requestedBy: null, modelIds: [ids.models.secondary], trigger: "manual" });
    expect(await runRepriceJob(db.kysely, job.id)).toBe("done");
    expect(await loadRepriceJob(db.kysely, job.id)).toMatchObject({ examined: 1, changed: 1 });
    const row = await db.kysely
      .selectFrom("llm_calls")
      .select(["cost", "pricing_source", "cache_write_tokens", "cache_write_price_per_mtok", "cached_input_price_per_mtok", "previous_cost"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    // (1100 x 0.2 + 500 x 0.02 + 400 x 0.25 + 1000 x 1) / 1e6 = 0.00133; the 400 writes at the
    // input price (before this column) would have given 0.00131.
    expect(row).toMatchObject({
      cost: "0.001330000000", pricing_source: "database", cache_write_tokens: 400, cache_write_price_per_mtok: "0.25000000",
      cached_input_price_per_mtok: "0.02000000", previous_cost: "0.500000000000",
    });
    const sums = await rollupMatchesLedger();
    expect(sums?.rollup).toBe(sums?.ledger);
  });
});
