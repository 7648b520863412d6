import { expect, test } from "@playwright/test";
import { signIn } from "./session";

test("a platform admin reads the audit trail with before/after, filtered by table", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await page.goto("/audit?table=llm_configurations");
  await expect(page.getByRole("heading", { name: "Audit", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "llm_configurations" })).toHaveAttribute("aria-current", "page");
  // The demo seed's rules were written by the seeding job: at least one insert row is listed.
  await expect(page.getByRole("cell", { name: /insert\s+llm_configurations/ }).first()).toBeVisible();
  await page.screenshot({ path: "test-results/screens/audit-light.png", fullPage: true });
});

test("a viewer cannot open the audit trail", async ({ page }) => {
  await signIn(page, "viewer@example.com");
  await page.goto("/audit");
  await expect(page.getByText("You don't have access to this page")).toBeVisible();
});
