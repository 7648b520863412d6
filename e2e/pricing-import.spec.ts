import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { hydrated, screenshots, signIn } from "./session";

/**
 * LiteLLM price import in a real browser: a file that is not a price file is refused next to the
 * field; an excerpt of LiteLLM's file is previewed against the demo catalog and imported
 * effective far in the future (so no call made by other specs is priced with it, and no
 * recompute starts); importing it again finds every price already there.
 */

const FIXTURE = path.resolve(import.meta.dirname, "../tests/fixtures/litellm-prices-excerpt.json");
// A random day and gpt-4o price per run, so the spec can run again on the same database (an
// earlier run's rows would make the same file from the same day "same, skipped").
const pad = (n: number) => String(n).padStart(2, "0");
const DAY = `2099-${pad(1 + Math.floor(Math.random() * 12))}-${pad(1 + Math.floor(Math.random() * 28))}`;
const CENTS = 101 + Math.floor(Math.random() * 898);
const excerpt = JSON.parse(readFileSync(FIXTURE, "utf8")) as Record<string, Record<string, unknown>>;
excerpt["gpt-4o"] = { ...excerpt["gpt-4o"], input_cost_per_token: Number(`${CENTS}e-8`) };
const PRICE_FILE = { name: "model_prices_and_context_window.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(excerpt)) };

test("the admin previews and imports a LiteLLM price file; a second import adds nothing", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/pricing");
  await hydrated(page);
  await page.getByRole("button", { name: "Import LiteLLM prices" }).click();
  const dialog = page.getByRole("dialog", { name: "Import LiteLLM prices" });
  await expect(dialog).toBeVisible();
  const file = dialog.getByLabel("Price file (JSON, at most 5 MB)");

  for (const [name, text, message] of [
    ["array.json", "[1, 2, 3]", /must be a JSON object/],
    ["broken.json", '{"gpt-4o": {', /not valid JSON/],
  ] as const) {
    await file.setInputFiles({ name, mimeType: "application/json", buffer: Buffer.from(text) });
    await expect(dialog.getByRole("alert").filter({ hasText: message })).toBeVisible();
  }

  await file.setInputFiles(PRICE_FILE);
  await expect(dialog.getByTestId("litellm-file-summary")).toContainText("18 entries");
  await dialog.getByLabel("Effective from (00:00 UTC)").fill(DAY);
  const table = dialog.getByRole("table", { name: "Models in the catalog: price in force vs imported" });
  // Prices are shown trimmed: 450 cents is "$4.5" (toFixed(2) failed one run in ten).
  await expect(table.locator('[data-model="gpt-4o"]')).toContainText(`$${String(CENTS / 100)} /`);
  const importButton = dialog.getByRole("button", { name: /^Import \d+ prices?$/ });
  await expect(importButton).toBeEnabled();
  await screenshots(page, "pricing-litellm-import");
  await importButton.click();
  await expect(page.getByText(/^Added \d+ prices?/).first()).toBeVisible({ timeout: 20_000 });
  await expect(dialog).toBeHidden();

  // The same file from the same day again: every price is already there, nothing to import.
  await page.getByRole("button", { name: "Import LiteLLM prices" }).click();
  await file.setInputFiles(PRICE_FILE);
  await dialog.getByLabel("Effective from (00:00 UTC)").fill(DAY);
  await expect(dialog.getByTestId("litellm-preview")).toContainText(/^0 prices to add/);
  await expect(table.locator('[data-model="gpt-4o"]')).toContainText("same, skipped");
  await expect(dialog.getByRole("button", { name: "Import 0 prices" })).toBeDisabled();
});
