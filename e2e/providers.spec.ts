import { expect, test } from "@playwright/test";
import { hydrated, screenshots, signIn } from "./session";

/** Providers: add and edit (env var names validated), key presence without the key, circuit state, enable toggle. */

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

  await page.getByRole("button", { name: "Edit provider openai" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit provider openai" });
  await expect(dialog.getByLabel("Code")).toBeDisabled();
  await dialog.getByLabel("Environment variable name").fill("DATABASE_URL");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByText(/ending in _API_KEY/)).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(openai).toContainText("OPENAI_API_KEY");

  // Add a local OpenAI-compatible server: it needs a base URL, not a key.
  await page.getByRole("button", { name: "Add provider" }).click();
  const add = page.getByRole("dialog", { name: "Add provider" });
  const code = `e2e-local-${Date.now().toString(36)}`;
  await add.getByLabel("Code").fill(code);
  await add.getByLabel("Name", { exact: true }).fill("E2E local server");
  await add.getByLabel("Kind").click();
  await page.getByRole("option", { name: /OpenAI-compatible/ }).click();
  await add.getByRole("button", { name: "Add provider" }).click();
  await expect(add.getByText("An OpenAI-compatible server needs its base URL.")).toBeVisible();
  await add.getByLabel("Base URL").fill("http://127.0.0.1:11434/v1");
  await add.getByLabel("Timeout (ms)").fill("15000");
  await add.getByRole("button", { name: "Add provider" }).click();
  await expect(page.getByText(`Provider ${code} added.`).first()).toBeVisible();
  const local = page.locator(`[data-provider="${code}"]`);
  await expect(local).toContainText("http://127.0.0.1:11434/v1");
  await expect(local).toContainText("15 s");
  await expect(page.getByTestId(`key-${code}`)).toContainText("not needed");

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
