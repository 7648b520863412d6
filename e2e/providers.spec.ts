import { expect, test } from "@playwright/test";
import { hydrated, screenshots, signIn } from "./session";

/** Providers: env var names (validated), key presence without the key, circuit state, enable toggle. */

test("the platform admin sees providers, key presence and circuits, and the env var name is validated", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/providers");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Providers", level: 1 })).toBeVisible();
  const openai = page.locator('[data-provider="openai"]');
  await expect(openai).toContainText("OPENAI_API_KEY");
  await expect(page.getByTestId("key-mock")).toContainText("not needed");
  await expect(page.getByTestId("circuit-mock")).toContainText(/closed|open/);
  await expect(page.getByText("this server instance's")).toBeVisible();
  await screenshots(page, "providers");

  await page.getByRole("button", { name: "Edit key variable of openai" }).click();
  const dialog = page.getByRole("dialog", { name: "Key variable of openai" });
  await dialog.getByLabel("Environment variable name").fill("DATABASE_URL");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByText(/ending in _API_KEY/)).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(openai).toContainText("OPENAI_API_KEY");

  // Toggle a provider off and back on (restores the shared database).
  const toggle = page.getByRole("switch", { name: "Enabled: openrouter" });
  await expect(toggle).toBeChecked();
  await toggle.click();
  await expect(page.getByText("openrouter disabled").first()).toBeVisible();
  await expect(toggle).not.toBeChecked();
  await toggle.click();
  await expect(page.getByText("openrouter enabled.").first()).toBeVisible();
  await expect(toggle).toBeChecked();
});

test("an org admin cannot open providers", async ({ page }) => {
  await signIn(page, "orgadmin@example.com");
  await page.goto("/providers");
  await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
});
