import { expect, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "./demo-users";

/** Signing in as a demo user, waiting for hydration, and light/dark screenshots: shared by the specs. */

export async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // A cold dev server compiles the dashboard on first request; a production server answers at once.
  await expect(page).toHaveURL(/\/$/, { timeout: 30_000 });
}

/**
 * Waits until React has attached to the page's controls (a cold dev server compiles on first
 * request). Hidden inputs are skipped: React leaves a server-action form's $ACTION inputs without
 * a fiber. A page without controls is checked on <main> itself. Checked twice, a second apart, because a dev server's HMR client may reload the page
 * once right after connecting.
 */
export async function hydrated(page: Page) {
  const check = () =>
    page.waitForFunction(() => {
      const el = document.querySelector("main button, main input:not([type=hidden])") ?? document.querySelector("main");
      return el !== null && Object.keys(el).some((k) => k.startsWith("__reactFiber"));
    }, undefined, { timeout: 30_000 });
  await check();
  await page.waitForTimeout(1000);
  await check();
}

/**
 * Full-page screenshots in light and dark theme to test-results/screens/<name>-<theme>.png. The
 * app's theme defaults to the system scheme (next-themes), so emulating the colour scheme switches
 * it; `check` runs in each theme before its screenshot.
 */
export async function screenshots(page: Page, name: string, check?: (theme: "light" | "dark") => Promise<void>) {
  await page.emulateMedia({ colorScheme: "light" });
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  await check?.("light");
  await page.screenshot({ path: `test-results/screens/${name}-light.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(page.locator("html")).toHaveClass(/dark/);
  await check?.("dark");
  await page.screenshot({ path: `test-results/screens/${name}-dark.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });
}
