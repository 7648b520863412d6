import { sql, type Kysely } from "kysely";
import { fallbackPrice } from "@/lib/engine/fallback-prices";
import { baselineCost, priceInForce, priceUsage } from "@/lib/engine/price";
import type { SnapshotPrice, Usage } from "@/lib/engine/types";
import type { DB } from "./schema";

/**
 * Reprices recorded calls that have no cost, or were priced from the built-in fallback table,
 * with the database price row in force at each call's created_at: the same pure functions the
 * gateway prices with (lib/engine/price.ts), so the result is exact and identical.
 *
 * Takes a Kysely that may write llm_calls: users cannot (their grants are select-only), so the
 * caller passes the service path after checking that the user is a platform admin. The rollup
 * trigger moves the repriced rows between llm_call_daily buckets in the same statement.
 *
 * Idempotent: a repriced row gets pricing_source 'database' and a cost, so it no longer matches;
 * rows still without a database price are left as they are, so a second run changes nothing.
 */

export interface RepriceResult {
  examined: number;
  changed: number;
}

const BATCH = 500;

export async function repriceCalls(db: Kysely<DB>, batchSize = BATCH): Promise<RepriceResult> {
  const priceRows = await db.selectFrom("model_prices").selectAll().execute();
  const prices: SnapshotPrice[] = priceRows.map((p) => ({
    id: p.id,
    modelId: p.model_id,
    inputPerMtok: p.input_per_mtok,
    outputPerMtok: p.output_per_mtok,
    cachedInputPerMtok: p.cached_input_per_mtok,
    reasoningPerMtok: p.reasoning_per_mtok,
    currency: p.currency,
    effectiveFrom: p.effective_from.getTime(),
  }));
  const models = await db
    .selectFrom("llm_models as m")
    .innerJoin("llm_providers as p", "p.id", "m.provider_id")
    .select(["m.id", "m.model_code", "p.code as provider_code"])
    .execute();
  const modelByKey = new Map(models.map((m) => [`${m.provider_code}\u0000${m.model_code}`, m.id]));
  const codeById = new Map(models.map((m) => [m.id, m.model_code]));

  let examined = 0;
  let changed = 0;
  let after: { createdAt: Date; id: string } | null = null;
  for (;;) {
    let q = db
      .selectFrom("llm_calls")
      .select([
        "id", "created_at", "model_id", "provider_code", "model_code", "baseline_model_id",
        "prompt_tokens", "completion_tokens", "cached_tokens", "reasoning_tokens", "total_tokens",
      ])
      .where((eb) => eb.or([eb("cost", "is", null), eb("pricing_source", "=", "fallback")]))
      // Without prompt and completion tokens no price can give a cost: not worth loading.
      .where("prompt_tokens", "is not", null)
      .where("completion_tokens", "is not", null);
    if (after) q = q.where(sql<boolean>`(created_at, id) > (${after.createdAt}, ${after.id})`);
    const batch = await q.orderBy("created_at").orderBy("id").limit(batchSize).execute();
    if (batch.length === 0) break;
    const last = batch[batch.length - 1];
    if (last) after = { createdAt: last.created_at, id: last.id };
    examined += batch.length;

    const updates = batch.flatMap((call) => {
      const modelId = call.model_id ?? modelByKey.get(`${call.provider_code ?? ""}\u0000${call.model_code ?? ""}`) ?? null;
      const at = call.created_at.getTime();
      const row = modelId ? priceInForce(prices, modelId, at) : null;
      if (!row) return [];
      const usage: Usage = {
        promptTokens: call.prompt_tokens,
        completionTokens: call.completion_tokens,
        cachedTokens: call.cached_tokens,
        reasoningTokens: call.reasoning_tokens,
        totalTokens: call.total_tokens,
      };
      const cost = priceUsage(usage, row);
      if (cost === null) return [];
      // The baseline is re-derived too: it is only comparable in the call's (possibly new) currency.
      const baselineCode = call.baseline_model_id ? codeById.get(call.baseline_model_id) : undefined;
      const baselineRow = call.baseline_model_id
        ? (priceInForce(prices, call.baseline_model_id, at) ?? (baselineCode ? fallbackPrice(baselineCode) : null))
        : null;
      return [{ call, row, cost, baseline: baselineCost(usage, baselineRow, row.currency) }];
    });
    if (updates.length === 0) continue;
    await db.transaction().execute(async (trx) => {
      for (const u of updates) {
        const result = await trx
          .updateTable("llm_calls")
          .set({
            cost: u.cost,
            currency: u.row.currency,
            price_id: u.row.id,
            pricing_source: "database",
            input_price_per_mtok: u.row.inputPerMtok,
            output_price_per_mtok: u.row.outputPerMtok,
            cached_input_price_per_mtok: u.row.cachedInputPerMtok,
            baseline_cost: u.baseline,
          })
          .where("id", "=", u.call.id)
          .where("created_at", "=", u.call.created_at)
          .executeTakeFirst();
        changed += Number(result.numUpdatedRows);
      }
    });
  }
  return { examined, changed };
}
