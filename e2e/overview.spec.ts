import { expect, test, type Page } from "@playwright/test";
import { PLATFORM_ADMIN_EMAIL } from "./demo-users";
import { hydrated, screenshots, signIn } from "./session";

/**
 * The Overview refreshes itself: a call recorded by the gateway shows up in "Calls today" without
 * a reload, and a failed refresh keeps the last figures with a note instead of blanking the page.
 */

const DEMO_API_KEY = process.env.E2E_DEMO_API_KEY ?? "llmcp_e2e_demo_key_0123456789";

const callsToday = async (page: Page) =>
  Number((await page.locator('[data-stat="Calls today"]').getByTestId("stat-value").innerText()).replace(/\D/g, ""));

test("a gateway call shows up in Calls today without a reload", async ({ page }) => {
  // The refresh runs every 15 s; one interval plus a cold dev server needs more than the default.
  test.slow();
  await signIn(page, PLATFORM_ADMIN_EMAIL);
  await hydrated(page);
  await expect(page.getByTestId("overview-updated")).toContainText(/Updated \d+s ago/);
  const before = await callsToday(page);

  // The Demo Sandbox is routed to the key-less mock models, so the call succeeds and is recorded.
  const res = await page.request.post("/api/llm/v1/chat/completions", {
    headers: { Authorization: `Bearer ${DEMO_API_KEY}` },
    data: { model: "auto", messages: [{ role: "user", content: "Classificeer: lekkage" }], metadata: { action: "werkbon_classification", organization: "sandbox" } },
  });
  expect(res.status()).toBe(200);

  const url = page.url();
  await expect.poll(() => callsToday(page), { timeout: 40_000, intervals: [1_000] }).toBeGreaterThan(before);
  expect(page.url()).toBe(url);
});

test("a failed refresh keeps the last figures and says so", async ({ page }) => {
  test.slow();
  await signIn(page, PLATFORM_ADMIN_EMAIL);
  await hydrated(page);
  const shown = await page.locator('[data-stat="Calls today"]').getByTestId("stat-value").innerText();
  await page.route("**/api/dashboard/overview", (route) =>
    route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { type: "unavailable", message: "The overview could not be read just now." } }) }),
  );
  await expect(page.getByTestId("overview-refresh-error")).toContainText("The overview could not be read just now.", { timeout: 45_000 });
  await expect(page.locator('[data-stat="Calls today"]').getByTestId("stat-value")).toHaveText(shown);

  await page.unroute("**/api/dashboard/overview");
  await expect(page.getByTestId("overview-refresh-error")).toBeHidden({ timeout: 45_000 });
});

test("the refresh pauses while the tab is hidden and resumes when it is shown", async ({ page }) => {
  test.slow();
  await signIn(page, PLATFORM_ADMIN_EMAIL);
  await hydrated(page);
  let refreshes = 0;
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/api/dashboard/overview") refreshes += 1;
  });
  const setVisibility = (state: "hidden" | "visible") =>
    page.evaluate((s) => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => s });
      document.dispatchEvent(new Event("visibilitychange"));
    }, state);

  await setVisibility("hidden");
  // More than one 15 s interval: a visible tab would have refreshed at least once.
  await page.waitForTimeout(17_000);
  expect(refreshes).toBe(0);
  await setVisibility("visible");
  await expect.poll(() => refreshes, { timeout: 20_000 }).toBeGreaterThan(0);
});

test("finance of Acme sees only Acme's budget and savings", async ({ page }) => {
  await signIn(page, "finance@example.com");
  await hydrated(page);
  const budget = page.locator('[data-slot="card"]', { has: page.getByRole("heading", { name: "Budget this month" }) });
  await expect(budget).toContainText("Acme Installations");
  await expect(budget).not.toContainText("Globex");
  await expect(budget).not.toContainText("WVC");
  await expect(page.getByRole("heading", { name: "Savings against baseline models" })).toBeVisible();
  await expect(page.locator("[data-savings]").first()).toBeVisible();
  await screenshots(page, "overview-finance");
});
