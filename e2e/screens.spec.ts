import { expect, test, type Page } from "@playwright/test";
import { navItems } from "../lib/auth/navigation";
import { PLATFORM_ADMIN_EMAIL } from "./demo-users";
import { hydrated, screenshots, signIn } from "./session";

/**
 * Every page in the navigation (read from lib/auth/navigation.ts, so a new page is covered as soon
 * as it is listed) and a call's detail page, as the platform admin, in light and dark theme: the page's
 * heading is visible, no error boundary or uncaught exception, and a full-page screenshot of each
 * lands in test-results/screens/<page>-<theme>.png.
 */

let page: Page;
const uncaught: string[] = [];

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on("pageerror", (err) => uncaught.push(err.message));
  await signIn(page, PLATFORM_ADMIN_EMAIL);
});

test.afterAll(async () => {
  await page?.close();
});

async function expectHealthyPage(page: Page, heading: string) {
  await expect(page.getByRole("heading", { name: heading, level: 1, exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Something went wrong" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Page not found" })).toHaveCount(0);
  await expect(page.getByText("You don't have access to this page")).toHaveCount(0);
  expect(uncaught, "uncaught exceptions in the page").toEqual([]);
}

const screenName = (href: string) => (href === "/" ? "overview" : href.slice(1).replaceAll("/", "-"));

for (const item of navItems) {
  test(`${item.title} (${item.href}) renders in light and dark`, async () => {
    uncaught.length = 0;
    await page.goto(item.href);
    await hydrated(page);
    await screenshots(page, screenName(item.href), () => expectHealthyPage(page, item.title));
  });
}

test("a call's detail page renders in light and dark", async () => {
  uncaught.length = 0;
  await page.goto("/calls");
  const first = page.locator("tbody tr").first().getByRole("link").first();
  const href = await first.getAttribute("href");
  expect(href).toMatch(/^\/calls\/[0-9a-f-]{36}$/);
  await page.goto(href ?? "/calls");
  await hydrated(page);
  await screenshots(page, "calls-detail", () => expectHealthyPage(page, "Request"));
});
