import { expect, test } from "@playwright/test";
import { hydrated, screenshots, signIn } from "./session";

/**
 * App keys: the platform admin creates a key (shown once), the gateway accepts it, a reload shows
 * only the prefix, lowering its rate limit makes the gateway throttle it, and revoking it makes the
 * gateway refuse it. The key stays revoked (keys are
 * never deleted from the UI), which changes nothing other specs rely on.
 */

test("the admin creates a key shown once, the gateway accepts it, and revoking it locks it out", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/keys");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();

  const name = `e2e key ${Date.now()}`;
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByText("Give the key a name")).toBeVisible();
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Rate limit (requests per minute)").fill("120");
  await dialog.getByRole("button", { name: "Create key" }).click();

  const reveal = page.getByRole("dialog", { name: "Your new API key" });
  await expect(reveal.getByText("it will not be shown again")).toBeVisible();
  const key = (await reveal.getByTestId("new-api-key").textContent())?.trim() ?? "";
  expect(key).toMatch(/^llmcp_[0-9A-Za-z]{32}$/);
  await screenshots(page, "keys-created");

  // The config cache picks the new key up within a second.
  await expect
    .poll(async () => (await page.request.get("/api/llm/v1/models", { headers: { Authorization: `Bearer ${key}` } })).status(), { timeout: 10_000 })
    .toBe(200);

  await reveal.getByRole("button", { name: "Done" }).click();
  await page.reload();
  await hydrated(page);
  const row = page.locator(`[data-key="${name}"]`);
  await expect(row).toContainText(`${key.slice(0, 12)}…`);
  await expect(row).toContainText("120/min");
  await expect(page.getByText(key)).toHaveCount(0);
  await screenshots(page, "keys");

  // Edit the rate limit down to 1 a minute: the gateway applies it within a second.
  await row.getByRole("button", { name: `Edit ${name}` }).click();
  const edit = page.getByRole("dialog", { name: `Edit key “${name}”` });
  await edit.getByLabel("Rate limit (requests per minute)").fill("0");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit.getByText("At least 1.")).toBeVisible();
  await edit.getByLabel("Rate limit (requests per minute)").fill("1");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(`Key “${name}” saved.`).first()).toBeVisible();
  await expect(row).toContainText("1/min");
  await expect
    .poll(async () => (await page.request.get("/api/llm/v1/models", { headers: { Authorization: `Bearer ${key}` } })).status(), { timeout: 10_000 })
    .toBe(429);

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await page.getByRole("dialog", { name: `Revoke “${name}”?` }).getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByText(`Key “${name}” revoked.`).first()).toBeVisible();
  await expect(row).toContainText("revoked");
  await expect
    .poll(async () => (await page.request.get("/api/llm/v1/models", { headers: { Authorization: `Bearer ${key}` } })).status(), { timeout: 10_000 })
    .toBe(401);
});

test("an org admin pins keys to their organization and cannot choose the admin scope", async ({ page }) => {
  await signIn(page, "orgadmin@example.com");
  await page.goto("/keys");
  await hydrated(page);
  await page.getByRole("button", { name: "Create key" }).click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await expect(dialog.getByLabel("Organization")).toContainText("Acme Installations");
  await expect(dialog.getByRole("checkbox")).toHaveCount(2);
  await expect(dialog.getByText("admin routes")).toHaveCount(0);
  await screenshots(page, "keys-orgadmin-dialog");
});
