import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { loadConfigSnapshotData } from "@/lib/db/config-snapshot";
import { addModel, addPrice, loadPricingPage } from "@/lib/db/pricing";
import { withUser } from "@/lib/db/rls";
import { priceInForce, priceUsage } from "@/lib/engine/price";
import { modelInputSchema } from "@/lib/schemas/llm-model";
import { priceInputSchema } from "@/lib/schemas/model-price";
import { databaseTargets, openMigrated } from "@/tests/helpers/databases";
import { claimsFor, createFixtureWorld, ids, type FixtureUser } from "@/tests/helpers/fixtures";
import { outcome } from "@/tests/helpers/outcome";

/**
 * The catalog fields issue 10 added, edited from the Pricing page: a model's kind (chat |
 * embedding, which routing reads) and a price row's 1-hour cache-write price (empty = 2x input).
 * Saved under RLS as the signed-in user, read back by the page and by the gateway's snapshot.
 */

const NOW = new Date("2026-11-24T00:00:00Z");

describe.each(databaseTargets())("catalog fields on $name", (target) => {
  let db: Database;
  const as = <T>(user: FixtureUser, fn: Parameters<typeof withUser<T>>[2]) => withUser(db, claimsFor(user), fn);

  beforeAll(async () => {
    db = await openMigrated(target);
    await createFixtureWorld(db.kysely);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("a model is chat unless the form says embedding; the page and the gateway's snapshot carry the kind", async () => {
    const chat = modelInputSchema.parse({ providerId: ids.provider, modelCode: "mock-chat-2", displayName: "Mock chat 2", kind: "" });
    const embed = modelInputSchema.parse({ providerId: ids.provider, modelCode: "mock-embed-2", displayName: "Mock embed 2", kind: "embedding" });
    expect(chat.kind).toBe("chat");
    expect(await outcome(() => as("adminA", (tx) => addModel(tx, embed)))).toBe("42501");
    const chatId = (await as("platformAdmin", (tx) => addModel(tx, chat))).id;
    const embedId = (await as("platformAdmin", (tx) => addModel(tx, embed))).id;

    const page = await loadPricingPage(db, claimsFor("viewerA"), NOW);
    expect(page.models.find((m) => m.id === chatId)?.kind).toBe("chat");
    expect(page.models.find((m) => m.id === embedId)?.kind).toBe("embedding");
    expect(page.models.find((m) => m.id === ids.models.primary)?.kind).toBe("chat");

    const snapshot = await as("platformAdmin", (tx) => loadConfigSnapshotData(tx));
    expect(snapshot.models.find((m) => m.id === embedId)?.kind).toBe("embedding");
    expect(snapshot.models.find((m) => m.id === chatId)?.kind).toBe("chat");
  });

  it.each([["vision"], ["CHAT"], [42]])("validation refuses kind %o, naming the field", (kind) => {
    const parsed = modelInputSchema.safeParse({ providerId: ids.provider, modelCode: "x", displayName: "X", kind });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path[0])).toEqual(["kind"]);
  });

  it("the database refuses a kind the form would not send (its check constraint)", async () => {
    const bad = { ...modelInputSchema.parse({ providerId: ids.provider, modelCode: "mock-bad", displayName: "Bad" }), kind: "vision" as "chat" };
    expect(await outcome(() => as("platformAdmin", (tx) => addModel(tx, bad)))).toBe("23514");
  });

  it.each([["-6"], ["6.123456789"], ["6e1"], ["six"]])("validation refuses the 1-hour write price %o, naming the field", (value) => {
    const parsed = priceInputSchema.safeParse({ modelId: ids.models.primary, inputPerMtok: "3", outputPerMtok: "15", currency: "USD", cacheWrite1hPerMtok: value });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path[0])).toEqual(["cacheWrite1hPerMtok"]);
  });

  it("stores the 1-hour write price exactly and prices 1-hour writes with it; empty = 2x input", async () => {
    const explicit = priceInputSchema.parse({
      modelId: ids.models.spare, inputPerMtok: "3", outputPerMtok: "15", cacheWritePerMtok: "3.75", cacheWrite1hPerMtok: "5.5",
      // The fixture's models are priced in USD: switching to EUR is an explicit, confirmed choice.
      currency: "EUR", effectiveFrom: "2026-07-01T00:00:00Z", confirmCurrencyChange: true,
    });
    const defaulted = priceInputSchema.parse({
      modelId: ids.models.secondary, inputPerMtok: "3", outputPerMtok: "15", cacheWritePerMtok: "3.75", cacheWrite1hPerMtok: "",
      currency: "EUR", effectiveFrom: "2026-07-01T00:00:00Z", confirmCurrencyChange: true,
    });
    expect(defaulted.cacheWrite1hPerMtok).toBeUndefined();
    expect(await outcome(() => as("adminA", (tx) => addPrice(tx, explicit, null)))).toBe("42501");
    await as("platformAdmin", (tx) => addPrice(tx, explicit, ids.users.platformAdmin));
    await as("platformAdmin", (tx) => addPrice(tx, defaulted, ids.users.platformAdmin));

    const page = await loadPricingPage(db, claimsFor("viewerA"), NOW);
    expect(page.models.find((m) => m.id === ids.models.spare)?.prices[0]).toMatchObject({ cacheWrite1hPerMtok: "5.50000000", status: "in_force" });
    expect(page.models.find((m) => m.id === ids.models.secondary)?.prices[0]).toMatchObject({ cacheWrite1hPerMtok: null, status: "in_force" });

    const snapshot = await as("platformAdmin", (tx) => loadConfigSnapshotData(tx));
    // 80 plain input, 200 written to a 1-hour cache, 40 out.
    const usage = { promptTokens: 280, completionTokens: 40, cachedTokens: 0, cacheWriteTokens: 200, cacheWrite1hTokens: 200, reasoningTokens: null, totalTokens: 320 };
    const explicitRow = priceInForce(snapshot.prices, ids.models.spare, NOW.getTime());
    const defaultRow = priceInForce(snapshot.prices, ids.models.secondary, NOW.getTime());
    if (!explicitRow || !defaultRow) throw new Error("no price in force");
    expect(explicitRow.cacheWrite1hPerMtok).toBe("5.50000000");
    // (80 x 3 + 200 x 5.5 + 40 x 15) / 1e6 and, at 2 x input, (80 x 3 + 200 x 6 + 40 x 15) / 1e6
    expect(priceUsage(usage, explicitRow)).toBe("0.00194");
    expect(priceUsage(usage, defaultRow)).toBe("0.00204");
  });
});
