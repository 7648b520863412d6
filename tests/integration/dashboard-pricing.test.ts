import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { loadConfigSnapshotData } from "@/lib/db/config-snapshot";
import { addModel, addPrice, cancelScheduledPrice, loadPricingPage } from "@/lib/db/pricing";
import { priceInForce, priceUsage } from "@/lib/engine/price";
import { withUser } from "@/lib/db/rls";
import { WriteRefusal } from "@/lib/db/write-refusal";
import { modelInputSchema } from "@/lib/schemas/llm-model";
import { priceInputSchema, type PriceInput } from "@/lib/schemas/model-price";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids, type FixtureUser } from "@/tests/helpers/fixtures";
import { outcome } from "@/tests/helpers/outcome";

/** Models and price history, under RLS as each fixture user. */

const price = (change: Partial<PriceInput> = {}): PriceInput => ({
  modelId: ids.models.primary, inputPerMtok: "2.5", outputPerMtok: "10", currency: "USD",
  effectiveFrom: new Date("2026-06-01T00:00:00Z"), ...change,
});

describe.each(databaseTargets())("dashboard pricing on $name", (target) => {
  let db: Database;
  const as = <T>(user: FixtureUser, fn: Parameters<typeof withUser<T>>[2]) => withUser(db, claimsFor(user), fn);

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("every member reads models with their prices; a model without a price has an empty history", async () => {
    const page = await loadPricingPage(db, claimsFor("financeA"), new Date("2026-11-24T00:00:00Z"));
    const primary = page.models.find((m) => m.id === ids.models.primary);
    expect(primary?.prices).toEqual([expect.objectContaining({ inputPerMtok: "3.00000000", currency: "USD", status: "in_force" })]);
    expect(page.models.find((m) => m.id === ids.models.spare)?.prices).toEqual([]);
    const outsider = await loadPricingPage(db, claimsFor("outsider"));
    expect(outsider.models).toEqual([]);
  });

  it.each([
    ["viewerA", "42501"],
    ["financeA", "42501"],
    ["adminA", "42501"],
  ] as const)("%s adding a price is refused by the database (%s)", async (user, code) => {
    expect(await outcome(() => as(user, (tx) => addPrice(tx, price(), null)))).toBe(code);
  });

  it("a platform admin's price adds a row; the earlier row is kept as history", async () => {
    await as("platformAdmin", (tx) => addPrice(tx, price(), ids.users.platformAdmin));
    const future = new Date("2099-01-01T00:00:00Z");
    await as("platformAdmin", (tx) => addPrice(tx, price({ effectiveFrom: future, inputPerMtok: "1" }), null));
    const page = await loadPricingPage(db, claimsFor("viewerA"), new Date("2026-11-24T00:00:00Z"));
    const rows = page.models.find((m) => m.id === ids.models.primary)?.prices ?? [];
    expect(rows.map((r) => [r.inputPerMtok, r.status])).toEqual([
      ["1.00000000", "scheduled"],
      ["2.50000000", "in_force"],
      ["3.00000000", "superseded"],
    ]);
    expect(rows[1]?.source).toBe("manual");
    expect(await outcome(() => as("platformAdmin", (tx) => addPrice(tx, price(), null)))).toBe("refused");
  });

  it("only a scheduled row can be cancelled, and only by a platform admin", async () => {
    const scheduled = await as("platformAdmin", (tx) => addPrice(tx, price({ effectiveFrom: new Date("2098-01-01T00:00:00Z") }), null));
    expect(await outcome(() => as("financeA", (tx) => cancelScheduledPrice(tx, scheduled.id)))).toBe("refused");
    expect(await outcome(() => as("platformAdmin", (tx) => cancelScheduledPrice(tx, ids.prices.secondary)))).toBe("refused");
    expect(await outcome(() => as("platformAdmin", (tx) => cancelScheduledPrice(tx, scheduled.id)))).toBe("ok");
  });

  it("history cannot be overwritten: an update matches no row even for a platform admin", async () => {
    const result = await as("platformAdmin", (tx) =>
      tx.updateTable("model_prices").set({ input_per_mtok: "0" }).where("id", "=", ids.prices.primary).executeTakeFirst(),
    ).catch((err: { code?: string }) => err.code);
    expect(result === "42501" || Number((result as { numUpdatedRows?: bigint }).numUpdatedRows) === 0).toBe(true);
  });

  it("adds a model (platform admin only) and reports a duplicate code by field", async () => {
    const input = modelInputSchema.parse({ providerId: ids.provider, modelCode: "mock-xl", displayName: "Mock XL", contextWindow: "64000" });
    expect(await outcome(() => as("adminA", (tx) => addModel(tx, input)))).toBe("42501");
    await as("platformAdmin", (tx) => addModel(tx, input));
    const duplicate = await as("platformAdmin", (tx) => addModel(tx, input)).catch((err: unknown) => err);
    expect(duplicate).toBeInstanceOf(WriteRefusal);
    expect((duplicate as WriteRefusal).fieldErrors?.modelCode).toBeDefined();
  });

  it.each([
    [{ inputPerMtok: "-1" }, "inputPerMtok"],
    [{ inputPerMtok: "1.123456789" }, "inputPerMtok"],
    [{ outputPerMtok: "" }, "outputPerMtok"],
    [{ currency: "euro" }, "currency"],
    [{ modelId: "nope" }, "modelId"],
    [{ effectiveFrom: "not a date" }, "effectiveFrom"],
    [{ cacheWritePerMtok: "-3.75" }, "cacheWritePerMtok"],
    [{ cacheWritePerMtok: "3.123456789" }, "cacheWritePerMtok"],
    [{ cacheWritePerMtok: "1e3" }, "cacheWritePerMtok"],
  ])("validation rejects %o on %s", (change, field) => {
    const parsed = priceInputSchema.safeParse({ modelId: ids.models.primary, inputPerMtok: "1", outputPerMtok: "2", currency: "usd", ...change });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path[0])).toContain(field);
  });

  it("normalizes the currency and treats an empty cached price and date as unset", () => {
    const parsed = priceInputSchema.parse({ modelId: ids.models.primary, inputPerMtok: "1", outputPerMtok: "2", currency: "eur", cachedInputPerMtok: "", cacheWritePerMtok: "", effectiveFrom: "" });
    expect(parsed).toMatchObject({ currency: "EUR", cachedInputPerMtok: undefined, cacheWritePerMtok: undefined, effectiveFrom: undefined });
  });

  it("stores an optional cache-write price exactly; the history and the gateway's snapshot carry it", async () => {
    const input = priceInputSchema.parse({
      modelId: ids.models.spare, inputPerMtok: "3", outputPerMtok: "15", cachedInputPerMtok: "0.30", cacheWritePerMtok: "3.75",
      currency: "USD", effectiveFrom: "2026-07-01T00:00:00Z",
    });
    expect(await outcome(() => as("adminA", (tx) => addPrice(tx, input, null)))).toBe("42501");
    await as("platformAdmin", (tx) => addPrice(tx, input, ids.users.platformAdmin));
    const page = await loadPricingPage(db, claimsFor("viewerA"), new Date("2026-11-24T00:00:00Z"));
    expect(page.models.find((m) => m.id === ids.models.spare)?.prices).toEqual([
      expect.objectContaining({ cachedInputPerMtok: "0.30000000", cacheWritePerMtok: "3.75000000", status: "in_force" }),
    ]);
    // Without the field, a price row keeps cache writes at the input price (null).
    expect(page.models.find((m) => m.id === ids.models.primary)?.prices.every((p) => p.cacheWritePerMtok === null)).toBe(true);

    const snapshot = await as("platformAdmin", (tx) => loadConfigSnapshotData(tx));
    const row = priceInForce(snapshot.prices, ids.models.spare, Date.parse("2026-11-24T00:00:00Z"));
    expect(row).toMatchObject({ cacheWritePerMtok: "3.75000000" });
    if (!row) throw new Error("no price in force");
    // 10 plain, 5 read, 3 written, 7 out: (30 + 1.5 + 11.25 + 105) / 1e6
    const usage = { promptTokens: 18, completionTokens: 7, cachedTokens: 5, cacheWriteTokens: 3, reasoningTokens: null, totalTokens: 25 };
    expect(priceUsage(usage, row)).toBe("0.00014775");
  });
});
