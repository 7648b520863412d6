import { expect, test } from "@playwright/test";
import { hydrated, signIn } from "./session";

/**
 * "Recompute costs" runs as a background job with live progress. It reprices only calls without
 * a cost or with a fallback price, with the database price in force at their time: running it
 * again changes nothing, so it is safe on the shared demo ledger at any point of the suite.
 */

test("a platform admin starts the recompute job and watches it finish", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/completeness");
  await hydrated(page);
  await page.getByRole("button", { name: "Recompute costs" }).click();
  await expect(page.getByRole("progressbar", { name: "Recompute progress" })).toBeVisible();
  await expect(page.getByText(/^Recompute finished/).first()).toBeVisible({ timeout: 45_000 });
  await expect(page.getByRole("progressbar", { name: "Recompute progress" })).toHaveAttribute("aria-valuenow", "100");
  await expect(page.getByTestId("reprice-progress")).toContainText("repriced");
  await expect(page.getByRole("button", { name: "Recompute costs" })).toBeEnabled();

  // Again, once the first toast is gone: the first run left nothing to reprice.
  await expect(page.getByText(/^Recompute finished/)).toHaveCount(0, { timeout: 20_000 });
  await page.getByRole("button", { name: "Recompute costs" }).click();
  await expect(page.getByText(/^Recompute finished: nothing to reprice/).first()).toBeVisible({ timeout: 45_000 });
  await expect(page.getByTestId("reprice-progress")).toContainText("· 0 repriced");
});
