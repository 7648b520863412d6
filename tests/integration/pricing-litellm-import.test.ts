import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { applyLitellmImport, previewLitellmImport } from "@/lib/db/litellm-import";
import { withUser } from "@/lib/db/rls";
import { parseLitellmFile } from "@/lib/engine/litellm-import";
import { importLitellmPricesSchema, litellmImportEntrySchema, type LitellmImportEntry } from "@/lib/schemas/litellm-import";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, type FixtureUser } from "@/tests/helpers/fixtures";

/** LiteLLM price import: preview and apply against the catalog, under RLS as fixture users. */

const FIXTURE = readFileSync(path.resolve(import.meta.dirname, "../fixtures/litellm-prices-excerpt.json"), "utf8");
const OPENAI = "21000000-0000-4000-8000-000000000001";
const ANTHROPIC = "21000000-0000-4000-8000-000000000002";
const GPT4O = "22000000-0000-4000-8000-000000000001";
const GPT4O_MINI = "22000000-0000-4000-8000-000000000002";
const SONNET = "22000000-0000-4000-8000-000000000003";

function fileEntries(): LitellmImportEntry[] {
  const parsed = parseLitellmFile(FIXTURE);
  if (!parsed.ok) throw new Error(parsed.error);
  // What the browser sends is validated again by the action's schema: prove the shapes agree.
  return parsed.file.entries.map((e) => litellmImportEntrySchema.parse(e));
}

