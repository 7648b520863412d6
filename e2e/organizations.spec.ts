import { expect, test } from "@playwright/test";
import { unpinnedAppKey } from "./app-key";
import { hydrated, screenshots, signIn } from "./session";

/**
 * Organizations and apps: the platform admin adds a client in the browser and the gateway accepts
 * calls for it within a second; adds an app with a baseline model; others cannot open the page.
 */

test("the platform admin adds a client the gateway then accepts, and an app with a baseline model", async ({ page, browser }) => {
  const key = await unpinnedAppKey(browser);
  const slug = `e2e-client-${Date.now().toString(36)}`;
  const call = () =>
    page.request.post("/api/llm/v1/chat/completions", {
      headers: { Authorization: `Bearer ${key}` },
      data: { model: "auto", messages: [{ role: "user", content: "Classificeer: lekkage" }], metadata: { action: "werkbon_classification", organization: slug } },
    });
  const before = await call();
  expect(before.status()).toBe(400);
  expect(JSON.stringify(await before.json())).toContain(slug);

  await signIn(page, "admin@example.com");
  await page.goto("/organizations");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Organizations", level: 1 })).toBeVisible();
  await expect(page.locator('[data-organization="wvc"]')).toContainText("premium");

  await page.getByRole("button", { name: "Add organization" }).click();
  const dialog = page.getByRole("dialog", { name: "Add organization" });
  await dialog.getByLabel("Slug").fill("Not A Slug");
  await dialog.getByRole("button", { name: "Add organization" }).click();
  await expect(dialog.getByText(/Give the organization a name/)).toBeVisible();
  await expect(dialog.getByText(/lower-case letters/)).toBeVisible();
  await dialog.getByLabel("Name").fill("E2E Client");
  await dialog.getByLabel("Slug").fill(slug);
  await dialog.getByRole("button", { name: "Add organization" }).click();
  await expect(page.getByText("Organization E2E Client added.").first()).toBeVisible();
  await expect(page.locator(`[data-organization="${slug}"]`)).toContainText("standard");

  // The configuration cache learns of the new client within a second: no more "unknown organization".
  await expect.poll(async () => (await call()).status(), { timeout: 10_000 }).not.toBe(400);

  await page.getByRole("button", { name: "Add app" }).click();
  const appDialog = page.getByRole("dialog", { name: "Add app" });
  await appDialog.getByLabel("Name").fill("E2E Reader");
  await appDialog.getByLabel("Code").fill(`reader-${slug}`);
  await appDialog.getByLabel("Baseline model").click();
  await page.getByRole("option", { name: /^mistral-large-latest · / }).click();
  await appDialog.getByRole("button", { name: "Add app" }).click();
  await expect(page.getByText("App E2E Reader added.").first()).toBeVisible();
  await expect(page.locator(`[data-app="reader-${slug}"]`)).toContainText("mistral-large-latest");
  await screenshots(page, "organizations");
});

test("an org admin cannot open the organizations page", async ({ page }) => {
  await signIn(page, "orgadmin@example.com");
  await page.goto("/organizations");
  await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Organizations" })).toHaveCount(0);
});
