import type { Kysely } from "kysely";
import type { ModelInput, ModelKind } from "@/lib/schemas/llm-model";
import { currencyChangeWarning, type PriceInput } from "@/lib/schemas/model-price";
import type { Database } from "./client";
import { withUser, type JwtClaims, type UserTx } from "./rls";
import type { DB } from "./schema";
import { WriteRefusal } from "./write-refusal";

/**
 * Models and their price history, read and written under RLS as the signed-in user. Every member
 * may read the catalog; only platform admins may add models and prices (the policies decide).
 * Prices are never updated: a change is a new row effective from a moment.
 */

export interface PriceRow {
  id: string;
  inputPerMtok: string;
  outputPerMtok: string;
  cachedInputPerMtok: string | null;
  /** null = prompt-cache writes are priced as input. */
  cacheWritePerMtok: string | null;
  /** null = one-hour cache writes are priced at 2x input (lib/engine/price.ts cacheWrite1hRate). */
  cacheWrite1hPerMtok: string | null;
  currency: string;
  effectiveFrom: string;
  source: "manual" | "seed" | "import" | "litellm";
  note: string | null;
  /** in force = the row a call made now is priced with; scheduled = effective later; superseded = history. */
  status: "in_force" | "scheduled" | "superseded";
}

export interface PricingModel {
  id: string;
  modelCode: string;
  displayName: string;
  providerCode: string;
  providerName: string;
  kind: ModelKind;
  contextWindow: number | null;
  enabled: boolean;
  /** Newest first. */
  prices: PriceRow[];
}

export interface PricingPageData {
  models: PricingModel[];
  providers: { id: string; code: string; name: string }[];
}

export async function loadPricingPage(db: Database | Kysely<DB>, claims: JwtClaims, now = new Date()): Promise<PricingPageData> {
  return withUser(db, claims, async (tx) => {
    const [models, prices, providers] = await Promise.all([
      tx
        .selectFrom("llm_models as m")
        .innerJoin("llm_providers as p", "p.id", "m.provider_id")
        .select(["m.id", "m.model_code", "m.display_name", "m.kind", "m.context_window", "m.enabled", "p.code as provider_code", "p.name as provider_name"])
        .orderBy("p.code")
        .orderBy("m.model_code")
        .execute(),
      tx
        .selectFrom("model_prices")
        .select(["id", "model_id", "input_per_mtok", "output_per_mtok", "cached_input_per_mtok", "cache_write_per_mtok", "cache_write_1h_per_mtok", "currency", "effective_from",
          "source", "note"])
        .orderBy("effective_from", "desc")
        .execute(),
      tx.selectFrom("llm_providers").select(["id", "code", "name"]).orderBy("code").execute(),
    ]);
    const byModel = new Map<string, PriceRow[]>();
    for (const p of prices) {
      const rows = byModel.get(p.model_id) ?? [];
      // Rows arrive newest first, so the first one not in the future is the one in force.
      const inForceSeen = rows.some((r) => r.status === "in_force");
      const status = p.effective_from > now ? "scheduled" : inForceSeen ? "superseded" : "in_force";
      rows.push({
        id: p.id,
        inputPerMtok: p.input_per_mtok,
        outputPerMtok: p.output_per_mtok,
        cachedInputPerMtok: p.cached_input_per_mtok,
        cacheWritePerMtok: p.cache_write_per_mtok,
        cacheWrite1hPerMtok: p.cache_write_1h_per_mtok,
        currency: p.currency,
        effectiveFrom: p.effective_from.toISOString(),
        source: p.source,
        note: p.note,
        status,
      });
      byModel.set(p.model_id, rows);
    }
    return {
      models: models.map((m) => ({
        id: m.id,
        modelCode: m.model_code,
        displayName: m.display_name,
        providerCode: m.provider_code,
        providerName: m.provider_name,
        kind: m.kind,
        contextWindow: m.context_window,
        enabled: m.enabled,
        prices: byModel.get(m.id) ?? [],
      })),
      providers,
    };
  });
}

/** Adds a price row; the history stays (there is no update policy on model_prices). */
export async function addPrice(tx: UserTx, input: PriceInput, userId: string | null): Promise<{ id: string }> {
  const effectiveFrom = input.effectiveFrom ?? new Date();
  const clash = await tx
    .selectFrom("model_prices")
    .select("id")
    .where("model_id", "=", input.modelId)
    .where("effective_from", "=", effectiveFrom)
    .executeTakeFirst();
  if (clash) {
    throw new WriteRefusal("This model already has a price effective from that moment.", {
      effectiveFrom: ["Another price row starts at exactly this time; pick another moment."],
    });
  }
  // A currency switch is allowed, but only as an explicit choice: it changes which budgets count the model.
  const previous = await tx
    .selectFrom("model_prices as p")
    .innerJoin("llm_models as m", "m.id", "p.model_id")
    .select(["p.currency", "m.model_code"])
    .where("p.model_id", "=", input.modelId)
    .where("p.effective_from", "<=", effectiveFrom)
    .orderBy("p.effective_from", "desc")
    .limit(1)
    .executeTakeFirst();
  if (previous && previous.currency !== input.currency && !input.confirmCurrencyChange) {
    throw new WriteRefusal(`Confirm the switch from ${previous.currency} to ${input.currency}.`, {
      currency: [currencyChangeWarning(previous.model_code, previous.currency, input.currency)],
    });
  }
  return tx
    .insertInto("model_prices")
    .values({
      model_id: input.modelId,
      input_per_mtok: input.inputPerMtok,
      output_per_mtok: input.outputPerMtok,
      cached_input_per_mtok: input.cachedInputPerMtok ?? null,
      cache_write_per_mtok: input.cacheWritePerMtok ?? null,
      cache_write_1h_per_mtok: input.cacheWrite1hPerMtok ?? null,
      currency: input.currency,
      effective_from: effectiveFrom,
      source: "manual",
      note: input.note ? input.note : null,
      created_by: userId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

export async function addModel(tx: UserTx, input: ModelInput): Promise<{ id: string }> {
  const existing = await tx
    .selectFrom("llm_models")
    .select("id")
    .where("provider_id", "=", input.providerId)
    .where("model_code", "=", input.modelCode)
    .executeTakeFirst();
  if (existing) throw new WriteRefusal("Check the highlighted fields.", { modelCode: ["This provider already has a model with this code."] });
  return tx
    .insertInto("llm_models")
    .values({
      provider_id: input.providerId,
      model_code: input.modelCode,
      display_name: input.displayName,
      kind: input.kind,
      context_window: input.contextWindow ?? null,
      max_output_tokens: input.maxOutputTokens ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

/**
 * Cancels a price row that has not taken effect yet. Rows already in force priced real calls and
 * stay; a scheduled one has priced nothing, so removing it rewrites no history.
 */
export async function cancelScheduledPrice(tx: UserTx, id: string, now = new Date()): Promise<{ id: string }> {
  const result = await tx.deleteFrom("model_prices").where("id", "=", id).where("effective_from", ">", now).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new WriteRefusal("Only a scheduled price can be cancelled (or you may not change it).");
  return { id };
}
