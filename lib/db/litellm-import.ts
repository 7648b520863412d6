import type { UserTx } from "./rls";
import { LITELLM_CURRENCY, samePrice } from "@/lib/engine/litellm-import";
import type { LitellmImportEntry } from "@/lib/schemas/litellm-import";

/**
 * LiteLLM price import against the catalog, under RLS as the signed-in user: every member may
 * preview (they read the catalog anyway); only platform admins may insert, which the
 * model_prices / llm_models policies decide. Prices are history: the import adds rows effective
 * from a date and never updates one; a row identical to the price in force then is skipped.
 */

export interface PriceValues {
  inputPerMtok: string;
  outputPerMtok: string;
  cachedInputPerMtok: string | null;
  cacheWritePerMtok: string | null;
  reasoningPerMtok: string | null;
}

export interface MatchedModel {
  key: string;
  modelId: string;
  providerCode: string;
  modelCode: string;
  /** The price in force at the effective date (any currency), or null when the model has none. */
  current: (PriceValues & { currency: string; effectiveFrom: string }) | null;
  imported: PriceValues;
  /** new = no price yet; changed = differs (or another currency); same = identical, skipped; clash = another row starts at that exact moment. */
  status: "new" | "changed" | "same" | "clash";
}

export interface NewModel {
  key: string;
  providerId: string;
  providerCode: string;
  modelCode: string;
  imported: PriceValues;
}

export interface ImportPreview {
  effectiveFrom: string;
  matched: MatchedModel[];
  newModels: NewModel[];
  /** Entries whose provider is not in the catalog. */
  unmatched: { key: string; reason: string }[];
  counts: { matched: number; toAdd: number; same: number; clash: number; newModels: number; unmatched: number };
}

const valuesOf = (e: LitellmImportEntry): PriceValues => ({
  inputPerMtok: e.inputPerMtok,
  outputPerMtok: e.outputPerMtok,
  cachedInputPerMtok: e.cachedInputPerMtok ?? null,
  cacheWritePerMtok: e.cacheWritePerMtok ?? null,
  reasoningPerMtok: e.reasoningPerMtok ?? null,
});

function identical(a: PriceValues & { currency: string }, b: PriceValues): boolean {
  return (
    a.currency === LITELLM_CURRENCY &&
    samePrice(a.inputPerMtok, b.inputPerMtok) &&
    samePrice(a.outputPerMtok, b.outputPerMtok) &&
    samePrice(a.cachedInputPerMtok, b.cachedInputPerMtok) &&
    samePrice(a.cacheWritePerMtok, b.cacheWritePerMtok) &&
    samePrice(a.reasoningPerMtok, b.reasoningPerMtok)
  );
}

export async function previewLitellmImport(tx: UserTx, entries: readonly LitellmImportEntry[], effectiveFrom: Date): Promise<ImportPreview> {
  const [providers, models, prices] = await Promise.all([
    tx.selectFrom("llm_providers").select(["id", "code", "kind"]).execute(),
    tx.selectFrom("llm_models").select(["id", "provider_id", "model_code"]).execute(),
    tx
      .selectFrom("model_prices")
      .select(["id", "model_id", "input_per_mtok", "output_per_mtok", "cached_input_per_mtok", "cache_write_per_mtok", "reasoning_per_mtok",
        "currency", "effective_from"])
      .where("effective_from", "<=", effectiveFrom)
      .orderBy("effective_from", "desc")
      .execute(),
  ]);
  // Our code for the family first (a provider named "openai"); else the one provider of that kind.
  const providerFor = (code: string) => {
    const byCode = providers.find((p) => p.code === code);
    if (byCode) return byCode;
    const ofKind = providers.filter((p) => p.kind === code);
    return ofKind.length === 1 ? ofKind[0] : undefined;
  };
  const modelByKey = new Map(models.map((m) => [`${m.provider_id}\u0000${m.model_code}`, m.id]));
  const inForce = new Map<string, (typeof prices)[number]>();
  for (const p of prices) if (!inForce.has(p.model_id)) inForce.set(p.model_id, p);

  const preview: ImportPreview = { effectiveFrom: effectiveFrom.toISOString(), matched: [], newModels: [], unmatched: [], counts: { matched: 0, toAdd: 0, same: 0, clash: 0, newModels: 0, unmatched: 0 } };
  const seen = new Set<string>();
  for (const entry of entries) {
    const provider = providerFor(entry.providerCode);
    if (!provider) {
      preview.unmatched.push({ key: entry.key, reason: `no ${entry.providerCode} provider in the catalog` });
      continue;
    }
    const id = `${provider.id}\u0000${entry.modelCode}`;
    if (seen.has(id)) {
      preview.unmatched.push({ key: entry.key, reason: "listed twice" });
      continue;
    }
    seen.add(id);
    const imported = valuesOf(entry);
    const modelId = modelByKey.get(id);
    if (!modelId) {
      preview.newModels.push({ key: entry.key, providerId: provider.id, providerCode: provider.code, modelCode: entry.modelCode, imported });
      continue;
    }
    const row = inForce.get(modelId);
    const current = row
      ? {
          inputPerMtok: row.input_per_mtok, outputPerMtok: row.output_per_mtok, cachedInputPerMtok: row.cached_input_per_mtok,
          cacheWritePerMtok: row.cache_write_per_mtok,
          reasoningPerMtok: row.reasoning_per_mtok, currency: row.currency, effectiveFrom: row.effective_from.toISOString(),
        }
      : null;
    const status: MatchedModel["status"] = !current
      ? "new"
      : identical(current, imported)
        ? "same"
        : row && row.effective_from.getTime() === effectiveFrom.getTime()
          ? "clash"
          : "changed";
    preview.matched.push({ key: entry.key, modelId, providerCode: provider.code, modelCode: entry.modelCode, current, imported, status });
  }
  const c = preview.counts;
  c.matched = preview.matched.length;
  c.toAdd = preview.matched.filter((m) => m.status === "new" || m.status === "changed").length;
  c.same = preview.matched.filter((m) => m.status === "same").length;
  c.clash = preview.matched.filter((m) => m.status === "clash").length;
  c.newModels = preview.newModels.length;
  c.unmatched = preview.unmatched.length;
  return preview;
}

