import { sql, type Kysely } from "kysely";
import { fallbackPrice } from "@/lib/engine/fallback-prices";
import { baselineCost, cacheWrite1hRate, priceInForce, priceUsage } from "@/lib/engine/price";
import type { SnapshotPrice, Usage } from "@/lib/engine/types";
import type { DB } from "./schema";
import { withServiceActor } from "./service-actor";

/**
 * Reprices recorded calls that have no cost, or were priced from the built-in fallback table,
 * with the database price row in force at each call's created_at: the same pure functions the
 * gateway prices with (lib/engine/price.ts), so the result is exact and identical.
 *
 * Takes a Kysely that may write llm_calls: users cannot (their grants are select-only), so the
 * caller passes the service path after checking that the user is a platform admin. The rollup
 * trigger moves the repriced rows between llm_call_daily buckets in the same statement.
 *
 * The work is a sequence of batches in (created_at, id) keyset order. repriceBatch() is one step:
 * a repricing job (lib/db/reprice-jobs.ts) runs it in a transaction together with saving its
 * cursor, so an interrupted job resumes after the last committed batch.
 *
 * Idempotent: a repriced row gets pricing_source 'database' and a cost, so it no longer matches;
 * rows still without a database price are left as they are, so a second run changes nothing.
 */

export interface RepriceResult {
  examined: number;
  changed: number;
}

/** Exact keyset position: created_at as Postgres's own text (microseconds survive; a JS Date would cut them). */
export interface RepriceCursor {
  createdAt: string;
  id: string;
}

export interface RepriceContext {
  prices: SnapshotPrice[];
  modelByKey: Map<string, string>;
  codeById: Map<string, string>;
  /** null = every model; else only calls of these models. */
  scope: Set<string> | null;
  scopeCodes: string[];
}

export interface BatchResult extends RepriceResult {
  /** Where the next batch starts; null when there was nothing left. */
  cursor: RepriceCursor | null;
}

export const REPRICE_BATCH = 500;

const modelKey = (provider: string | null, model: string | null) => `${provider ?? ""}\u0000${model ?? ""}`;

/** Prices and catalog, loaded once per run: a job prices with the rows that exist when it (re)starts. */
export async function loadRepriceContext(db: Kysely<DB>, modelIds: readonly string[] | null = null): Promise<RepriceContext> {
  const priceRows = await db.selectFrom("model_prices").selectAll().execute();
  const prices: SnapshotPrice[] = priceRows.map((p) => ({
    id: p.id,
    modelId: p.model_id,
    inputPerMtok: p.input_per_mtok,
    outputPerMtok: p.output_per_mtok,
    cachedInputPerMtok: p.cached_input_per_mtok,
    cacheWritePerMtok: p.cache_write_per_mtok,
    cacheWrite1hPerMtok: p.cache_write_1h_per_mtok,
    reasoningPerMtok: p.reasoning_per_mtok,
    currency: p.currency,
    effectiveFrom: p.effective_from.getTime(),
  }));
  const models = await db
    .selectFrom("llm_models as m")
    .innerJoin("llm_providers as p", "p.id", "m.provider_id")
    .select(["m.id", "m.model_code", "p.code as provider_code"])
    .execute();
  const scope = modelIds ? new Set(modelIds) : null;
  return {
    prices,
    modelByKey: new Map(models.map((m) => [modelKey(m.provider_code, m.model_code), m.id])),
    codeById: new Map(models.map((m) => [m.id, m.model_code])),
    scope,
    scopeCodes: scope ? [...new Set(models.filter((m) => scope.has(m.id)).map((m) => m.model_code))] : [],
  };
}

function candidates(db: Kysely<DB>, ctx: RepriceContext) {
  let q = db
    .selectFrom("llm_calls")
    .where((eb) => eb.or([eb("cost", "is", null), eb("pricing_source", "=", "fallback")]))
    // Without prompt and completion tokens no price can give a cost: not worth loading.
    .where("prompt_tokens", "is not", null)
    .where("completion_tokens", "is not", null);
  if (ctx.scope) {
    const ids = [...ctx.scope];
    const codes = ctx.scopeCodes;
    // Calls recorded before their model was in the catalog carry only codes; the exact
    // provider + model match is checked per row below.
    q = q.where((eb) =>
      eb.or([
        eb("model_id", "in", ids),
        ...(codes.length > 0 ? [eb.and([eb("model_id", "is", null), eb("model_code", "in", codes)])] : []),
      ]),
    );
  }
  return q;
}

/** How many calls a run would examine: the job's progress denominator (an estimate: new calls arrive). */
export async function countRepriceCandidates(db: Kysely<DB>, ctx: RepriceContext): Promise<number> {
  const row = await candidates(db, ctx).select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirst();
  return Number(row?.n ?? 0);
}

interface Update {
  id: string;
  createdAt: string;
  cost: string;
  currency: string;
  priceId: string;
  input: string;
  output: string;
  cached: string | null;
  cacheWrite: string | null;
  cacheWrite1h: string | null;
  baseline: string | null;
}

/**
 * One batch: the next `batchSize` candidates after `after`, repriced in one UPDATE (one rollup
 * trigger run). Marks each changed call with when, which job, and its previous cost.
 */
