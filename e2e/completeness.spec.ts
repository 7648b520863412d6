import { expect, test } from "@playwright/test";
import { hydrated, screenshots, signIn } from "./session";

/**
 * Completeness: ratio, coverage, incomplete records by purpose, models missing a price with an
 * "add price" link. "Recompute costs" is shown to platform admins only; it is not clicked here
 * because it reprices the shared demo ledger irreversibly (the integration suite covers it).
 */

test("a platform admin sees ratio, coverage, incomplete purposes and the recompute action", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/completeness");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Completeness", level: 1 })).toBeVisible();
  await expect(page.getByRole("button", { name: "Recompute costs" })).toBeVisible();
  for (const field of ["Organization", "Pipeline stage", "Request type", "Tokens", "Cost"]) {
    await expect(page.getByRole("meter", { name: `${field} coverage` })).toBeVisible();
  }
  await expect(page.getByRole("figure", { name: /Complete and incomplete records per day/ })).toBeVisible();
  await expect(page.getByRole("table", { name: "Incomplete records by purpose and app" }).locator("tbody tr").first()).toBeVisible();
  await screenshots(page, "completeness");
});

test("finance sees the page without the recompute action; add price links to pricing", async ({ page }) => {
  await signIn(page, "finance@example.com");
  await page.goto("/completeness");
  await hydrated(page);
  await expect(page.getByRole("meter", { name: "Cost coverage" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Recompute costs" })).toHaveCount(0);
  const addPrice = page.getByRole("link", { name: /^Add price for / });
  if ((await addPrice.count()) > 0) {
    // Its name is its visible text "Add price" plus " for <model>" for screen readers (WCAG 2.5.3).
    const model = ((await addPrice.first().textContent()) ?? "").replace("Add price for ", "").trim();
    await expect(addPrice.first()).toHaveAttribute("href", `/pricing?model=${encodeURIComponent(model)}`);
  } else {
    await expect(page.getByText("Every model in this range has a database price.")).toBeVisible();
  }
});