export interface ImportResult {
  pricesAdded: number;
  sameSkipped: number;
  clashSkipped: number;
  modelsAdded: number;
  /** Models whose new price is already in force: their unpriced calls are worth repricing now. */
  affectedModelIds: string[];
}

export async function applyLitellmImport(
  tx: UserTx,
  input: { entries: readonly LitellmImportEntry[]; effectiveFrom: Date; addNewModels: boolean },
  userId: string | null,
  now = new Date(),
): Promise<ImportResult> {
  const preview = await previewLitellmImport(tx, input.entries, input.effectiveFrom);
  const rows: { modelId: string; values: PriceValues; key: string }[] = preview.matched
    .filter((m) => m.status === "new" || m.status === "changed")
    .map((m) => ({ modelId: m.modelId, values: m.imported, key: m.key }));

  let modelsAdded = 0;
  if (input.addNewModels && preview.newModels.length > 0) {
    const byKey = new Map(input.entries.map((e) => [e.key, e]));
    // New models arrive disabled: a price alone must not put a model into routing.
    const created = await tx
      .insertInto("llm_models")
      .values(
        preview.newModels.map((m) => ({
          provider_id: m.providerId,
          model_code: m.modelCode,
          display_name: m.modelCode,
          context_window: byKey.get(m.key)?.contextWindow ?? null,
          max_output_tokens: byKey.get(m.key)?.maxOutputTokens ?? null,
          kind: byKey.get(m.key)?.kind ?? "chat",
          enabled: false,
        })),
      )
      .returning(["id", "provider_id", "model_code"])
      .execute();
    modelsAdded = created.length;
    const idOf = new Map(created.map((m) => [`${m.provider_id}\u0000${m.model_code}`, m.id]));
    for (const m of preview.newModels) {
      const modelId = idOf.get(`${m.providerId}\u0000${m.modelCode}`);
      if (modelId) rows.push({ modelId, values: m.imported, key: m.key });
    }
  }

  if (rows.length > 0) {
    await tx
      .insertInto("model_prices")
      .values(
        rows.map((r) => ({
          model_id: r.modelId,
          input_per_mtok: r.values.inputPerMtok,
          output_per_mtok: r.values.outputPerMtok,
          cached_input_per_mtok: r.values.cachedInputPerMtok,
          cache_write_per_mtok: r.values.cacheWritePerMtok,
          reasoning_per_mtok: r.values.reasoningPerMtok,
          currency: LITELLM_CURRENCY,
          effective_from: input.effectiveFrom,
          source: "litellm" as const,
          note: `LiteLLM: ${r.key}`.slice(0, 500),
          created_by: userId,
        })),
      )
      .execute();
  }
  return {
    pricesAdded: rows.length,
    sameSkipped: preview.counts.same,
    clashSkipped: preview.counts.clash,
    modelsAdded,
    affectedModelIds: input.effectiveFrom <= now ? [...new Set(rows.map((r) => r.modelId))] : [],
  };
}