export async function repriceBatch(
  db: Kysely<DB>,
  ctx: RepriceContext,
  after: RepriceCursor | null,
  opts: { batchSize?: number; jobId?: string | null } = {},
): Promise<BatchResult> {
  let q = candidates(db, ctx).select([
    "id", sql<string>`created_at::text`.as("created_at_text"), "created_at", "model_id", "provider_code", "model_code",
    "baseline_model_id", "prompt_tokens", "completion_tokens", "cached_tokens", "cache_write_tokens", "cache_write_1h_tokens",
    "reasoning_tokens", "total_tokens",
  ]);
  if (after) q = q.where(sql<boolean>`(created_at, id) > (${after.createdAt}::timestamptz, ${after.id}::uuid)`);
  const batch = await q.orderBy("created_at").orderBy("id").limit(opts.batchSize ?? REPRICE_BATCH).execute();
  const last = batch[batch.length - 1];
  if (!last) return { examined: 0, changed: 0, cursor: null };

  const updates = batch.flatMap((call): Update[] => {
    const modelId = call.model_id ?? ctx.modelByKey.get(modelKey(call.provider_code, call.model_code)) ?? null;
    if (!modelId || (ctx.scope && !ctx.scope.has(modelId))) return [];
    const at = call.created_at.getTime();
    const row = priceInForce(ctx.prices, modelId, at);
    if (!row) return [];
    const usage: Usage = {
      promptTokens: call.prompt_tokens,
      completionTokens: call.completion_tokens,
      cachedTokens: call.cached_tokens,
      cacheWriteTokens: call.cache_write_tokens,
      cacheWrite1hTokens: call.cache_write_1h_tokens,
      reasoningTokens: call.reasoning_tokens,
      totalTokens: call.total_tokens,
    };
    const cost = priceUsage(usage, row);
    if (cost === null) return [];
    // The baseline is re-derived too: it is only comparable in the call's (possibly new) currency.
    const baselineCode = call.baseline_model_id ? ctx.codeById.get(call.baseline_model_id) : undefined;
    const baselineRow = call.baseline_model_id
      ? (priceInForce(ctx.prices, call.baseline_model_id, at) ?? (baselineCode ? fallbackPrice(baselineCode) : null))
      : null;
    return [{
      id: call.id, createdAt: call.created_at_text, cost, currency: row.currency, priceId: row.id,
      input: row.inputPerMtok, output: row.outputPerMtok, cached: row.cachedInputPerMtok, cacheWrite: row.cacheWritePerMtok,
      cacheWrite1h: (call.cache_write_1h_tokens ?? 0) > 0 ? cacheWrite1hRate(row) : null, baseline: baselineCost(usage, baselineRow, row.currency),
    }];
  });

  let changed = 0;
  if (updates.length > 0) {
    const values = sql.join(
      updates.map(
        (u) => sql`(${u.id}::uuid, ${u.createdAt}::timestamptz, ${u.cost}::numeric, ${u.currency}::text, ${u.priceId}::uuid,
                    ${u.input}::numeric, ${u.output}::numeric, ${u.cached}::numeric, ${u.cacheWrite}::numeric, ${u.cacheWrite1h}::numeric,
                    ${u.baseline}::numeric)`,
      ),
    );
    // The right-hand sides read the row as it was, so previous_* keep the old cost. The last
    // condition re-checks the candidate filter: a row repriced meanwhile is left alone.
    const result = await sql`
      update public.llm_calls as c set
        previous_cost = c.cost, previous_currency = c.currency, previous_pricing_source = c.pricing_source,
        cost = v.cost, currency = v.currency, price_id = v.price_id, pricing_source = 'database',
        input_price_per_mtok = v.input_price, output_price_per_mtok = v.output_price,
        cached_input_price_per_mtok = v.cached_price, cache_write_price_per_mtok = v.cache_write_price,
        cache_write_1h_price_per_mtok = v.cache_write_1h_price, baseline_cost = v.baseline,
        repriced_at = now(), reprice_job_id = ${opts.jobId ?? null}::uuid
      from (values ${values}) as v(id, created_at, cost, currency, price_id, input_price, output_price, cached_price,
                             cache_write_price, cache_write_1h_price, baseline)
      where c.id = v.id and c.created_at = v.created_at and (c.cost is null or c.pricing_source = 'fallback')`.execute(db);
    changed = Number(result.numAffectedRows ?? 0n);
  }
  return { examined: batch.length, changed, cursor: { createdAt: last.created_at_text, id: last.id } };
}

/** Every batch at once, without a job (scripts and tests); each batch commits on its own. */
export async function repriceCalls(db: Kysely<DB>, batchSize = REPRICE_BATCH, modelIds: readonly string[] | null = null): Promise<RepriceResult> {
  const ctx = await loadRepriceContext(db, modelIds);
  let examined = 0;
  let changed = 0;
  let cursor: RepriceCursor | null = null;
  for (;;) {
    const from: RepriceCursor | null = cursor;
    const step: BatchResult = await withServiceActor(db, "job:reprice", (trx) => repriceBatch(trx, ctx, from, { batchSize }));
    if (!step.cursor) break;
    examined += step.examined;
    changed += step.changed;
    cursor = step.cursor;
  }
  return { examined, changed };
}
