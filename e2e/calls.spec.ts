import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./session";

async function screens(page: Page, name: string) {
  await page.emulateMedia({ colorScheme: "light" });
  // next-themes set the class when the page loaded; follow the emulated scheme explicitly.
  await page.evaluate(() => document.documentElement.classList.remove("dark"));
  await page.screenshot({ path: `test-results/screens/${name}-light.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.evaluate(() => document.documentElement.classList.add("dark"));
  await page.screenshot({ path: `test-results/screens/${name}-dark.png`, fullPage: true });
}

test("finance filters failed calls and opens a request with its retry attempt", async ({ page }) => {
  await signIn(page, "finance@example.com");
  await page.goto("/calls");
  await expect(page.getByRole("heading", { name: "Calls", level: 1 })).toBeVisible();
  await screens(page, "calls");

  await page.getByLabel("Status").selectOption("failed");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/status=failed/);
  const rows = page.locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  // Under RLS the finance user of Acme sees only Acme's calls.
  for (const org of await rows.locator("td:nth-child(3)").allTextContents()) expect(org).toBe("Acme Installations");
  await expect(rows.getByText("ok", { exact: true })).toHaveCount(0);

  const href = await rows.first().getByRole("link").getAttribute("href");
  expect(href).toMatch(/^\/calls\/[0-9a-f-]{36}$/);
  // Seeded failed first attempts are retried (often on a fallback model).
  await page.goto(href ?? "");
  await expect(page.getByRole("heading", { name: "Request", level: 1 })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("region", { name: "Attempt 1" })).toContainText("failed");
  await expect(page.getByRole("region", { name: "Attempt 2" })).toBeVisible();
  await screens(page, "call-detail");
});
