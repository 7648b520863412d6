import { expect, test, type Page } from "@playwright/test";
import { seriousViolations } from "./axe";
import { screenshots, signIn } from "./session";

/**
 * The API reference at /docs in the production build: public, rendered from the gateway's own
 * OpenAPI document with nothing fetched from anywhere but this app, accessible (axe-core, light and
 * dark), usable by keyboard, no horizontal scroll at 390 px, and Scalar's bundle on /docs only.
 */

/** Every request the page makes, to check none leaves the app's origin. */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on("request", (request) => urls.push(request.url()));
  return urls;
}

async function referenceRendered(page: Page) {
  const reference = page.getByTestId("api-reference");
  await expect(reference.locator(".scalar-app.scalar-api-reference")).toBeVisible({ timeout: 30_000 });
  await expect(reference.getByText("OpenAI-compatible chat completion").first()).toBeAttached();
  await expect(reference.getByText("OpenAI-compatible embeddings").first()).toBeAttached();
}

test("/docs is public and renders the gateway's OpenAPI document without leaving the app's origin", async ({ page, baseURL, request }) => {
  // Before any script runs, the server sends the loading state (Scalar is client-only).
  const html = await (await request.get("/docs")).text();
  expect(html).toContain("Loading the API reference");
  expect(html).not.toContain("scalar-app");

  const urls = recordRequests(page);
  const response = await page.goto("/docs");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveURL(/\/docs$/);
  await referenceRendered(page);
  // The models/{id} operation and the two error shapes come from the document passed in.
  await expect(page.getByText("One model this key may use").first()).toBeAttached();
  await expect(page.getByRole("button", { name: /test request/i })).toHaveCount(0);

  await screenshots(page, "docs", async (theme) => {
    // Scalar follows the app's theme (it remounts on a change) and marks the body with it.
    await expect(page.locator("body")).toHaveClass(new RegExp(`\\b${theme}-mode\\b`));
    await referenceRendered(page);
    expect(await seriousViolations(page)).toEqual([]);
  });

  const origin = new URL(baseURL ?? "").origin;
  const foreign = urls.filter((u) => !u.startsWith("data:") && !u.startsWith("blob:") && new URL(u).origin !== origin);
  expect(foreign).toEqual([]);
  expect(urls.some((u) => u.includes("fonts.scalar.com") || u.includes("scalar.com"))).toBe(false);
});

test("/docs works by keyboard: skip link, then into the reference, every stop visible", async ({ page }) => {
  await page.goto("/docs");
  await referenceRendered(page);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();

  let insideReference = 0;
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press("Tab");
    const stop = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const box = el.getBoundingClientRect();
      return { inside: Boolean(el.closest("[data-testid=api-reference]")), visible: box.width > 0 && box.height > 0, name: el.tagName };
    });
    expect(stop, `tab stop ${i}`).not.toBeNull();
    expect(stop?.visible, `tab stop ${i} (${stop?.name}) is visible`).toBe(true);
    if (stop?.inside) insideReference++;
  }
  expect(insideReference).toBeGreaterThan(5);

  // A sidebar entry opens its operation with Enter.
  const entry = page.getByTestId("api-reference").getByRole("link", { name: /One model this key may use/ }).first();
  await entry.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#/);
});

test("/docs fits a 390 px wide screen without horizontal scrolling and passes axe there", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/docs");
  await referenceRendered(page);
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.viewport);
  expect(await seriousViolations(page)).toEqual([]);
});

test("the dashboard links to /docs, and Scalar's code loads on /docs only", async ({ page }) => {
  const scripts: Promise<string>[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "script") scripts.push(response.text().catch(() => ""));
  });
  await signIn(page, "viewer@example.com");
  await page.goto("/");
  await expect(page.getByRole("link", { name: "API reference" })).toBeVisible();
  const dashboardScripts = await Promise.all(scripts.splice(0));
  expect(dashboardScripts.length).toBeGreaterThan(0);
  expect(dashboardScripts.filter((body) => body.includes("scalar-app"))).toEqual([]);

  // The header link fits a phone's width beside the menu, theme and sign-out buttons.
  await page.setViewportSize({ width: 390, height: 844 });
  const link = page.getByRole("link", { name: "API reference" });
  await expect(link).toBeVisible();
  expect(((await link.boundingBox())?.x ?? 390) + ((await link.boundingBox())?.width ?? 0)).toBeLessThanOrEqual(390);
  expect(await page.locator("header").first().evaluate((h) => h.scrollWidth <= h.clientWidth)).toBe(true);
  await page.getByRole("link", { name: "API reference" }).click();
  await expect(page).toHaveURL(/\/docs$/);
  await referenceRendered(page);
});