describe.each(databaseTargets())("LiteLLM price import on $name", (target) => {
  let db: Database;
  const as = <T>(user: FixtureUser, fn: Parameters<typeof withUser<T>>[2]) => withUser(db, claimsFor(user), fn);
  const entries = fileEntries();
  const NOV1 = new Date("2026-11-01T00:00:00Z");
  const NOW = new Date("2026-11-24T12:00:00Z");

  const pricesOf = (modelId: string) =>
    db.kysely
      .selectFrom("model_prices")
      .select(["input_per_mtok", "output_per_mtok", "cached_input_per_mtok", "currency", "effective_from", "source", "note"])
      .where("model_id", "=", modelId)
      .orderBy("effective_from")
      .execute();

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
    await db.kysely
      .insertInto("llm_providers")
      .values([
        { id: OPENAI, code: "openai", name: "OpenAI", kind: "openai", api_key_env_var: "OPENAI_API_KEY" },
        { id: ANTHROPIC, code: "anthropic", name: "Anthropic", kind: "anthropic", api_key_env_var: "ANTHROPIC_API_KEY" },
      ])
      .execute();
    await db.kysely
      .insertInto("llm_models")
      .values([
        { id: GPT4O, provider_id: OPENAI, model_code: "gpt-4o", display_name: "GPT-4o" },
        { id: GPT4O_MINI, provider_id: OPENAI, model_code: "gpt-4o-mini", display_name: "GPT-4o mini" },
        { id: SONNET, provider_id: ANTHROPIC, model_code: "claude-sonnet-4-20250514", display_name: "Claude Sonnet 4" },
      ])
      .execute();
    await db.kysely
      .insertInto("model_prices")
      .values([
        { model_id: GPT4O, input_per_mtok: "5", output_per_mtok: "15", currency: "USD", effective_from: new Date("2026-01-01T00:00:00Z"), source: "seed" },
        // Identical to the file (3 / 15, cached 0.3, cache write 3.75): must be skipped, not duplicated.
        {
          model_id: SONNET, input_per_mtok: "3.00", output_per_mtok: "15", cached_input_per_mtok: "0.3", cache_write_per_mtok: "3.750",
          currency: "USD", effective_from: new Date("2026-01-01T00:00:00Z"), source: "seed",
        },
      ])
      .execute();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("previews matched models (changed / new / same), new models and providers not in the catalog", async () => {
    const preview = await as("platformAdmin", (tx) => previewLitellmImport(tx, entries, NOV1));
    expect(preview.matched.map((m) => [m.modelCode, m.status, m.current?.inputPerMtok ?? null, m.imported.inputPerMtok])).toEqual([
      ["gpt-4o", "changed", "5.00000000", "2.5"],
      ["gpt-4o-mini", "new", null, "0.15"],
      ["claude-sonnet-4-20250514", "same", "3.00000000", "3"],
    ]);
    // Embedding models are imported too (issue 10): text-embedding-3-small is new, mistral-embed unmatched.
    expect(preview.newModels.map((m) => `${m.providerCode}/${m.modelCode}`)).toEqual(["openai/o3-mini", "openai/text-embedding-3-small", "anthropic/claude-3-5-haiku-20241022"]);
    expect(preview.unmatched.map((u) => u.reason)).toEqual([
      "no mistral provider in the catalog", "no mistral provider in the catalog", "no mistral provider in the catalog",
      "no google provider in the catalog", "no google provider in the catalog", "no openrouter provider in the catalog",
    ]);
    expect(preview.counts).toEqual({ matched: 3, toAdd: 2, same: 1, clash: 0, newModels: 3, unmatched: 6 });
  });

  it("compares the cache-write price too: a row without it differs from a file that has it", async () => {
    expect(entries.find((e) => e.modelCode === "claude-sonnet-4-20250514")?.cacheWritePerMtok).toBe("3.75");
    const withoutWrite = entries.map((e) => (e.modelCode === "claude-sonnet-4-20250514" ? { ...e, cacheWritePerMtok: null } : e));
    const preview = await as("platformAdmin", (tx) => previewLitellmImport(tx, withoutWrite, NOV1));
    expect(preview.matched.find((m) => m.modelCode === "claude-sonnet-4-20250514")).toMatchObject({
      status: "changed", current: { cacheWritePerMtok: "3.75000000" }, imported: { cacheWritePerMtok: null },
    });
  });

  it.each(["viewerA", "financeA", "adminA"] satisfies FixtureUser[])("%s applying the import is refused by the database", async (user) => {
    const attempt = as(user, (tx) => applyLitellmImport(tx, { entries, effectiveFrom: NOV1, addNewModels: false }, null, NOW));
    await expect(attempt).rejects.toMatchObject({ code: "42501" });
    expect(await pricesOf(GPT4O)).toHaveLength(1);
  });

  it("a platform admin's import adds rows from the date, keeps history and skips identical prices", async () => {
    const result = await as("platformAdmin", (tx) => applyLitellmImport(tx, { entries, effectiveFrom: NOV1, addNewModels: false }, null, NOW));
    expect(result).toEqual({ pricesAdded: 2, sameSkipped: 1, clashSkipped: 0, modelsAdded: 0, affectedModelIds: [GPT4O, GPT4O_MINI] });
    expect((await pricesOf(GPT4O)).map((p) => [p.input_per_mtok, p.output_per_mtok, p.cached_input_per_mtok, p.source, p.effective_from.toISOString()])).toEqual([
      ["5.00000000", "15.00000000", null, "seed", "2026-01-01T00:00:00.000Z"],
      ["2.50000000", "10.00000000", "1.25000000", "litellm", "2026-11-01T00:00:00.000Z"],
    ]);
    expect((await pricesOf(GPT4O_MINI))[0]).toMatchObject({ input_per_mtok: "0.15000000", cached_input_per_mtok: "0.07500000", currency: "USD", note: "LiteLLM: gpt-4o-mini" });
    expect(await pricesOf(SONNET)).toHaveLength(1);
    const models = await db.kysely.selectFrom("llm_models").select("model_code").where("model_code", "=", "o3-mini").execute();
    expect(models).toEqual([]);
  });

  it("importing the same file again adds nothing: every price is already in force", async () => {
    const result = await as("platformAdmin", (tx) => applyLitellmImport(tx, { entries, effectiveFrom: new Date("2026-11-15T00:00:00Z"), addNewModels: false }, null, NOW));
    expect(result).toMatchObject({ pricesAdded: 0, sameSkipped: 3, affectedModelIds: [] });
  });

  it("respects the effective date: a future import is scheduled, reprices nothing, and leaves today's price in force", async () => {
    const cheaper = entries.map((e) => (e.modelCode === "gpt-4o" ? { ...e, inputPerMtok: "2", outputPerMtok: "8" } : e));
    const effectiveFrom = new Date("2027-01-01T00:00:00Z");
    const preview = await as("financeA", (tx) => previewLitellmImport(tx, cheaper, effectiveFrom));
    expect(preview.matched.find((m) => m.modelCode === "gpt-4o")).toMatchObject({ status: "changed", current: { inputPerMtok: "2.50000000", effectiveFrom: "2026-11-01T00:00:00.000Z" } });
    const result = await as("platformAdmin", (tx) => applyLitellmImport(tx, { entries: cheaper, effectiveFrom, addNewModels: false }, null, NOW));
    expect(result).toMatchObject({ pricesAdded: 1, affectedModelIds: [] });
    expect((await pricesOf(GPT4O)).map((p) => p.input_per_mtok)).toEqual(["5.00000000", "2.50000000", "2.00000000"]);
  });

  it("a price that clashes with a row starting at the same moment is reported, not inserted", async () => {
    const dearer = entries.map((e) => (e.modelCode === "gpt-4o" ? { ...e, inputPerMtok: "9" } : e));
    const result = await as("platformAdmin", (tx) => applyLitellmImport(tx, { entries: dearer, effectiveFrom: NOV1, addNewModels: false }, null, NOW));
    expect(result).toMatchObject({ pricesAdded: 0, clashSkipped: 1 });
  });

  it("optionally adds the new models, disabled, with their context window and price", async () => {
    const result = await as("platformAdmin", (tx) => applyLitellmImport(tx, { entries, effectiveFrom: NOV1, addNewModels: true }, null, NOW));
    expect(result).toMatchObject({ pricesAdded: 3, modelsAdded: 3 });
    const added = await db.kysely
      .selectFrom("llm_models as m")
      .innerJoin("model_prices as p", "p.model_id", "m.id")
      .select(["m.model_code", "m.enabled", "m.context_window", "m.max_output_tokens", "p.input_per_mtok", "p.cache_write_per_mtok", "p.source"])
      .where("m.model_code", "in", ["o3-mini", "claude-3-5-haiku-20241022"])
      .orderBy("m.model_code")
      .execute();
    expect(added).toEqual([
      // cache_creation_input_token_cost 1e-06 per token = 1 per million, stored exactly.
      { model_code: "claude-3-5-haiku-20241022", enabled: false, context_window: 200000, max_output_tokens: 8192, input_per_mtok: "0.80000000", cache_write_per_mtok: "1.00000000", source: "litellm" },
      { model_code: "o3-mini", enabled: false, context_window: 200000, max_output_tokens: 100000, input_per_mtok: "1.10000000", cache_write_per_mtok: null, source: "litellm" },
    ]);
    // An embedding model arrives as one (so chat routing never picks it), priced per input token.
    const embedding = await db.kysely
      .selectFrom("llm_models as m")
      .innerJoin("model_prices as p", "p.model_id", "m.id")
      .select(["m.kind", "m.enabled", "m.max_output_tokens", "p.input_per_mtok", "p.output_per_mtok"])
      .where("m.model_code", "=", "text-embedding-3-small")
      .execute();
    expect(embedding).toEqual([{ kind: "embedding", enabled: false, max_output_tokens: null, input_per_mtok: "0.02000000", output_per_mtok: "0.00000000" }]);
  });

  it.each([
    ["a price with too many decimals", { inputPerMtok: "0.123456789" }, "entries.0.inputPerMtok"],
    ["a float price", { inputPerMtok: 2.5 }, "entries.0.inputPerMtok"],
    ["an unexpected field", { sneaky: true }, "entries.0"],
  ])("the action schema refuses %s", (_name, change, field) => {
    const parsed = importLitellmPricesSchema.safeParse({ entries: [{ ...entries[0], ...change }], effectiveFrom: "2026-11-01" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join("."))).toContain(field);
  });

  it("the action schema reads the effective date as 00:00 UTC and refuses impossible dates", () => {
    expect(importLitellmPricesSchema.parse({ entries, effectiveFrom: "2026-12-01" }).effectiveFrom.toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(importLitellmPricesSchema.safeParse({ entries, effectiveFrom: "2026-02-30" }).success).toBe(false);
    expect(importLitellmPricesSchema.safeParse({ entries: [], effectiveFrom: "2026-12-01" }).success).toBe(false);
  });
});
