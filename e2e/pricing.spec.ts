import { expect, test } from "@playwright/test";
import { fitsWidth, PHONE, seriousViolations } from "./axe";
import { hydrated, screenshots, signIn } from "./session";

/**
 * Price history in a real browser. The admin adds a price effective far in the future (so no call
 * made by other specs is priced with it), sees it next to the row in force, then cancels it: the
 * shared database ends as it started.
 */

const MODEL = "mock-small";

test("the admin adds a price from ?model=, the old row is kept, and the scheduled row is cancelled", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto(`/pricing?model=${MODEL}`);
  await hydrated(page);
  // The dialog opens with the model preselected (the completeness page links here).
  const dialog = page.getByRole("dialog", { name: "Add price" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Model")).toContainText(MODEL);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("heading", { name: "Pricing", level: 1 })).toBeVisible();

  // The named model's history starts expanded.
  const history = page.getByRole("list", { name: `Price history of ${MODEL}` });
  const before = await history.locator("[data-price-row]").count();
  expect(before).toBeGreaterThan(0);
  await page.getByRole("button", { name: "Add price" }).click();
  await expect(dialog.getByLabel("Model")).toContainText(MODEL);

  // Validation comes back next to the field, without a round trip.
  await dialog.getByLabel("Input / 1M", { exact: true }).fill("-1");
  await dialog.getByRole("button", { name: "Add price" }).click();
  await expect(dialog.getByText(/A price per million tokens/).first()).toBeVisible();

  const minute = String(Math.floor(Math.random() * 60)).padStart(2, "0");
  await dialog.getByLabel("Input / 1M", { exact: true }).fill("0.15");
  await dialog.getByLabel("Output / 1M").fill("0.6");
  // Optional prompt-cache write price (Anthropic bills writes at 1.25x input).
  await dialog.getByLabel("Cache write / 1M", { exact: true }).fill("0.1875");
  // One-hour cache writes have their own price (empty = 2x input); a malformed one is refused by field.
  await dialog.getByLabel("1-hour cache write / 1M").fill("0.3x");
  await dialog.getByRole("button", { name: "Add price" }).click();
  await expect(dialog.getByLabel("1-hour cache write / 1M")).toHaveAttribute("aria-invalid", "true");
  await dialog.getByLabel("1-hour cache write / 1M").fill("0.3");
  await dialog.getByLabel("Effective from (UTC)").fill(`2099-01-01T00:${minute}`);
  await dialog.getByLabel("Note").fill("e2e scheduled price");
  await dialog.getByRole("button", { name: "Add price" }).click();
  await expect(page.getByText("Price added.").first()).toBeVisible();
  await expect(dialog).toBeHidden();

  await expect(history.locator("[data-price-row]")).toHaveCount(before + 1);
  await expect(history.locator("[data-price-row]").first()).toContainText("scheduled");
  await expect(history.locator("[data-price-row]").first()).toContainText("e2e scheduled price");
  await expect(history.locator("[data-price-row]").first()).toContainText("cache write");
  await expect(history.locator("[data-price-row]").first()).toContainText("0.1875");
  await expect(history.locator("[data-price-row]").first()).toContainText(/1h cache write \S*0\.30*(?!\d)/);
  await expect(history).toContainText("in force");
  await screenshots(page, "pricing");

  await history.getByRole("button", { name: /^Cancel scheduled price/ }).first().click();
  await expect(page.getByText("Scheduled price cancelled.").first()).toBeVisible();
  await expect(history.locator("[data-price-row]")).toHaveCount(before);
});

test("models show their kind, and Add model saves an embedding model as one", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/pricing");
  await hydrated(page);
  await expect(page.locator('[data-model="mock-embed"] [data-model-kind]')).toHaveText("embedding");
  await expect(page.locator(`[data-model="${MODEL}"] [data-model-kind]`)).toHaveText("chat");

  const code = `e2e-embed-${Date.now().toString(36)}`;
  await page.getByRole("button", { name: "Add model" }).click();
  const dialog = page.getByRole("dialog", { name: "Add model" });
  await expect(dialog.getByLabel("Kind")).toContainText("Chat");
  await dialog.getByLabel("Provider").click();
  await page.getByRole("option", { name: /\(mock\)$/ }).click();
  await dialog.getByLabel("Model code").fill(code);
  await dialog.getByLabel("Display name").fill("E2E embeddings");
  await dialog.getByLabel("Kind").click();
  await page.getByRole("option", { name: /^Embedding/ }).click();
  await dialog.getByRole("button", { name: "Add model" }).click();
  await expect(page.getByText(`Model ${code} added.`).first()).toBeVisible();
  await expect(page.locator(`[data-model="${code}"] [data-model-kind]`)).toHaveText("embedding");
});

test("finance sees pricing read-only and has no access to providers or keys", async ({ page }) => {
  await signIn(page, "finance@example.com");
  await page.goto("/pricing");
  await expect(page.getByRole("heading", { name: "Pricing", level: 1 })).toBeVisible();
  await expect(page.getByText("Read-only")).toBeVisible();
  await expect(page.getByRole("button", { name: "Add price" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Add model" })).toHaveCount(0);
  await expect(page.locator(`[data-model="${MODEL}"]`)).toBeVisible();
  await screenshots(page, "pricing-finance");

  for (const path of ["/providers", "/keys"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  }
  await expect(page.getByRole("navigation").getByRole("link", { name: "Providers" })).toHaveCount(0);
  await expect(page.getByRole("navigation").getByRole("link", { name: "API keys" })).toHaveCount(0);
});

test("Add price starts in the model's currency; another currency is warned about and needs confirming; axe and 390 px", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.setViewportSize(PHONE);
  await page.goto("/pricing");
  await hydrated(page);
  await fitsWidth(page);
  const open = page.getByRole("button", { name: "Add price" });
  await expect(open).toBeInViewport({ ratio: 1 });
  await open.click();
  const dialog = page.getByRole("dialog", { name: "Add price" });
  const currency = dialog.getByLabel("Currency");
  // The model decides the currency a new price starts in: mock-small is priced in EUR, gpt-4o-mini in USD.
  await dialog.getByLabel("Model").click();
  await page.getByRole("option", { name: `${MODEL} · mock` }).click();
  await expect(dialog.getByTestId("price-current")).toContainText("EUR");
  await expect(currency).toHaveValue("EUR");
  await dialog.getByLabel("Model").click();
  await page.getByRole("option", { name: "gpt-4o-mini · openai" }).click();
  await expect(currency).toHaveValue("USD");
  await dialog.getByLabel("Model").click();
  await page.getByRole("option", { name: `${MODEL} · mock` }).click();
  await expect(currency).toHaveValue("EUR");
  await expect(dialog.getByTestId("price-currency-warning")).toHaveCount(0);

  // Switching it is an explicit choice, and the dialog says what it affects.
  await currency.fill("USD");
  const warning = dialog.getByTestId("price-currency-warning");
  await expect(warning).toContainText(`${MODEL} is priced in EUR now. A USD price makes budgets in EUR stop counting this model's calls`);
  await expect(warning).toContainText("its costs will be in USD until converted at reporting.fx_rates");
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByLabel("Input / 1M", { exact: true }).fill("0.1");
  await dialog.getByLabel("Output / 1M").fill("0.2");
  await dialog.getByLabel("Effective from (UTC)").fill("2099-02-01T00:00");
  // Unconfirmed, the server refuses it as well: nothing is added.
  await dialog.getByRole("button", { name: "Add price" }).click();
  await expect(page.getByText("Confirm the switch from EUR to USD.").first()).toBeVisible();
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
});
