import { expect, test } from "@playwright/test";
import { fitsWidth, PHONE, seriousViolations } from "./axe";
import { PLATFORM_ADMIN_EMAIL } from "./demo-users";
import { hydrated, signIn } from "./session";

/**
 * Budgets per organization, app and key (issue 13): a platform admin adds a daily app budget
 * (0 is refused next to the field), edits it, sees the forecast month-end beside the monthly
 * budget, and removes it again; finance reads without edit buttons. axe-core and 390 px.
 */

test("a platform admin adds, edits and removes a daily app budget; the forecast is shown", async ({ page }) => {
  await signIn(page, PLATFORM_ADMIN_EMAIL);
  await page.goto("/budgets");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Budgets", level: 1 })).toBeVisible();

  // Forecast month-end beside Acme's monthly budget: an exact amount (the demo has 90 days of spend).
  const acme = page.locator("tr[data-org=acme]");
  await expect(acme.getByTestId("budget-forecast").locator("[data-amount]").first()).toHaveAttribute("data-amount", /^\d+(\.\d+)?$/);

  const table = page.getByRole("table", { name: "Budgets by scope and window" });
  await page.getByRole("button", { name: "Add budget" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Organization").selectOption({ label: "Acme Installations" });
  await dialog.getByLabel("Applies to").selectOption("app");
  const app = dialog.getByLabel("App", { exact: true });
  const appName = (await app.locator("option").nth(1).textContent())!.trim();
  await app.selectOption({ index: 1 });
  await dialog.getByLabel("Window").selectOption("day");
  await dialog.getByLabel("Amount").fill("0");
  await dialog.getByLabel("Currency").fill("EUR");
  await dialog.getByLabel("When the budget is spent").selectOption("block");
  await dialog.getByRole("button", { name: "Save budget" }).click();
  await expect(dialog.getByText("The amount must be more than 0.")).toBeVisible();
  expect(await seriousViolations(page, "[role=dialog]")).toEqual([]);
  await dialog.getByLabel("Amount").fill("25.5");
  await dialog.getByRole("button", { name: "Save budget" }).click();
  await expect(dialog).toBeHidden();

  const row = table.locator("tbody tr[data-scope=app]").filter({ hasText: "Acme Installations" }).filter({ hasText: appName });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("scoped-budget-amount")).toHaveText("€25.50");
  await expect(row).toContainText("Daily");

  // Edit it with the keyboard: the button is reachable and opens the dialog.
  const edit = page.getByRole("button", { name: `Edit budget: Acme Installations, ${appName}, daily` });
  await edit.focus();
  await page.keyboard.press("Enter");
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Amount").fill("40");
  await dialog.getByLabel("When the budget is spent").selectOption("alert");
  await dialog.getByRole("button", { name: "Save budget" }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByTestId("scoped-budget-amount")).toHaveText("€40.00");
  await expect(row).toContainText("Alert");
  // The success toast itself (sonner's rich colours, darkened in app/globals.css), then the page once it is gone.
  // Both the "added" and the "saved" toast may still be up: read the one this edit raised.
  const toast = page.locator("[data-sonner-toast][data-type=success][data-mounted=true]").filter({ hasText: "Budget saved" });
  await expect(toast).toBeVisible();
  await toast.hover(); // sonner keeps a hovered toast open, so axe reads it whole
  expect(await seriousViolations(page, "[data-sonner-toaster]")).toEqual([]);
  await page.mouse.move(0, 0);
  await expect(page.locator("[data-sonner-toast]")).toHaveCount(0, { timeout: 20_000 });
  expect(await seriousViolations(page)).toEqual([]);

  await page.setViewportSize(PHONE);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Budgets", level: 1 })).toBeVisible();
  await fitsWidth(page);
  await page.setViewportSize({ width: 1440, height: 900 });

  // Remove it again (so the spec can run twice on one database).
  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: `Remove budget: Acme Installations, ${appName}, daily` }).click();
  await expect(row).toHaveCount(0);
});

test("finance reads budgets of every scope without edit buttons", async ({ page }) => {
  await signIn(page, "finance@example.com");
  await page.goto("/budgets");
  await expect(page.getByRole("table", { name: "Budgets by scope and window" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Add budget" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Edit budget: / })).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
});
