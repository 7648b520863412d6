import { expect, test } from "@playwright/test";
import { fitsWidth, PHONE, seriousViolations } from "./axe";
import { hydrated, signIn, screenshots } from "./session";

/** Typed settings: effective values per scope, typed editing with bounds, read-only for viewers. */

test("the effective value follows the chosen organization and says where it comes from", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/settings");
  const row = page.locator('[data-key="confidence_threshold"]');
  await expect(row.getByTestId("effective-value")).toHaveText("0.85");
  await expect(row).toContainText("from global");
  await page.getByLabel("and organization").click();
  await page.getByRole("option", { name: "WVC" }).click();
  await expect(row.getByTestId("effective-value")).toHaveText("0.9");
  await expect(row).toContainText("from organization · WVC");
  await screenshots(page, "settings");
});

test("a value outside its bounds is reported next to the field and not saved", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/settings");
  await page.getByRole("button", { name: "Edit confidence_threshold (global)" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit confidence_threshold" });
  await expect(dialog.getByText("Bounds: 0 … 1")).toBeVisible();
  await dialog.getByLabel("Value").fill("1.5");
  await dialog.getByRole("button", { name: "Save setting" }).click();
  await expect(dialog.getByText("At most 1.")).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.locator('[data-key="confidence_threshold"]').getByTestId("effective-value")).toHaveText("0.85");
});

test("a viewer reads settings without edit controls", async ({ page }) => {
  await signIn(page, "viewer@example.com");
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
  await expect(page.getByRole("button", { name: /^Edit / })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "New setting" })).toHaveCount(0);
  await screenshots(page, "settings-viewer");
});

test("an organization admin's override keeps the key's type and bounds: 5 for a 0…1 setting is refused; axe and 390 px", async ({ page }) => {
  await signIn(page, "orgadmin@example.com");
  await page.setViewportSize(PHONE);
  await page.goto("/settings");
  await hydrated(page);
  const row = page.locator('[data-key="confidence_threshold"]');
  await row.getByRole("button", { name: "Add override" }).click();
  const dialog = page.getByRole("dialog", { name: "Override confidence_threshold" });
  // Type and bounds are the key's, set once on the global setting: not editable here.
  await expect(dialog.getByTestId("setting-definition")).toContainText("confidence_threshold is a float setting between 0 and 1 for every scope");
  await expect(dialog.getByLabel("Type")).toBeDisabled();
  await expect(dialog.getByLabel("Minimum")).toHaveCount(0);
  await expect(dialog.getByLabel("Maximum")).toHaveCount(0);
  await dialog.getByLabel("Value").fill("5");
  await dialog.getByRole("button", { name: "Save setting" }).click();
  await expect(dialog.getByText("At most 1.")).toBeVisible();
  await fitsWidth(page);
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(row.getByTestId("effective-value")).toHaveText("0.85");
});
